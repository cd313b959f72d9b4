// #region setup
import { boundedOutOfOrderness, minutes, type Pipeline, runnerPings, seconds, tumblingWindows } from 'brook';

// Twenty minutes of GPS pings, every 5 s, from four runners (one tracker per partition).
// runner-01's tracker holds its pings from 0:06 to 0:09 and uploads them late; runner-03's
// loses its pings from 0:12 to 0:14.
const pings = runnerPings({
  runners: 4,
  duration: minutes(20),
  silences: [
    { runner: 1, from: minutes(6), length: minutes(3), buffered: true },
    { runner: 3, from: minutes(12), length: minutes(2), buffered: false },
  ],
});
// #endregion

export default (p: Pipeline) => {
  p.generator(pings, { name: 'pings', watermarks: boundedOutOfOrderness(seconds(2)) })
    .keyBy((ping) => ping.runner)
    .window(tumblingWindows(minutes(5)))
    .count()
    .sink('runs');
};
