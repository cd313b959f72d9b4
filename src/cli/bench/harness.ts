// Times several implementations of one job fairly: one warm-up run each, then repetitions
// interleaved (a, b, c, a, b, c, ...) so drift in the machine's speed hits all of them alike.

import { performance } from 'node:perf_hooks';

export interface Contender<R> {
  readonly name: string;
  readonly run: () => R;
}

export interface Timing<R> {
  readonly name: string;
  /** The result of the warm-up run, for checking that all contenders agree. */
  readonly result: R;
  /** Wall-clock milliseconds of each timed repetition. */
  readonly millis: number[];
}

/** Runs each contender once untimed, then `repetitions` timed rounds, interleaved. */
export function timeInterleaved<R>(
  contenders: readonly Contender<R>[],
  repetitions: number,
  onProgress: (line: string) => void = () => {},
): Timing<R>[] {
  const timings = contenders.map((contender) => {
    const start = performance.now();
    const result = contender.run();
    onProgress(`warm-up ${contender.name} ${formatMillis(performance.now() - start)}`);
    return { name: contender.name, result, millis: [] as number[] };
  });
  for (let round = 0; round < repetitions; round++) {
    contenders.forEach((contender, i) => {
      const start = performance.now();
      contender.run();
      timings[i]!.millis.push(performance.now() - start);
    });
    onProgress(`round ${round + 1}/${repetitions}: ${timings.map((t) => `${t.name} ${formatMillis(t.millis[round]!)}`).join(', ')}`);
  }
  return timings;
}

function formatMillis(ms: number): string {
  return `${ms.toFixed(0)} ms`;
}
