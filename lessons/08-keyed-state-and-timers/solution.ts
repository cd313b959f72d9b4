// #region setup
import { type AggregateFunction, hours, minutes, type Pipeline, runnerPings, seconds } from 'brook';

// Twenty minutes of GPS pings, every 5 s, from five runners (one tracker per partition).
// runner-01's tracker loses signal at 0:06:00 for three minutes and uploads its pings when it
// returns; runner-03's loses its pings from 0:12:00 to 0:14:00; runner-04's drops out for 40 s.
const pings = runnerPings({
  runners: 5,
  duration: minutes(20),
  silences: [
    { runner: 1, from: minutes(6), length: minutes(3), buffered: true },
    { runner: 3, from: minutes(12), length: minutes(2), buffered: false },
    { runner: 4, from: minutes(4), length: seconds(40), buffered: false },
  ],
});

/** How long a runner may be silent: the time they need for 250 m at their usual pace. */
const allowance = (paceSecPerKm: number) => Math.round(paceSecPerKm * 0.25 * 1000);

/** A runner's usual pace: the mean of every pace they reported, as [sum, count]. */
const meanPace: AggregateFunction<number, [number, number], number> = {
  createAccumulator: () => [0, 0],
  add: (secPerKm, [sum, n]) => [sum + secPerKm, n + 1],
  getResult: ([sum, n]) => sum / n,
};
// #endregion

export default (p: Pipeline) => {
  p.generator(pings, { name: 'pings' })
    .keyBy((ping) => ping.runner)
    .process<{ runner: string; silentForSec: number }>({
      processElement(ping, ctx) {
        // Per runner: their usual pace (forgotten after an hour without pings) and their alarm.
        const pace = ctx.state.aggregating('pace', meanPace, { ttl: { ttl: hours(1) } });
        const alarm = ctx.state.value<number>('alarm');
        const lastHeard = ctx.state.value<number>('last-heard');
        pace.add(ping.paceSecPerKm);
        lastHeard.update(ctx.timerService.currentProcessingTime());

        // One alarm per runner: a new ping cancels the previous alarm and sets the next one.
        const previous = alarm.value();
        if (previous !== undefined) ctx.timerService.deleteProcessingTimeTimer(previous);
        const at = ctx.timerService.currentProcessingTime() + allowance(pace.get() ?? ping.paceSecPerKm);
        ctx.timerService.registerProcessingTimeTimer(at);
        alarm.update(at);
      },
      onTimer(time, ctx) {
        ctx.state.value<number>('alarm').clear();
        const lastHeard = ctx.state.value<number>('last-heard').value() ?? time;
        ctx.output({ runner: String(ctx.key), silentForSec: Math.round((ctx.timerService.currentProcessingTime() - lastHeard) / 1000) });
      },
    })
    .sink('silent-trackers');
};
