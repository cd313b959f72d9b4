// Recovery time: the window-sum job runs through `runDurable`, checkpointing every second, and
// crashes at a planned processing time; measured is the wall time from the crash (`jobCrashed`
// in the trace) to the first record the recovered job replays (the first `recordArrived` after
// `jobRestored`), on a MemoryDurableStore and on an IdbDurableStore (fake-indexeddb), runs
// interleaved. In between, the driver builds a new job, lists the complete checkpoints
// (verifying their checksums), reads the newest one's parts, decodes and restores them, and
// steps the job to its first record. No target: the figures are printed, with the split at
// `jobRestored` (which the job traces before it decodes the parts) and the time in store calls.
// Each run's output, repeats removed, must equal a crash-free run's.

import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { performance } from 'node:perf_hooks';
import { runPipeline, type TraceEvent } from '../../engine/api/index.ts';
import { runDurable } from '../../engine/checkpoint/job-driver.ts';
import { MemoryDurableStore } from '../../engine/checkpoint/memory-store.ts';
import type { DurableStore } from '../../engine/checkpoint/durable-store.ts';
import { IdbDurableStore } from '../../storage/idb-store.ts';
import { type AsyncContender, timeInterleavedAsync } from './async-harness.ts';
import { distinctWindowSums, windowSumPipeline, windowSumResultOf } from './durable-window-sum.ts';
import { formatChars, formatMillis } from './durability-format.ts';
import { formatCount, median } from './report.ts';
import { TimedStore } from './timed-store.ts';
import { diffWindowSums } from './window-sum-compare.ts';
import { generateWindowSumDataset, type WindowSumJob, type WindowSumResult } from './window-sum-dataset.ts';

export interface RecoveryOptions {
  /** How many records of the window-sum dataset (its first ones) to run; they must outlast the crash. */
  readonly records: number;
  readonly repetitions: number;
  readonly seed: number;
  readonly verbose: boolean;
  readonly job: WindowSumJob;
  readonly keys: number;
  readonly rate: number;
  /** Processing time between checkpoints, ms. Default 1000. */
  readonly checkpointInterval?: number;
  /** The processing time at which the job crashes. */
  readonly crashAt: number;
}

/** One crash and recovery. */
export interface RecoveryRun {
  /** The run's window results with repeats removed, and how many repeats there were. */
  readonly output: WindowSumResult;
  readonly repeated: number;
  readonly attempts: number;
  /** The checkpoint the job was restored from (null: it started over). */
  readonly restoredFrom: number | null;
  /** Its size (characters of JSON). */
  readonly restoredSize: number;
  /** Crash to `jobRestored`, and `jobRestored` to the first replayed record, ms. */
  readonly toRestored: number;
  readonly toFirstRecord: number;
  /** Store calls between the crash and the first replayed record: ms per method. */
  readonly storeMillis: ReadonlyMap<string, number>;
}

export interface RecoveryReport {
  /** Lines describing how the runs differ from a crash-free run or each other; empty when they agree. */
  readonly differences: string[];
  /** The first run on each store, by store name (memory, idb). */
  readonly runs: ReadonlyMap<string, RecoveryRun>;
  /** Median ms from crash to first replayed record, per store (absent when they disagree). */
  readonly millis?: ReadonlyMap<string, number>;
}

const JOB_ID = 'bench';

/** Runs the benchmark, printing through `print`. */
export async function runRecoveryBenchmark(options: RecoveryOptions, print: (line: string) => void): Promise<RecoveryReport> {
  const interval = options.checkpointInterval ?? 1000;
  const { records, job } = generateWindowSumDataset(
    { records: options.records, keys: options.keys, rate: options.rate, seed: options.seed },
    options.job,
  );
  const build = windowSumPipeline(records, job);
  const span = records.reduce((max, r) => Math.max(max, r.timestamp), 0);
  if (span <= options.crashAt) throw new Error(`the records end at processing time ${span}, before the crash at ${options.crashAt}`);
  print(
    `recovery: window sum, the first ${formatCount(records.length)} records, runDurable checkpointing every ${interval} ms, ` +
      `crash at processing time ${options.crashAt}; wall time from jobCrashed to the first recordArrived after jobRestored`,
  );
  const expected = windowSumResultOf(runPipeline(build).records);

  const crashAndRecover = (open: () => Promise<DurableStore & { close?: () => void }>) => async () => {
    const inner = await open();
    const store = new TimedStore(inner);
    let crashed: number | undefined;
    let restored: number | undefined;
    let firstRecord: number | undefined;
    let restoredFrom: number | null = null;
    let storeAtCrash = new Map<string, number>();
    let storeAtFirstRecord = new Map<string, number>();
    const onTrace = (e: TraceEvent): void => {
      if (firstRecord !== undefined) return;
      if (e.type === 'jobCrashed' && crashed === undefined) {
        crashed = performance.now();
        storeAtCrash = new Map(store.millis);
      } else if (e.type === 'jobRestored' && crashed !== undefined && restored === undefined) {
        restored = performance.now();
        restoredFrom = e.checkpointId;
      } else if (e.type === 'recordArrived' && restored !== undefined) {
        firstRecord = performance.now();
        storeAtFirstRecord = new Map(store.millis);
      }
    };
    try {
      const result = await runDurable(build, { store, jobId: JOB_ID, checkpointInterval: interval, crashes: { atProcessingTimes: [options.crashAt] }, onTrace });
      if (!result.finished) throw new Error(`the job did not finish: ${result.failures.map((f) => f.reason).join('; ')}`);
      if (crashed === undefined || restored === undefined || firstRecord === undefined) throw new Error('the trace showed no crash, restore and replayed record');
      const storeMillis = new Map([...storeAtFirstRecord].map(([m, ms]) => [m, ms - (storeAtCrash.get(m) ?? 0)] as const).filter(([, ms]) => ms > 0));
      const restoredSize = restoredFrom === null ? 0 : sizeOf(store, restoredFrom);
      const { result: output, repeated } = distinctWindowSums(windowSumResultOf(result.records));
      return {
        result: { output, repeated, attempts: result.attempts, restoredFrom, restoredSize, toRestored: restored - crashed, toFirstRecord: firstRecord - restored, storeMillis },
        millis: firstRecord - crashed,
      };
    } finally {
      inner.close?.();
    }
  };
  // No warm-up runs: before its crash, every run has written and listed (verified) as many
  // checkpoints on the same store as the recovery then lists and reads.
  const contenders: AsyncContender<RecoveryRun>[] = [
    { name: 'memory', run: crashAndRecover(async () => new MemoryDurableStore()), warmUp: false },
    { name: 'idb', run: crashAndRecover(() => IdbDurableStore.open('brook-bench', { indexedDB: new IDBFactory() })), warmUp: false },
  ];
  const timings = await timeInterleavedAsync(contenders, options.repetitions, options.verbose ? (line) => print(`  ${line}`) : undefined);
  const runs = new Map(timings.map((t) => [t.name, t.result]));

  const differences: string[] = [];
  for (const t of timings) {
    // Every run, not only the first: each one crashed and recovered on its own store.
    t.results.forEach((run, i) => {
      const name = `${t.name} run ${i + 1}`;
      differences.push(...diffWindowSums('crash-free run', { ...expected, dropped: run.output.dropped }, name, run.output));
      if (run.output.dropped < expected.dropped) differences.push(`${name}: ${run.output.dropped} late records dropped, fewer than a crash-free run's ${expected.dropped}`);
      if (run.attempts !== 2) differences.push(`${name}: ${run.attempts} attempts, expected 2 (one crash)`);
    });
  }
  const restoredFrom = new Set(timings.flatMap((t) => t.results.map((r) => r.restoredFrom)));
  if (restoredFrom.size !== 1) differences.push(`the stores restored different checkpoints: ${[...restoredFrom].join(', ')}`);
  if (differences.length > 0) {
    print('  the runs disagree, so no figures are printed:');
    for (const line of differences) print(`    ${line}`);
    return { differences, runs };
  }
  const first = timings[0]!.result;
  print(
    `  both recover from checkpoint ${first.restoredFrom ?? 'none (started over)'} (${formatChars(first.restoredSize)}) and, repeats removed, ` +
      `give a crash-free run's ${formatCount(expected.keys.length)} window results (${formatCount(first.repeated)} repeated after the crash)`,
  );
  const millis = new Map<string, number>();
  for (const t of timings) {
    const runsOfStore = t.results;
    const store = new Map<string, number[]>();
    for (const r of runsOfStore) for (const [m, ms] of r.storeMillis) store.set(m, [...(store.get(m) ?? []), ms]);
    const calls = [...store].map(([m, list]) => [m, median(list)] as const).sort((a, b) => b[1] - a[1]);
    millis.set(t.name, median(t.millis));
    print(
      `  ${t.name.padEnd(6)}  ${formatMillis(median(t.millis)).padStart(9)}  (median of ${t.millis.length}; min ${formatMillis(Math.min(...t.millis))}, max ${formatMillis(Math.max(...t.millis))}): ` +
        `to jobRestored ${formatMillis(median(runsOfStore.map((r) => r.toRestored)))}, then to the first record ${formatMillis(median(runsOfStore.map((r) => r.toFirstRecord)))}; ` +
        `in store calls ${calls.map(([m, ms]) => `${m} ${formatMillis(ms)}`).join(', ') || 'none'}`,
    );
  }
  for (const [name, ms] of millis) print(`recovery ${name} ms ${ms.toFixed(1)}`);
  return { differences, runs, millis };
}

/** The size of checkpoint `id` as the store saw its manifest written (the last one with that id). */
function sizeOf(store: TimedStore, id: number): number {
  const i = store.checkpointIds.lastIndexOf(id);
  return i < 0 ? 0 : store.checkpointSizes[i]!;
}
