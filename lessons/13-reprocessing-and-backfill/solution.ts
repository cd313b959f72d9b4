// #region setup
import { boundedOutOfOrderness, hours, minutes, type Pipeline, seconds, smartMeterReadings, tumblingWindows } from 'brook';

// Eight hours of readings from six meters, every 15 minutes, uploaded 1 s to 2 min late. The
// new job starts at 6:00 and reads the topic from its earliest offset: six hours of history
// arrive at once (the backfill), then the readings keep coming live.
const meters = smartMeterReadings({
  meters: 6,
  duration: hours(8),
  outages: [{ from: 0, length: hours(6) }],
  uploadDelay: { kind: 'uniform', min: seconds(1), max: minutes(2) },
});
// #endregion

export default (p: Pipeline) => {
  p.generator(meters, { name: 'readings', watermarks: boundedOutOfOrderness(minutes(2)) })
    .keyBy((reading) => reading.meter)
    .window(tumblingWindows(hours(1)))
    .sum((reading) => reading.kwh)
    .sink('kwh-per-hour');
};
