// The snapshot-write benchmark's workload and its two contenders, free of Node and of
// fake-indexeddb, so the same code runs in Node (snapshot-write.ts, on fake-indexeddb) and in
// Chromium against its real IndexedDB (snapshot-write-page.ts, driven by
// scripts/bench-durability.mjs): a job holding one ValueState per key, the driver's way of
// persisting its snapshot, and a hand-written bulk write of the same part strings with `idb`.

import { type DBSchema, type IDBPDatabase, wrap } from 'idb';
import { buildPipeline, type Pipeline } from '../../engine/api/index.ts';
import { sealManifest } from '../../engine/checkpoint/checksum.ts';
import { chainLinks } from '../../engine/checkpoint/incremental-chain.ts';
import type { CheckpointManifest, DurableStore } from '../../engine/checkpoint/durable-store.ts';
import type { JobSnapshot } from '../../engine/checkpoint/job-snapshot.ts';
import { seededRandom } from '../../engine/random/random.ts';
import { Job } from '../../engine/runtime/job.ts';
import type { PartRow } from '../../storage/idb-schema.ts';

export const JOB_ID = 'bench';
export const CHECKPOINT_ID = 1;

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

/** Where the driver's path spends its time, ms. */
export interface DriverPhases {
  /** job.snapshot(): encoding every subtask's state as JSON. */
  readonly snapshot: number;
  /** The manifest: each part's checksum (partChecksum), sealed; inside the write, after the parts' puts were issued. */
  readonly checksums: number;
  /** writeCheckpoint, the checksums not counted: every part and then the manifest, in one transaction. */
  readonly write: number;
}

/**
 * Persists a snapshot as the durable driver persists a checkpoint (store-io.ts,
 * `persistCheckpoint`): one atomic store call writes the parts and then the manifest, which the
 * store seals (the parts' checksums) after issuing the parts' puts. Returns the manifest and
 * the time of each step.
 */
export async function persistLikeDriver(store: DurableStore, snapshot: JobSnapshot): Promise<{ manifest: CheckpointManifest; checksums: number; write: number }> {
  const t0 = performance.now();
  let sealed = 0;
  const seal = (): CheckpointManifest => {
    const start = performance.now();
    const manifest = sealManifest({ jobId: JOB_ID, checkpointId: snapshot.checkpointId, kind: 'checkpoint', triggeredAt: snapshot.time, completedAt: snapshot.time, parts: chainLinks(snapshot, () => undefined) });
    sealed = performance.now() - start;
    return manifest;
  };
  let manifest: CheckpointManifest | undefined;
  await store.writeCheckpoint(JOB_ID, snapshot.checkpointId, () => (manifest = seal()), snapshot.parts);
  return { manifest: manifest!, checksums: sealed, write: performance.now() - t0 - sealed };
}

/**
 * The whole timed path of the "snapshot" contender: job.snapshot() then persistLikeDriver, from
 * "snapshot requested" to "manifest durable". Returns the snapshot taken, the manifest and the phases.
 */
export async function snapshotAndPersist(job: Job, store: DurableStore): Promise<{ snapshot: JobSnapshot; manifest: CheckpointManifest; phases: DriverPhases; millis: number }> {
  const start = performance.now();
  const snapshot = job.snapshot(CHECKPOINT_ID);
  const encoded = performance.now();
  const persisted = await persistLikeDriver(store, snapshot);
  const millis = performance.now() - start;
  const phases: DriverPhases = { snapshot: encoded - start, checksums: persisted.checksums, write: persisted.write };
  return { snapshot, manifest: persisted.manifest, phases, millis };
}

export interface BulkSchema extends DBSchema {
  checkpointParts: { key: [string, number, string]; value: PartRow };
}

/** A database `name` with one object store shaped as the IdbDurableStore's `checkpointParts`. */
export async function openBulkDb(factory: IDBFactory, name = 'bulk'): Promise<IDBPDatabase<BulkSchema>> {
  const request = factory.open(name, 1);
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

/** Whether two snapshots' parts have the same names and strings, in order. */
export const sameParts = (a: JobSnapshot['parts'], b: JobSnapshot['parts']): boolean =>
  a.length === b.length && a.every((part, i) => part.name === b[i]!.name && part.data === b[i]!.data);
