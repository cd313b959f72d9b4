// Turns the crash flags of `brook run` (--crash-at, --crash-random, --crash-every-records,
// --crash-phase) into the driver's crash plan, and into the lines the summary prints about it.
// Random crash times come from the engine's seeded random source, so a seed repeats them.

import type { CrashPlan } from '../engine/checkpoint/job-driver.ts';
import { seededRandom } from '../engine/random/random.ts';
import type { DurableArgs } from './args.ts';

/** The crash plan of the flags, and lines saying when the crashes are due. */
export function crashPlan(args: DurableArgs, arrivals: readonly number[], seed: number): { plan: CrashPlan; lines: string[] } {
  const lines: string[] = [];
  const times = new Set<number>(args.crashAt);
  if (args.crashAt.length > 0) lines.push(`crashes planned (--crash-at): ${ptList(args.crashAt)}`);
  if (args.crashRandom !== undefined) {
    const first = Math.min(...arrivals);
    const last = Math.max(...arrivals);
    if (arrivals.length === 0) {
      lines.push(`crashes planned (--crash-random ${args.crashRandom}): none, no source record arrives`);
    } else {
      const drawn = randomCrashTimes(args.crashRandom, first, last, seed);
      for (const t of drawn) times.add(t);
      lines.push(`crashes planned (--crash-random ${args.crashRandom}, seed ${seed}, between pt ${first} and pt ${last}): ${ptList(drawn)}`);
    }
  }
  if (args.crashEveryRecords !== undefined) {
    const n = args.crashEveryRecords;
    const due = [...new Set(arrivals.filter((_, i) => (i + 1) % n === 0).map((pt) => pt + 1))];
    for (const t of due) times.add(t);
    lines.push(
      `crashes planned (--crash-every-records ${n}, ${arrivals.length} records): ${due.length === 0 ? 'none' : ptList(due)}`,
    );
  }
  if (args.crashPhases.length > 0) {
    lines.push(`crashes planned (--crash-phase): ${args.crashPhases.map((c) => `${c.phase} #${c.occurrence}`).join(', ')}`);
  }
  const plan: CrashPlan = {
    atProcessingTimes: [...times].sort((a, b) => a - b),
    phases: args.crashPhases.map((c) => ({ phase: c.phase, occurrence: c.occurrence })),
  };
  return { plan, lines };
}

/**
 * `count` distinct whole-ms processing times in [first, last], drawn with the engine's seeded
 * random source (a fork labelled "crash-random" of the run's seed), in ascending order; fewer
 * when the range holds fewer.
 */
export function randomCrashTimes(count: number, first: number, last: number, seed: number): number[] {
  const random = seededRandom(seed).fork('crash-random');
  const span = last - first + 1;
  const want = Math.min(count, span);
  const drawn = new Set<number>();
  while (drawn.size < want) drawn.add(first + random.int(span));
  return [...drawn].sort((a, b) => a - b);
}

function ptList(times: readonly number[]): string {
  return `pt ${[...times].sort((a, b) => a - b).join(', ')}`;
}
