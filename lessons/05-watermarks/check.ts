// Checks lesson 5: every runner's minute reaches "pace-per-minute" within 30 s (processing
// time) of the minute's end, with every ping of that minute counted.
import { minutes, runnerPings, runPipeline, seconds } from 'brook';
import type { LessonRun } from '../../src/lessons/lesson-run.ts';

const MINUTE = minutes(1);
const DEADLINE = seconds(30);

/** Pings per runner and minute (by event time), from the lesson's own generator and seed. */
function pingsPerMinute(seed: number): Map<string, number> {
  const pings = runnerPings({ runners: 4, duration: minutes(20), silences: [{ runner: 2, from: minutes(8), length: minutes(5), buffered: false }] });
  const { records } = runPipeline((p) => p.generator(pings, { name: 'pings' }).sink('all'), { seed });
  const counts = new Map<string, number>();
  for (const r of records) {
    const at = `${(r.value as { runner: string }).runner}@${Math.floor(r.timestamp / MINUTE) * MINUTE}`;
    counts.set(at, (counts.get(at) ?? 0) + 1);
  }
  return counts;
}

/** The partition with the longest silence (no records) between `from` and `to`, and when it began. */
function silentPartition(run: LessonRun, from: number, to: number): { partition: number; since: number; until: number } | undefined {
  const last = new Map<number, number>();
  let longest: { partition: number; since: number; until: number } | undefined;
  for (const e of run.trace) {
    if (e.type !== 'recordArrived') continue;
    const previous = last.get(e.partition);
    if (previous !== undefined && e.pt > from && previous < to && (!longest || e.pt - previous > longest.until - longest.since)) {
      longest = { partition: e.partition, since: previous, until: e.pt };
    }
    last.set(e.partition, e.pt);
  }
  return longest;
}

export default function check(run: LessonRun): string[] {
  const results = run.sink('pace-per-minute');
  if (results.length === 0) return ['nothing reached the sink "pace-per-minute"'];
  for (const r of results) {
    if (r.window === undefined || r.window === 'global' || r.window.end - r.window.start !== MINUTE) {
      return ['each result should cover one runner\'s minute: keep the one-minute tumbling window'];
    }
  }

  const messages: string[] = [];
  const seed = run.trace[0]?.type === 'jobStarted' ? run.trace[0].seed : 5;
  const expected = pingsPerMinute(seed);
  for (const [at, count] of expected) {
    const [runner, start] = at.split('@') as [string, string];
    const got = results.filter((r) => r.key === runner && r.window !== 'global' && r.window?.start === Number(start));
    const pings = got.reduce((n, r) => Math.max(n, (r.value as { pings: number }).pings), 0);
    if (pings !== count) {
      messages.push(
        `${runner}'s minute ${run.window({ start: Number(start), end: Number(start) + MINUTE })} had ${count} pings, but the sink counted ${pings}: ` +
          `pings that arrive behind the watermark are dropped (look for dropped records in the Time domain panel)`,
      );
      break;
    }
  }

  const slowest = [...results].sort((a, b) => b.processingTime - (b.window as { end: number }).end - (a.processingTime - (a.window as { end: number }).end))[0]!;
  const w = slowest.window as { start: number; end: number };
  const wait = slowest.processingTime - w.end;
  const overdue = results.filter((r) => r.processingTime - (r.window as { end: number }).end > DEADLINE).length;
  const waits = results.map((r) => r.processingTime - (r.window as { end: number }).end).sort((a, b) => a - b);
  const typical = waits[Math.floor(waits.length / 2)]!;
  if (overdue > results.length * 0.8) {
    messages.push(
      `${overdue} of ${results.length} minutes reached the sink more than ${DEADLINE / 1000} s after they ended; a typical one waited ${Math.round(typical / 1000)} s` +
        (typical > minutes(5)
          ? ': the watermark hardly moved. Use a watermark strategy that follows the pings\' timestamps (bounded out-of-orderness of a couple of seconds).'
          : ': the watermark trails the newest ping by too much. These trackers upload every ping within 1.5 s, so a bound of a couple of seconds is enough.'),
    );
  } else if (wait > DEADLINE) {
    const silent = silentPartition(run, w.end, slowest.processingTime);
    messages.push(
      `${String(slowest.key)}'s minute ${run.window(w)} reached the sink at ${run.clock(slowest.processingTime)}, ` +
        `${Math.round(wait / 1000)} s after it ended (the board needs it within ${DEADLINE / 1000} s)` +
        (silent
          ? `: partition ${silent.partition} sent nothing from ${run.clock(silent.since)} to ${run.clock(silent.until)}, and the source's watermark is the minimum over its partitions, so it stood still. ` +
            'A partition that has gone quiet should stop holding the watermark back.'
          : ': the watermark did not pass the end of the minute in time.'),
    );
  }
  return messages;
}
