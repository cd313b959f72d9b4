// Snapshot write: a job holding one ValueState for each of 100,000 keys is snapshotted with
// `job.snapshotDeferred(id)` and persisted the way the durable driver persists a checkpoint
// (store-io.ts: each part encoded chunk by chunk, a put per chunk as soon as it is encoded and
// its checksum after, then the sealed manifest, all in one strict transaction) into an
// IdbDurableStore on fake-indexeddb; timed from "snapshot requested" to "manifest written".
// Against it: a hand-written bulk write of the same part strings with `idb` (one readwrite
// transaction with strict durability, a put per part) into a fresh database. Each run gets a fresh database and a freshly built job;
// neither is timed.
//
// Runs in Node on fake-indexeddb (a dev dependency): importing this module installs its globals.
// The workload and both contenders live in snapshot-job.ts, shared with the Chromium variant
// (scripts/bench-durability/page.ts, run by `npm run bench:durability`).

import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { performance } from 'node:perf_hooks';
import { describePart } from '../../engine/checkpoint/checksum.ts';
import type { CheckpointManifest } from '../../engine/checkpoint/durable-store.ts';
import { IdbDurableStore } from '../../storage/idb-store.ts';
import { type AsyncContender, timeInterleavedAsync } from './async-harness.ts';
import { formatChars, formatMillis, targetLine } from './durability-format.ts';
import { formatCount, median, ratioLine } from './report.ts';
import {
  bulkParts,
  bulkWrite,
  CHECKPOINT_ID,
  type DriverPhases,
  incrementalAfterChanges,
  phaseLine,
  type IncrementalRun,
  JOB_ID,
  jobWithKeyedState,
  openBulkDb,
  sameBulk,
  sameParts,
  snapshotAndPersist,
} from './snapshot-job.ts';
import { partSize } from '../../engine/checkpoint/part-data.ts';

export { bulkWrite, type DriverPhases, jobWithKeyedState, persistLikeDriver } from './snapshot-job.ts';

/** Keys changed before the incremental checkpoint the benchmark also times. */
export const INCREMENTAL_CHANGES = 10;

/** The line on incremental checkpoints: medians of the runs' times, and what they wrote. */
export function incrementalLine(keys: number, runs: readonly IncrementalRun[]): string {
  const last = runs[runs.length - 1]!;
  const same = runs.every((r) => r.sameState) ? 'read back, its state equals a full snapshot\'s' : 'READ BACK, ITS STATE DIFFERS FROM A FULL SNAPSHOT\'S';
  return (
    `  incremental (--incremental): after ${INCREMENTAL_CHANGES} of ${formatCount(keys)} keys changed, the next checkpoint, trigger to manifest, ` +
    `${formatMillis(median(runs.map((r) => r.millis)))} (median of ${runs.length}), writing ${formatChars(last.written)} (the full one before it: ${formatChars(last.full)}); ${same}`
  );
}

/** The target: the driver's path takes at most 1.5 times a bulk write of the same bytes. */
export const SNAPSHOT_WRITE_TARGET = 1.5;

export interface SnapshotWriteOptions {
  /** Keys in the job's state (one ValueState each). */
  readonly keys: number;
  readonly repetitions: number;
  readonly seed: number;
  readonly verbose: boolean;
}

/** What one run wrote, read back (warm-up) or as listed (timed runs): each part's name, size and checksum. */
export interface WrittenParts {
  readonly parts: readonly CheckpointManifest['parts'][number][];
  /** Whether the run wrote exactly the reference part strings. */
  readonly sameBytes: boolean;
  /** The phases of the driver's path, ms (snapshot runs only). */
  readonly phases?: DriverPhases;
}

export interface SnapshotWriteReport {
  /** Lines describing how the two writes differ; empty when they agree. */
  readonly differences: string[];
  /** The warm-up result of each contender (snapshot, bulk-write). */
  readonly runs: ReadonlyMap<string, WrittenParts>;
  /** Median ms of each contender (absent when they disagree). */
  readonly millis?: ReadonlyMap<string, number>;
  /** snapshot/bulk-write of median ms (absent when they disagree). */
  readonly ratio?: number;
}

/** Runs the benchmark, printing through `print`. */
export async function runSnapshotWriteBenchmark(options: SnapshotWriteOptions, print: (line: string) => void): Promise<SnapshotWriteReport> {
  const reference = jobWithKeyedState(options.keys, options.seed).snapshot(CHECKPOINT_ID);
  const total = reference.parts.reduce((n, part) => n + partSize(part.data), 0);
  const largest = reference.parts.reduce((a, b) => (partSize(b.data) > partSize(a.data) ? b : a));
  const bulk = bulkParts(reference.parts);
  print(
    `snapshot write: a keyed process function holding one ValueState for each of ${formatCount(options.keys)} keys; ` +
      `${reference.parts.length} parts, ${formatChars(total)} (${largest.name} ${formatChars(partSize(largest.data))}); ` +
      `written as the driver writes a checkpoint (encoded chunk by chunk, a put per chunk, in one strict transaction) into an IdbDurableStore on fake-indexeddb; ` +
      `baseline "bulk-write": the same bytes (a text part's string, a binary part's chunks in one buffer) put with idb in one readwrite transaction, durability strict as a checkpoint's; a fresh database per run`,
  );

  const contenders: AsyncContender<WrittenParts>[] = [
    {
      name: 'snapshot',
      run: async (warmUp) => {
        const job = jobWithKeyedState(options.keys, options.seed);
        const store = await IdbDurableStore.open('brook-bench', { indexedDB: new IDBFactory() });
        try {
          const { snapshot, manifest, phases, millis } = await snapshotAndPersist(job, store);
          const sameBytes = sameParts(snapshot.parts, reference.parts);
          if (!warmUp) return { result: { parts: manifest.parts, sameBytes, phases }, millis };
          // Read back what a recovery would read: the listed (verified) checkpoint and its parts.
          const listed = await store.listCheckpoints(JOB_ID);
          const read = listed.length === 1 && listed[0]!.checkpointId === CHECKPOINT_ID ? listed[0]!.parts : [];
          const parts = await Promise.all(read.map(async (p) => describePart(p.name, await store.readCheckpointPart(JOB_ID, CHECKPOINT_ID, p.name))));
          return { result: { parts, sameBytes, phases }, millis };
        } finally {
          store.close();
        }
      },
    },
    {
      name: 'bulk-write',
      run: async (warmUp) => {
        const db = await openBulkDb(new IDBFactory());
        try {
          const start = performance.now();
          await bulkWrite(db, bulk);
          const millis = performance.now() - start;
          // Its rows read back are the bytes it wrote; it is then described as the parts it stands for.
          const rows = warmUp ? await db.getAll('checkpointParts') : [];
          const intact = sameBulk(rows.map((row) => ({ name: row.name, data: row.data })), bulk);
          const parts = warmUp && intact ? reference.parts.map((p) => describePart(p.name, p.data)) : [];
          return { result: { parts, sameBytes: true }, millis };
        } finally {
          db.close();
        }
      },
    },
  ];
  const timings = await timeInterleavedAsync(contenders, options.repetitions, options.verbose ? (line) => print(`  ${line}`) : undefined);
  const runs = new Map(timings.map((t) => [t.name, t.result]));

  const differences = diffParts(
    reference.parts.map((p) => describePart(p.name, p.data)),
    timings.map((t) => ({ name: t.name, result: t.result, sameBytes: t.result.sameBytes && t.results.every((r) => r.sameBytes) })),
  );
  if (differences.length > 0) {
    print('  the writes disagree, so no ratio is printed:');
    for (const line of differences) print(`    ${line}`);
    return { differences, runs };
  }
  print(`  both wrote and read back the same ${reference.parts.length} parts (names, sizes and checksums)`);

  const millis = new Map(timings.map((t) => [t.name, median(t.millis)]));
  const width = Math.max(...timings.map((t) => t.name.length));
  for (const t of timings) print(`  ${t.name.padEnd(width)}  ${formatMillis(median(t.millis)).padStart(9)}  (median of ${t.millis.length}; min ${formatMillis(Math.min(...t.millis))}, max ${formatMillis(Math.max(...t.millis))})`);
  print(phaseLine(timings[0]!.results.map((r) => r.phases!), formatMillis, median));
  // Not a contender: what incremental checkpoints save once the state exists (labelled, no ratio).
  const incremental: IncrementalRun[] = [];
  for (let i = 0; i < options.repetitions; i++) {
    const store = await IdbDurableStore.open('brook-bench-incremental', { indexedDB: new IDBFactory() });
    try {
      incremental.push(await incrementalAfterChanges(options.keys, INCREMENTAL_CHANGES, options.seed, store));
    } finally {
      store.close();
    }
  }
  print(incrementalLine(options.keys, incremental));
  const ratio = millis.get('snapshot')! / millis.get('bulk-write')!;
  print(targetLine('snapshot/bulk-write', '<=', SNAPSHOT_WRITE_TARGET, ratio));
  // Labelled: on fake-indexeddb a bulk write costs next to nothing (no disk, no structured clone
  // into a real database), so this ratio is not what a browser sees; `npm run bench:durability`
  // prints the same comparison on Chromium's IndexedDB.
  print(`${ratioLine('snapshot', 'bulk-write', millis.get('snapshot')!, millis.get('bulk-write')!).replace('bulk-write ', 'bulk-write (fake-indexeddb) ')}`);
  return { differences, runs, millis, ratio };
}

/** How what each contender wrote differs from the reference parts. */
function diffParts(
  expected: readonly CheckpointManifest['parts'][number][],
  actual: readonly { name: string; result: WrittenParts; sameBytes: boolean }[],
): string[] {
  const describe = (parts: readonly CheckpointManifest['parts'][number][]) => parts.map((p) => `${p.name}:${p.size}:${p.checksum}`).join(' ');
  const want = describe(expected);
  const out: string[] = [];
  for (const a of actual) {
    if (!a.sameBytes) out.push(`${a.name}: a run wrote parts different from the reference snapshot's`);
    const got = describe(a.result.parts);
    if (got !== want) out.push(`${a.name}: read back ${got || 'nothing'}; expected ${want}`);
  }
  return out;
}
