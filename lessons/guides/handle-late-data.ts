// Hourly kWh per meter where 5 % of uploads arrive an hour late: allowed lateness corrects
// each hour with LATE panes, and anything later still goes to the side output "too-late".
import { boundedOutOfOrderness, hours, minutes, type Pipeline, seconds, smartMeterReadings, tumblingWindows } from 'brook';

const meters = smartMeterReadings({
  meters: 6,
  duration: hours(4),
  outages: [],
  uploadDelay: { kind: 'uniform', min: seconds(1), max: minutes(2), late: { fraction: 0.05, extra: hours(1) } },
});

export default (p: Pipeline) => {
  const hourly = p
    .generator(meters, { name: 'readings', watermarks: boundedOutOfOrderness(minutes(2)) })
    .keyBy((reading) => reading.meter)
    .window(tumblingWindows(hours(1)))
    .allowedLateness(hours(2))
    .sideOutputLateData('too-late')
    .sum((reading) => reading.kwh);
  hourly.sink('kwh-per-hour');
  hourly.getSideOutput('too-late').sink('too-late');
};
