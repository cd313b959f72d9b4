// Checks lesson 8: one alert in "silent-trackers" for every time a runner's tracker sent
// nothing for longer than it takes them to run 250 m at their usual pace, at that moment, and
// no other alerts.
import { minutes, runnerPings, runPipeline, seconds } from 'brook';
import type { LessonRun } from '../../src/lessons/lesson-run.ts';

const TOLERANCE = seconds(2);

interface Silence {
  runner: string;
  /** When the last ping before the silence arrived, and when the next one did. */
  from: number;
  to: number;
  /** When the alert is due: the last ping's arrival plus 250 m at the runner's mean pace so far. */
  due: number;
  allowance: number;
}

/** The silences the lesson's pings contain, in processing time (arrivals), per runner. */
function silencesOf(seed: number): { silences: Silence[]; longestGap: Map<string, number> } {
  const pings = runnerPings({
    runners: 5,
    duration: minutes(20),
    silences: [
      { runner: 1, from: minutes(6), length: minutes(3), buffered: true },
      { runner: 3, from: minutes(12), length: minutes(2), buffered: false },
      { runner: 4, from: minutes(4), length: seconds(40), buffered: false },
    ],
  });
  const { records } = runPipeline((p) => p.generator(pings, { name: 'pings' }).sink('all'), { seed });
  const byRunner = new Map<string, { arrival: number; pace: number }[]>();
  for (const r of records) {
    const ping = r.value as { runner: string; paceSecPerKm: number };
    byRunner.set(ping.runner, [...(byRunner.get(ping.runner) ?? []), { arrival: r.processingTime, pace: ping.paceSecPerKm }]);
  }
  const silences: Silence[] = [];
  const longestGap = new Map<string, number>();
  for (const [runner, list] of byRunner) {
    let sum = 0;
    list.forEach((ping, i) => {
      sum += ping.pace;
      const next = list[i + 1];
      if (next === undefined) return;
      const allowance = Math.round((sum / (i + 1)) * 0.25 * 1000);
      longestGap.set(runner, Math.max(longestGap.get(runner) ?? 0, next.arrival - ping.arrival));
      if (next.arrival > ping.arrival + allowance) silences.push({ runner, from: ping.arrival, to: next.arrival, due: ping.arrival + allowance + 1, allowance });
    });
  }
  return { silences, longestGap };
}

export default function check(run: LessonRun): string[] {
  const alerts = run.sink('silent-trackers');
  const seed = run.trace[0]?.type === 'jobStarted' ? run.trace[0].seed : 8;
  const { silences, longestGap } = silencesOf(seed);
  const messages: string[] = [];

  const explained = new Set<(typeof alerts)[number]>();
  for (const s of silences) {
    const mine = alerts.filter((a) => a.key === s.runner && a.processingTime > s.from && a.processingTime <= s.to);
    mine.forEach((a) => explained.add(a));
    const onTime = mine.filter((a) => Math.abs(a.processingTime - s.due) <= TOLERANCE);
    if (mine.length === 0) {
      messages.push(
        `${s.runner}'s tracker sent nothing from ${run.clock(s.from)} to ${run.clock(s.to)}, longer than the ${Math.round(s.allowance / 1000)} s they need for 250 m, ` +
          `but no alert for it reached "silent-trackers": an alarm should ring at ${run.clock(s.due)}`,
      );
    } else if (onTime.length === 0) {
      messages.push(
        `${s.runner}'s alert came at ${run.clock(mine[0]!.processingTime)}, but it is due at ${run.clock(s.due)}: ${Math.round(s.allowance / 1000)} s ` +
          `(250 m at their usual pace so far) after their last ping at ${run.clock(s.from)}`,
      );
    } else if (mine.length > 1) {
      messages.push(`${s.runner} got ${mine.length} alerts for one silence (${run.clock(s.from)} to ${run.clock(s.to)}); one is enough`);
    }
  }

  const stray = alerts.filter((a) => !explained.has(a));
  if (stray.length > 0) {
    const runner = String(stray[0]!.key);
    const count = stray.filter((a) => a.key === runner).length;
    const gap = longestGap.get(runner) ?? 0;
    const silent = silences.some((s) => s.runner === runner);
    messages.unshift(
      `${runner} got ${count} alert${count === 1 ? '' : 's'} while their tracker was sending pings ` +
        `(e.g. at ${run.clock(stray[0]!.processingTime)}${silent ? '' : `; their longest gap between two pings was ${Math.round(gap / 1000)} s`}): ` +
        'every ping sets a new alarm, and the alarms of earlier pings still ring. A new ping should cancel the previous alarm (or the timer should check that it is still the latest one).',
    );
  }
  return messages.slice(0, 3);
}
