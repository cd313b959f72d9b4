// Alert when a runner's tracker goes silent: a keyed process function with state and an
// event-time timer, the building blocks beneath windows.
//
//   npx brook run examples/alerts.ts
//
// Each tracker pings every 10 seconds. For every ping the function moves the runner's
// deadline to 30 seconds after it: it deletes the timer for the old deadline and sets one for
// the new. If the watermark reaches a deadline, no ping came for 30 seconds of event time, and
// the timer fires an alert. The input is built into the file: bob's tracker stops at 20 s.
// When the input ends the watermark jumps to +infinity, so every pending deadline fires:
// alice gets her alert then, as every tracker falls silent at the end of the race.
import { type Pipeline, seconds, testStream } from 'brook';

/** A tracker's signal: where the runner is, at the element's timestamp. */
interface Ping {
  runner: string;
  km: number;
}

interface Alert {
  runner: string;
  lastSeenAt: number;
  lastKm: number;
}

const SILENCE = seconds(30);

/** Pings every 10 s from alice (to 80 s) and bob (to 20 s), watermark following them. */
function pings() {
  let script = testStream<Ping>().advanceWatermarkTo(0);
  for (let t = 0; t <= 80; t += 10) {
    const now = [{ value: { runner: 'alice', km: t / 20 }, timestamp: seconds(t) }];
    if (t <= 20) now.push({ value: { runner: 'bob', km: t / 25 }, timestamp: seconds(t) });
    script = script
      .addElements(...now)
      .advanceProcessingTime(seconds(10))
      .advanceWatermarkTo(seconds(t));
  }
  return script.advanceWatermarkToInfinity();
}

export default (p: Pipeline) => {
  p.input<Ping>({ name: 'pings', default: pings() })
    .keyBy((ping) => ping.runner)
    .process<Alert>({
      processElement(ping, ctx) {
        // State is per key: this runner's pending deadline and last ping.
        const deadline = ctx.state.value<number>('deadline');
        const last = ctx.state.value<{ at: number; km: number }>('last-ping');
        const previous = deadline.value();
        if (previous !== undefined) ctx.timerService.deleteEventTimeTimer(previous);
        deadline.update(ctx.timestamp + SILENCE);
        last.update({ at: ctx.timestamp, km: ping.km });
        ctx.timerService.registerEventTimeTimer(ctx.timestamp + SILENCE);
      },
      onTimer(_time, ctx) {
        const last = ctx.state.value<{ at: number; km: number }>('last-ping').value();
        ctx.output({ runner: ctx.key, lastSeenAt: last?.at ?? 0, lastKm: last?.km ?? 0 });
        ctx.state.value<number>('deadline').clear();
      },
    })
    .sink('alerts');
};
