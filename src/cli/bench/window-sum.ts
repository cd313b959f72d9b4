// The windowed-sum benchmark: generates the dataset once, checks that the hand-written loop,
// RxJS and the Brook engine compute the same result, then times them and prints records/s and
// the engine's speed relative to the other two.

import { type Contender, timeInterleaved } from './harness.ts';
import { formatCount, median, rateLine, ratesOf, ratioLine } from './report.ts';
import { diffWindowSums } from './window-sum-compare.ts';
import { generateWindowSumDataset, type WindowSumJob, type WindowSumResult } from './window-sum-dataset.ts';
import { windowSumEngine } from './window-sum-engine.ts';
import { windowSumLoop } from './window-sum-loop.ts';
import { windowSumRxjs } from './window-sum-rxjs.ts';

export interface WindowSumOptions {
  readonly records: number;
  readonly repetitions: number;
  readonly seed: number;
  /** Also print each round's times. */
  readonly verbose: boolean;
}

/** 10,000 keys, 10 records per ms of event time, 10 s windows, 2 s out-of-orderness. */
export const WINDOW_SUM_JOB: WindowSumJob = { windowSize: 10_000, outOfOrderness: 2_000, watermarkInterval: 200 };
const KEYS = 10_000;
const RATE = 10;

/** Runs the benchmark, printing through `print`; returns the exit status (1 if they disagree). */
export function runWindowSumBenchmark(options: WindowSumOptions, print: (line: string) => void): number {
  const dataset = generateWindowSumDataset({ records: options.records, keys: KEYS, rate: RATE, seed: options.seed }, WINDOW_SUM_JOB);
  const { records, job } = dataset;
  print(
    `window sum: ${formatCount(records.length)} records, ${formatCount(KEYS)} keys, ` +
      `${job.windowSize / 1000} s tumbling event-time windows, ${job.outOfOrderness / 1000} s out-of-orderness, ` +
      `${formatCount(dataset.lateRecords)} records generated late`,
  );

  const contenders: Contender<WindowSumResult>[] = [
    { name: 'loop', run: () => windowSumLoop(records, job) },
    { name: 'rxjs', run: () => windowSumRxjs(records, job) },
    { name: 'engine', run: () => windowSumEngine(records, job) },
  ];
  const timings = timeInterleaved(contenders, options.repetitions, options.verbose ? (line) => print(`  ${line}`) : undefined);

  const [reference, ...others] = timings;
  const differences = others.flatMap((other) => diffWindowSums(reference!.name, reference!.result, other.name, other.result));
  if (differences.length > 0) {
    print('the implementations disagree, so no ratios are printed:');
    for (const line of differences) print(`  ${line}`);
    return 1;
  }
  print(
    `  all ${timings.length} agree: ${formatCount(reference!.result.keys.length)} window results, ` +
      `${formatCount(reference!.result.dropped)} late records dropped`,
  );

  const rates = new Map(timings.map((t) => [t.name, ratesOf(records.length, t.millis)]));
  const width = Math.max(...timings.map((t) => t.name.length));
  for (const [name, r] of rates) print(rateLine(name, r, width));
  const medianOf = (name: string) => median(rates.get(name)!);
  print(ratioLine('engine', 'loop', medianOf('engine'), medianOf('loop')));
  print(ratioLine('engine', 'rxjs', medianOf('engine'), medianOf('rxjs')));
  return 0;
}
