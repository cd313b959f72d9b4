// A seeded generator of realistic data: here GPS pings from two runners' trackers, one ping
// every 5 s per runner, each uploaded 0.1 to 1.5 s after it was taken. The same seed
// (`--seed N`, default 0) always gives the same pings.
import { boundedOutOfOrderness, type Pipeline, runnerPings, seconds, tumblingWindows } from 'brook';

export default (p: Pipeline) => {
  p.generator(runnerPings({ runners: 2, duration: seconds(30), silences: [] }), {
    name: 'pings',
    watermarks: boundedOutOfOrderness(seconds(2)),
  })
    .keyBy((ping) => ping.runner)
    .window(tumblingWindows(seconds(10)))
    .count()
    .sink('pings-per-10s');
};
