// The durability benchmarks, run after the window sum by `npm run bench`: the cost of
// checkpointing (checkpoint-overhead.ts), of writing a large snapshot to IndexedDB
// (snapshot-write.ts on fake-indexeddb, then snapshot-write-chromium.ts in Chromium) and of
// recovering from a crash (recovery.ts). Each prints its figures and then its closing line(s):
// `ratio checkpointed/plain X`, `ratio snapshot/bulk-write (fake-indexeddb) Y` then, from
// Chromium, `ratio snapshot/bulk-write Y'` (or why it was skipped), `recovery memory ms Z` and
// `recovery idb ms W`.

import { runCheckpointOverheadBenchmark } from './checkpoint-overhead.ts';
import { runRecoveryBenchmark } from './recovery.ts';
import { runSnapshotWriteBenchmark } from './snapshot-write.ts';
import { runChromiumSnapshotWrite } from './snapshot-write-chromium.ts';
import { WINDOW_SUM_JOB } from './window-sum.ts';

/** The window-sum data's shape, as window-sum.ts generates it: 10,000 keys, 10 records per ms. */
const KEYS = 10_000;
const RATE = 10;

export interface DurabilityBenchOptions {
  /** The window-sum benchmark's record count: the checkpointing run takes at most this many. */
  readonly records: number;
  readonly repetitions: number;
  readonly seed: number;
  readonly verbose: boolean;
  readonly quick: boolean;
}

/** How big each benchmark is (see the help of `npm run bench`). */
export const DURABILITY_SIZES = {
  /**
   * Records of the window-sum data in the checkpointing benchmark, which checkpoints every
   * wall-clock second: at about two million records a second, some 2.5 or 5 seconds of work, so
   * 2 or 4–5 periodic checkpoints of its 10,000 keys' open windows (about 1.6 M chars each). With
   * a single checkpoint a run, the ratio was mostly the noise of the plain runs.
   */
  checkpointRecords: { quick: 5_000_000, full: 10_000_000 },
  /** Keys in the snapshot benchmark's state. */
  snapshotKeys: 100_000,
  /**
   * The recovery benchmark: a crash at 3.5 s of processing time, when the store holds the 3
   * checkpoints the driver keeps (taken at 1, 2 and 3 s; the newest, restored, about as large as
   * any later one: some 3 M chars); the records end soon after (3.7 s), since only the time to
   * the first replayed record is measured.
   */
  recoveryRecords: 37_000,
  crashAt: 3_500,
} as const;

/** Runs the three benchmarks; returns the exit status (1 if any of them saw outputs disagree). */
export async function runDurabilityBenchmarks(options: DurabilityBenchOptions, print: (line: string) => void): Promise<number> {
  const common = { repetitions: options.repetitions, seed: options.seed, verbose: options.verbose };
  const data = { job: WINDOW_SUM_JOB, keys: KEYS, rate: RATE };
  const sizes = DURABILITY_SIZES;
  let status = 0;

  const overhead = await runCheckpointOverheadBenchmark(
    { ...common, ...data, records: options.quick ? sizes.checkpointRecords.quick : sizes.checkpointRecords.full, checkpointInterval: 1000 },
    print,
  );
  if (overhead.differences.length > 0) status = 1;

  print('');
  const snapshot = await runSnapshotWriteBenchmark({ ...common, keys: sizes.snapshotKeys }, print);
  if (snapshot.differences.length > 0) status = 1;
  // The same comparison where it means something: Chromium's real IndexedDB (medians of 7, or 5 with --quick).
  const chromium = await runChromiumSnapshotWrite({ ...common, repetitions: options.quick ? 5 : 7, keys: sizes.snapshotKeys }, print);
  if (chromium.failed) status = 1;

  print('');
  const recovery = await runRecoveryBenchmark({ ...common, ...data, records: sizes.recoveryRecords, crashAt: sizes.crashAt, checkpointInterval: 1000 }, print);
  if (recovery.differences.length > 0) status = 1;
  return status;
}
