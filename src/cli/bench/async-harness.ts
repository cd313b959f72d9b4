// The asynchronous twin of harness.ts, for benchmarks that await a store: one warm-up run of
// each contender, then repetitions interleaved (a, b, a, b, ...). Each run measures itself and
// says how long its timed part took, so setup (opening a fresh database, building a job) can
// stay outside the timing. A contender whose every run warms itself up (a run of many seconds
// that repeats the same work many times over) may skip the warm-up run.

import { performance } from 'node:perf_hooks';

/** What one run of a contender reports: its result and the milliseconds of its timed part. */
export interface Measured<R> {
  readonly result: R;
  readonly millis: number;
}

export interface AsyncContender<R> {
  readonly name: string;
  /** One run; `warmUp` is true for the untimed first run (where a contender may check more). */
  readonly run: (warmUp: boolean) => Promise<Measured<R>>;
  /** False: no warm-up run; the first timed run is checked instead (it gets `warmUp` true). Default true. */
  readonly warmUp?: boolean;
}

export interface AsyncTiming<R> {
  readonly name: string;
  /** The result of the warm-up run (or of the first timed run), for checking that the contenders agree. */
  readonly result: R;
  /** The results of the timed repetitions, in order. */
  readonly results: R[];
  /** Milliseconds of each timed repetition. */
  readonly millis: number[];
}

/** Times a whole call: the common case of `AsyncContender.run`. */
export async function timeWhole<R>(fn: () => R | Promise<R>): Promise<Measured<R>> {
  const start = performance.now();
  const result = await fn();
  return { result, millis: performance.now() - start };
}

/** Runs each contender once (warm-up), then `repetitions` rounds of all of them, interleaved. */
export async function timeInterleavedAsync<R>(
  contenders: readonly AsyncContender<R>[],
  repetitions: number,
  onProgress: (line: string) => void = () => {},
): Promise<AsyncTiming<R>[]> {
  const warmUps: (R | undefined)[] = [];
  for (const contender of contenders) {
    if (contender.warmUp === false) {
      warmUps.push(undefined);
      continue;
    }
    const { result, millis } = await contender.run(true);
    onProgress(`warm-up ${contender.name} ${formatMillis(millis)}`);
    warmUps.push(result);
  }
  const results: R[][] = contenders.map(() => []);
  const millis: number[][] = contenders.map(() => []);
  for (let round = 0; round < repetitions; round++) {
    for (let i = 0; i < contenders.length; i++) {
      const run = await contenders[i]!.run(round === 0 && warmUps[i] === undefined);
      results[i]!.push(run.result);
      millis[i]!.push(run.millis);
    }
    onProgress(`round ${round + 1}/${repetitions}: ${contenders.map((c, i) => `${c.name} ${formatMillis(millis[i]![round]!)}`).join(', ')}`);
  }
  return contenders.map((c, i) => ({ name: c.name, result: warmUps[i] ?? results[i]![0]!, results: results[i]!, millis: millis[i]! }));
}

function formatMillis(ms: number): string {
  return ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`;
}
