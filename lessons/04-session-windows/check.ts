// Checks lesson 4: one result per runner per stretch of activity (pings less than 60 s
// apart), with the number of pings in it.
import { minutes, runnerPings, runPipeline, seconds } from 'brook';
import type { LessonRun } from '../../src/lessons/lesson-run.ts';

const GAP = seconds(60);

/** The sessions the lesson's pings form, per runner: [first ping, last ping + gap) and the count. */
function expectedSessions(seed: number): Map<string, { start: number; end: number; pings: number }[]> {
  const pings = runnerPings({
    runners: 4,
    duration: minutes(20),
    silences: [
      { runner: 1, from: minutes(6), length: minutes(3), buffered: true },
      { runner: 3, from: minutes(12), length: minutes(2), buffered: false },
    ],
  });
  const { records } = runPipeline((p) => p.generator(pings, { name: 'pings' }).sink('all'), { seed });
  const times = new Map<string, number[]>();
  for (const r of records) {
    const runner = (r.value as { runner: string }).runner;
    times.set(runner, [...(times.get(runner) ?? []), r.timestamp]);
  }
  const sessions = new Map<string, { start: number; end: number; pings: number }[]>();
  for (const [runner, ts] of times) {
    const list: { start: number; end: number; pings: number }[] = [];
    for (const t of ts.sort((a, b) => a - b)) {
      const last = list.at(-1);
      if (last && t <= last.end) {
        last.end = t + GAP;
        last.pings++;
      } else list.push({ start: t, end: t + GAP, pings: 1 });
    }
    sessions.set(runner, list);
  }
  return sessions;
}

export default function check(run: LessonRun): string[] {
  const results = run.sink('runs');
  if (results.length === 0) return ['nothing reached the sink "runs"'];
  const seed = run.trace[0]?.type === 'jobStarted' ? run.trace[0].seed : 4;
  const messages: string[] = [];
  for (const [runner, sessions] of expectedSessions(seed)) {
    const got = results.filter((r) => r.key === runner);
    const shown = (n: number) => `${n} result${n === 1 ? '' : 's'}`;
    if (got.length !== sessions.length) {
      const bounds = got.slice(0, 3).map((r) => (r.window && r.window !== 'global' ? run.window(r.window) : 'no window')).join(', ');
      messages.push(
        `${runner} ran ${sessions.length === 1 ? 'one stretch' : `${sessions.length} stretches`} without a 60-second silence ` +
          `(${sessions.map((s) => run.window(s)).join(' and ')}), but the sink got ${shown(got.length)} (${bounds}${got.length > 3 ? ', ...' : ''}): ` +
          'a run should start with the first ping and end 60 s after the last, wherever that falls',
      );
      continue;
    }
    sessions.forEach((s, i) => {
      const r = got[i]!;
      if (r.window === undefined || r.window === 'global' || r.window.start !== s.start || r.window.end !== s.end || r.value !== s.pings) {
        messages.push(`${runner}'s run ${run.window(s)} has ${s.pings} pings, but the sink got ${String(r.value)} for ${r.window === undefined ? 'no window' : run.window(r.window)}`);
      }
    });
    if (messages.length >= 3) break;
  }
  return messages.slice(0, 3);
}
