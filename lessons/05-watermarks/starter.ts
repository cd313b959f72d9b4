// #region setup
import { boundedOutOfOrderness, minutes, type Pipeline, runnerPings, seconds, tumblingWindows } from 'brook';

// Twenty minutes of GPS pings, every 5 s, from four runners (one tracker per partition). Each
// ping is uploaded 0.1 to 1.5 s after it was taken. runner-02's tracker dies at 0:08:00 and
// comes back at 0:13:00; the pings of those five minutes are lost.
const pings = runnerPings({
  runners: 4,
  duration: minutes(20),
  silences: [{ runner: 2, from: minutes(8), length: minutes(5), buffered: false }],
});
// #endregion

export default (p: Pipeline) => {
  p.generator(pings, { name: 'pings', watermarks: boundedOutOfOrderness(seconds(2)) })
    .keyBy((ping) => ping.runner)
    .window(tumblingWindows(minutes(1)))
    .aggregate({
      createAccumulator: () => ({ pings: 0, paceSum: 0 }),
      add: (ping, acc) => ({ pings: acc.pings + 1, paceSum: acc.paceSum + ping.paceSecPerKm }),
      getResult: (acc) => ({ pings: acc.pings, pace: Math.round(acc.paceSum / acc.pings) }),
      merge: (a, b) => ({ pings: a.pings + b.pings, paceSum: a.paceSum + b.paceSum }),
    })
    .sink('pace-per-minute');
};
