// Checkpointing overhead: the window-sum job run in a DurableSession on a MemoryDurableStore,
// checkpointing every second of (wall-clock) processing time, against the same session stepped
// the same way with no checkpoint but the final one at the end of input. As in Flink, the
// interval is the machine's time: at the engine's pace of about a million records a second, a
// checkpoint comes every million records or so. (Brook's virtual processing clock would put one
// every 10,000 records of this dataset, a hundred times Flink's rate; lessons use that clock,
// a throughput benchmark does not.) Both contenders share the driver, its steps and its store, so
// the ratio isolates what checkpoints cost: barriers, snapshots, checksums, store writes and the
// pruning of old checkpoints. `runPipeline` (no driver) is timed alongside for reference. All
// three must produce the same window results.

import { performance } from 'node:perf_hooks';
import { runPipeline } from '../../engine/api/index.ts';
import { DurableSession } from '../../engine/checkpoint/durable-session.ts';
import { MemoryDurableStore } from '../../engine/checkpoint/memory-store.ts';
import { type AsyncContender, timeInterleavedAsync, timeWhole } from './async-harness.ts';
import { windowSumPipeline, windowSumResultOf } from './durable-window-sum.ts';
import { formatCount, median, rateLine, ratesOf, ratioLine } from './report.ts';
import { formatChars, formatMillis, targetLine } from './durability-format.ts';
import { TimedStore } from './timed-store.ts';
import { diffWindowSums } from './window-sum-compare.ts';
import { generateWindowSumDataset, type WindowSumJob, type WindowSumResult } from './window-sum-dataset.ts';

/** The target: checkpointing every second costs at most 10% of throughput. */
export const CHECKPOINT_OVERHEAD_TARGET = 0.9;
/** Scheduler steps between two looks at the clock: small next to a second's work, large next to a clock read. */
const STEPS_PER_SLICE = 512;

export interface CheckpointOverheadOptions {
  /** How many records of the window-sum dataset (its first ones) to run. */
  readonly records: number;
  readonly repetitions: number;
  readonly seed: number;
  readonly verbose: boolean;
  /** The job and the data's shape: the window-sum benchmark's. */
  readonly job: WindowSumJob;
  readonly keys: number;
  readonly rate: number;
  /** Wall-clock ms between checkpoints. Default 1000. */
  readonly checkpointInterval?: number;
}

/** What one run produced. */
export interface OverheadRun {
  readonly output: WindowSumResult;
  /** Complete checkpoints, and the size of each (characters of JSON). */
  readonly checkpointSizes: readonly number[];
  /** Milliseconds spent in each store method (durable runs only). */
  readonly storeMillis: ReadonlyMap<string, number>;
}

export interface CheckpointOverheadReport {
  /** Lines describing how the contenders' outputs differ; empty when they agree. */
  readonly differences: string[];
  /** The checked run of each contender (its warm-up, or its first timed run), by name (checkpointed, plain, runPipeline). */
  readonly runs: ReadonlyMap<string, OverheadRun>;
  /** Median records/s of each contender (absent when they disagree). */
  readonly rates?: ReadonlyMap<string, number>;
  /** checkpointed/plain of median records/s (absent when they disagree). */
  readonly ratio?: number;
}

/**
 * Runs the job to its end in slices of scheduler steps, triggering a checkpoint whenever
 * `interval` ms of wall-clock time have passed since the last one (never, for Infinity). The
 * session takes its final checkpoint at the end of input either way.
 */
async function runCheckpointingEvery(build: ReturnType<typeof windowSumPipeline>, interval: number): Promise<OverheadRun> {
  const store = new TimedStore(new MemoryDurableStore());
  const session = await DurableSession.open(build, { store, jobId: 'bench', checkpointInterval: null, resume: false });
  let last = performance.now();
  while (!session.finished && session.failed === undefined) {
    await session.advance({ maxSteps: STEPS_PER_SLICE });
    if (performance.now() - last >= interval && !session.finished) {
      if ((await session.checkpointNow()) === null) throw new Error('a checkpoint failed');
      last = performance.now();
    }
  }
  if (session.failed !== undefined) throw new Error(`the durable run failed: ${session.failed.reason}`);
  return { output: windowSumResultOf(session.records), checkpointSizes: store.checkpointSizes, storeMillis: store.millis };
}

/** Runs the benchmark, printing through `print`. */
export async function runCheckpointOverheadBenchmark(
  options: CheckpointOverheadOptions,
  print: (line: string) => void,
): Promise<CheckpointOverheadReport> {
  const interval = options.checkpointInterval ?? 1000;
  const { records, job } = generateWindowSumDataset(
    { records: options.records, keys: options.keys, rate: options.rate, seed: options.seed },
    options.job,
  );
  const build = windowSumPipeline(records, job);
  const span = records.reduce((max, r) => Math.max(max, r.timestamp), 0);
  print(
    `checkpointing overhead: window sum, the first ${formatCount(records.length)} records (${(span / 1000).toFixed(0)} s of event time), ` +
      `a DurableSession checkpointing every ${interval} ms of wall-clock time to a MemoryDurableStore; baseline "plain": the same session ` +
      `stepped the same way, with only the final checkpoint at the end of input`,
  );

  const contenders: AsyncContender<OverheadRun>[] = [
    // Seconds of the same snapshots and checksums: each run warms itself up, and the runs
    // of the other two (warm-ups first) have warmed the record path they share.
    { name: 'checkpointed', run: () => timeWhole(() => runCheckpointingEvery(build, interval)), warmUp: false },
    { name: 'plain', run: () => timeWhole(() => runCheckpointingEvery(build, Number.POSITIVE_INFINITY)) },
    {
      name: 'runPipeline',
      run: () => timeWhole(() => ({ output: windowSumResultOf(runPipeline(build).records), checkpointSizes: [], storeMillis: new Map() })),
    },
  ];
  const timings = await timeInterleavedAsync(contenders, options.repetitions, options.verbose ? (line) => print(`  ${line}`) : undefined);
  const runs = new Map(timings.map((t) => [t.name, t.result]));

  const [reference, ...others] = timings;
  const differences = others.flatMap((other) => diffWindowSums(reference!.name, reference!.result.output, other.name, other.result.output));
  if (differences.length > 0) {
    print('  the runs disagree, so no ratio is printed:');
    for (const line of differences) print(`    ${line}`);
    return { differences, runs };
  }
  const output = reference!.result.output;
  print(`  all ${timings.length} agree: ${formatCount(output.keys.length)} window results, ${formatCount(output.dropped)} late records dropped`);

  const rates = new Map(timings.map((t) => [t.name, ratesOf(records.length, t.millis)]));
  const width = Math.max(...timings.map((t) => t.name.length));
  for (const [name, r] of rates) print(rateLine(name, r, width) + (name === 'runPipeline' ? '  (reference: no driver)' : ''));

  const checkpointed = timings[0]!;
  const plain = timings[1]!;
  // Every run ends with the final checkpoint, the plain one included; the periodic ones are the rest.
  const periodic = (run: OverheadRun) => run.checkpointSizes.length - 1;
  const counts = checkpointed.results.map(periodic);
  const sizes = checkpointed.results.flatMap((run) => run.checkpointSizes.slice(0, -1));
  const count = median(counts);
  const average = sizes.length === 0 ? 0 : sizes.reduce((a, b) => a + b, 0) / sizes.length;
  print(
    `  periodic checkpoints: ${counts.join(', ')} in the ${counts.length} timed runs, average size ${formatChars(average)}` +
      (sizes.length > 0 ? `, largest ${formatChars(Math.max(...sizes))}` : '') +
      ` (plus the final one at the end of input, in plain too)`,
  );
  if (count > 0) {
    const overhead = (median(checkpointed.millis) - median(plain.millis)) / count;
    const store = new Map<string, number>();
    for (const run of checkpointed.results) for (const [m, ms] of run.storeMillis) store.set(m, (store.get(m) ?? 0) + ms);
    const all = checkpointed.results.reduce((n, run) => n + run.checkpointSizes.length, 0);
    const perCheckpoint = [...store]
      .map(([method, ms]) => [method, ms / all] as const)
      .filter(([, ms]) => ms >= 0.05)
      .sort((a, b) => b[1] - a[1]);
    const inStore = perCheckpoint.reduce((n, [, ms]) => n + ms, 0);
    print(
      `  cost per checkpoint: ${formatMillis(overhead)} (checkpointed − plain, medians), of which in store calls ${formatMillis(inStore)} (mean` +
        (perCheckpoint.length > 0 ? `: ${perCheckpoint.map(([m, ms]) => `${m} ${formatMillis(ms)}`).join(', ')}` : '') +
        `); the rest is snapshotting at the barriers and checksumming in the driver`,
    );
  }
  const ratio = median(rates.get('checkpointed')!) / median(rates.get('plain')!);
  print(targetLine('checkpointed/plain', '>=', CHECKPOINT_OVERHEAD_TARGET, ratio));
  print(ratioLine('checkpointed', 'plain', median(rates.get('checkpointed')!), median(rates.get('plain')!)));
  return { differences, runs, rates: new Map([...rates].map(([name, r]) => [name, median(r)])), ratio };
}
