// #region setup
import { boundedOutOfOrderness, hours, minutes, type Pipeline, seconds, smartMeterReadings, tumblingWindows } from 'brook';

// Six meters reporting every 15 minutes for four hours; uploads take 1 s to 2 min, and the
// network is down from 0:40 to 1:25 (the meters hold their readings and upload them after).
const meters = smartMeterReadings({
  meters: 6,
  duration: hours(4),
  outages: [{ from: minutes(40), length: minutes(45) }],
  uploadDelay: { kind: 'uniform', min: seconds(1), max: minutes(2) },
});
// #endregion

export default (p: Pipeline) => {
  p.generator(meters, { name: 'readings', watermarks: boundedOutOfOrderness(minutes(2)), ingestionTime: true })
    .keyBy((reading) => reading.meter)
    .window(tumblingWindows(hours(1)))
    .sum((reading) => reading.kwh)
    .sink('kwh-per-hour');
};
