// Snapshot write: a job holding one ValueState for each of 100,000 keys is snapshotted with
// `job.snapshot(id)` and persisted the way the durable driver persists a checkpoint (every part
// in its own write, then the manifest, sealed with each part's checksum) into an IdbDurableStore
// on fake-indexeddb; timed from "snapshot requested" to "manifest written". Against it: a
// hand-written bulk write of the same part strings with `idb` (one readwrite transaction, a put
// per part) into a fresh database. Each run gets a fresh database and a freshly built job;
// neither is timed.
//
// The driver's persist step lives inside runDurable (checkpoint/job-driver.ts, `perform`) and is
// not exported, so `persistLikeDriver` below repeats its calls in the same order.
//
// Runs in Node on fake-indexeddb (a dev dependency): importing this module installs its globals.

import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { performance } from 'node:perf_hooks';
import { type DBSchema, type IDBPDatabase, wrap } from 'idb';
import { buildPipeline, type Pipeline } from '../../engine/api/index.ts';
import { describePart, sealManifest } from '../../engine/checkpoint/checksum.ts';
import type { CheckpointManifest, DurableStore } from '../../engine/checkpoint/durable-store.ts';
import type { JobSnapshot } from '../../engine/checkpoint/job-snapshot.ts';
import { seededRandom } from '../../engine/random/random.ts';
import { Job } from '../../engine/runtime/job.ts';
import { IdbDurableStore } from '../../storage/idb-store.ts';
import type { PartRow } from '../../storage/idb-schema.ts';
import { type AsyncContender, timeInterleavedAsync } from './async-harness.ts';
import { formatChars, formatMillis, targetLine } from './durability-format.ts';
import { formatCount, median, ratioLine } from './report.ts';

/** The target: the driver's path takes at most 1.5 times a bulk write of the same bytes. */
export const SNAPSHOT_WRITE_TARGET = 1.5;
const JOB_ID = 'bench';
const CHECKPOINT_ID = 1;

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

/** Where the driver's path spends its time. */
export interface DriverPhases {
  /** job.snapshot(): encoding every subtask's state as JSON. */
  readonly snapshot: number;
  /** One writeCheckpointPart per part. */
  readonly parts: number;
  /** describePart (a checksum of each part) and sealManifest. */
  readonly checksums: number;
  /** writeCheckpointManifest. */
  readonly manifest: number;
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

/** One record per key: the job keeps a running total per key in a ValueState. */
interface KeyedValue {
  readonly key: number;
  readonly value: number;
  readonly timestamp: number;
}

/**
 * Builds the job and runs it until its process function has seen every record, so it holds one
 * ValueState per key (the job is still running: end of input has not reached it yet).
 */
export function jobWithKeyedState(keys: number, seed: number): Job {
  const records: KeyedValue[] = Array.from({ length: keys }, (_, i) => ({ key: i, value: 1 + (i % 100), timestamp: Math.floor(i / 10) }));
  let processed = 0;
  const p = buildPipeline((pipeline: Pipeline) => {
    pipeline
      .fromArray(records, { timestampOf: (r) => r.timestamp })
      .keyBy((r) => r.key)
      .process<number>({
        processElement(r, ctx) {
          const total = ctx.state.value<number>('total');
          total.update((total.value() ?? 0) + r.value);
          processed++;
        },
      })
      .sink('out');
  });
  const job = new Job(p.plan, { random: seededRandom(seed), seed, trace: undefined });
  job.start();
  while (processed < keys && job.scheduler.step()) {
    /* one unit of work per step */
  }
  if (processed !== keys) throw new Error(`the process function saw ${processed} records, expected ${keys}`);
  return job;
}

/**
 * Persists a snapshot as the durable driver persists a checkpoint (job-driver.ts): each part in
 * order, then the manifest sealed over the parts' checksums. Returns the manifest and the time
 * of each step (checksums are taken after the part writes, as the driver does).
 */
export async function persistLikeDriver(
  store: DurableStore,
  snapshot: JobSnapshot,
): Promise<{ manifest: CheckpointManifest; parts: number; checksums: number; manifestWrite: number }> {
  const t0 = performance.now();
  for (const part of snapshot.parts) await store.writeCheckpointPart(JOB_ID, snapshot.checkpointId, part.name, part.data);
  const t1 = performance.now();
  const manifest = sealManifest({
    jobId: JOB_ID,
    checkpointId: snapshot.checkpointId,
    kind: 'checkpoint',
    triggeredAt: snapshot.time,
    completedAt: snapshot.time,
    parts: snapshot.parts.map((part) => describePart(part.name, part.data)),
  });
  const t2 = performance.now();
  await store.writeCheckpointManifest(manifest);
  const t3 = performance.now();
  return { manifest, parts: t1 - t0, checksums: t2 - t1, manifestWrite: t3 - t2 };
}

interface BulkSchema extends DBSchema {
  checkpointParts: { key: [string, number, string]; value: PartRow };
}

/** A fresh database with one object store shaped as the IdbDurableStore's `checkpointParts`. */
async function openBulkDb(factory: IDBFactory): Promise<IDBPDatabase<BulkSchema>> {
  const request = factory.open('bulk', 1);
  request.addEventListener('upgradeneeded', () => {
    request.result.createObjectStore('checkpointParts', { keyPath: ['jobId', 'checkpointId', 'name'] });
  });
  return (await wrap(request)) as unknown as IDBPDatabase<BulkSchema>;
}

/** Writes every part in one readwrite transaction, a put per part. */
export async function bulkWrite(db: IDBPDatabase<BulkSchema>, parts: JobSnapshot['parts']): Promise<void> {
  const tx = db.transaction('checkpointParts', 'readwrite');
  const puts = parts.map((part) => tx.store.put({ jobId: JOB_ID, checkpointId: CHECKPOINT_ID, name: part.name, data: part.data }));
  await Promise.all([...puts, tx.done]);
}

const sameParts = (a: JobSnapshot['parts'], b: JobSnapshot['parts']): boolean =>
  a.length === b.length && a.every((part, i) => part.name === b[i]!.name && part.data === b[i]!.data);

/** Runs the benchmark, printing through `print`. */
export async function runSnapshotWriteBenchmark(options: SnapshotWriteOptions, print: (line: string) => void): Promise<SnapshotWriteReport> {
  const reference = jobWithKeyedState(options.keys, options.seed).snapshot(CHECKPOINT_ID);
  const total = reference.parts.reduce((n, part) => n + part.data.length, 0);
  const largest = reference.parts.reduce((a, b) => (b.data.length > a.data.length ? b : a));
  print(
    `snapshot write: a keyed process function holding one ValueState for each of ${formatCount(options.keys)} keys; ` +
      `${reference.parts.length} parts, ${formatChars(total)} (${largest.name} ${formatChars(largest.data.length)}); ` +
      `written as the driver writes a checkpoint into an IdbDurableStore on fake-indexeddb; baseline "bulk-write": ` +
      `the same part strings put with idb in one readwrite transaction; a fresh database per run`,
  );

  const contenders: AsyncContender<WrittenParts>[] = [
    {
      name: 'snapshot',
      run: async (warmUp) => {
        const job = jobWithKeyedState(options.keys, options.seed);
        const store = await IdbDurableStore.open('brook-bench', { indexedDB: new IDBFactory() });
        try {
          const start = performance.now();
          const snapshot = job.snapshot(CHECKPOINT_ID);
          const encoded = performance.now();
          const persisted = await persistLikeDriver(store, snapshot);
          const millis = performance.now() - start;
          const phases: DriverPhases = { snapshot: encoded - start, parts: persisted.parts, checksums: persisted.checksums, manifest: persisted.manifestWrite };
          const sameBytes = sameParts(snapshot.parts, reference.parts);
          if (!warmUp) return { result: { parts: persisted.manifest.parts, sameBytes, phases }, millis };
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
          await bulkWrite(db, reference.parts);
          const millis = performance.now() - start;
          const rows = warmUp ? await db.getAll('checkpointParts') : [];
          const byName = new Map(rows.map((row) => [row.name, row.data]));
          const parts = warmUp ? reference.parts.filter((p) => byName.has(p.name)).map((p) => describePart(p.name, byName.get(p.name)!)) : [];
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
  const phases = timings[0]!.results.map((r) => r.phases!);
  const phase = (pick: (p: DriverPhases) => number) => formatMillis(median(phases.map(pick)));
  print(
    `  driver path, by phase (medians): job.snapshot() ${phase((p) => p.snapshot)}, ${reference.parts.length} part writes ${phase((p) => p.parts)}, ` +
      `checksums ${phase((p) => p.checksums)}, manifest write ${phase((p) => p.manifest)}`,
  );
  const ratio = millis.get('snapshot')! / millis.get('bulk-write')!;
  print(targetLine('snapshot/bulk-write', '<=', SNAPSHOT_WRITE_TARGET, ratio));
  print(ratioLine('snapshot', 'bulk-write', millis.get('snapshot')!, millis.get('bulk-write')!));
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
