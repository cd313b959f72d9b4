// One watermark delay over smart-meter readings: readings per hour, and the readings the
// delay makes late, caught in the side output "late". Change DELAY (30 s, 2 min, 10 min) and
// compare when each hour comes out and how many readings end up in "late".
import { boundedOutOfOrderness, hours, type Pipeline, seconds, smartMeterReadings, tumblingWindows } from 'brook';

const DELAY = seconds(30);
const meters = smartMeterReadings({ meters: 12, duration: hours(3), outages: [] });

export default (p: Pipeline) => {
  const perHour = p
    .generator(meters, { name: 'readings', watermarks: boundedOutOfOrderness(DELAY) })
    .windowAll(tumblingWindows(hours(1)))
    .sideOutputLateData('late')
    .count();
  perHour.sink('readings-per-hour');
  perHour.getSideOutput('late').sink('late');
};
