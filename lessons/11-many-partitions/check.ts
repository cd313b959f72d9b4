// Checks lesson 11 from a checkpointed run in which partition 3 of the usage log lags five
// minutes behind the others: from 0:10:00 on, checkpoints stay small because the fast
// partitions may not run far ahead; and every customer's minute is counted.
import { minutes, runPipeline, usageEvents } from 'brook';
import type { LessonRun } from '../../src/lessons/lesson-run.ts';

const LIMIT = 40_000;
/** From when checkpoints must stay small: the state built up before partition 3's first watermark has drained by then. */
const FROM = minutes(10);
const MINUTE = minutes(1);

/** API calls per customer and minute, from the lesson's source and seed. */
function callsPerMinute(seed: number): Map<string, number> {
  const usage = { ...usageEvents({ customers: 40, perSecond: 20, duration: minutes(20), lateFraction: 0 }), partitions: [{}, {}, {}, { lag: minutes(5) }] };
  const { records } = runPipeline((p) => p.generator(usage, { name: 'usage' }).sink('all'), { seed });
  const calls = new Map<string, number>();
  for (const r of records) {
    const u = r.value as { customer: string; metric: string; units: number };
    if (u.metric !== 'api_calls') continue;
    const at = `${u.customer}@${Math.floor(r.timestamp / MINUTE) * MINUTE}`;
    calls.set(at, (calls.get(at) ?? 0) + u.units);
  }
  return calls;
}

export default function check(run: LessonRun): string[] {
  const results = run.sink('calls-per-minute');
  if (results.length === 0) return ['nothing reached the sink "calls-per-minute"'];
  if (run.durable === undefined) return ['this lesson runs with checkpoints: run it with its own settings'];
  const messages: string[] = [];

  // From 0:10:00 on, how far apart the partitions' watermarks got.
  const watermarks = new Map<number, number>();
  let widest = { gap: 0, pt: 0, fast: 0, slow: 0 };
  for (const e of run.trace) {
    if (e.type === 'sourceWatermark') {
      watermarks.set(e.partition, e.watermark);
      if (watermarks.size === 4 && e.pt >= FROM) {
        const values = [...watermarks.values()];
        const gap = Math.max(...values) - Math.min(...values);
        if (gap > widest.gap) widest = { gap, pt: e.pt, fast: Math.max(...values), slow: Math.min(...values) };
      }
    }
  }
  const biggest = run.trace
    .filter((e) => e.type === 'checkpointCompleted' && e.pt >= FROM)
    .reduce<{ size: number; pt: number; id: number } | undefined>(
      (max, e) => (e.type === 'checkpointCompleted' && (max === undefined || e.size > max.size) ? { size: e.size, pt: e.pt, id: e.checkpointId } : max),
      undefined,
    );
  if (biggest !== undefined && biggest.size > LIMIT) {
    messages.push(
      `checkpoint ${biggest.id} at ${run.clock(biggest.pt)} held ${biggest.size.toLocaleString('en')} characters of state (the limit is ${LIMIT.toLocaleString('en')}): ` +
        `at ${run.clock(widest.pt)} the fastest partition's watermark was at ${run.clock(widest.fast)} and partition 3's at ${run.clock(widest.slow)}, ` +
        `${Math.round(widest.gap / 1000)} s apart, and every minute in between waits in the window state for the slow partition. ` +
        'Keep the fast partitions from reading more than about half a minute of event time ahead of the slowest: the records can wait in the log instead.',
    );
  }

  const seed = run.trace[0]?.type === 'jobStarted' ? run.trace[0].seed : 11;
  const counted = new Map<string, number>();
  for (const r of results) if (r.window && r.window !== 'global') counted.set(`${String(r.key)}@${r.window.start}`, r.value as number);
  for (const [at, calls] of callsPerMinute(seed)) {
    if (counted.get(at) !== calls) {
      const [customer, start] = at.split('@') as [string, string];
      messages.push(`${customer} made ${calls} API calls in ${run.window({ start: Number(start), end: Number(start) + MINUTE })}, but the sink counted ${counted.get(at) ?? 'nothing'}`);
      break;
    }
  }
  return messages;
}
