// The snapshot-write benchmark's workload and its two contenders, free of Node and of
// fake-indexeddb, so the same code runs in Node (snapshot-write.ts, on fake-indexeddb) and in
// Chromium against its real IndexedDB (snapshot-write-page.ts, driven by
// scripts/bench-durability.mjs): a job holding one ValueState per key, the driver's way of
// persisting its snapshot, and a hand-written bulk write of the same part strings with `idb`.

import { type DBSchema, type IDBPDatabase, wrap } from 'idb';
import { buildPipeline, type Pipeline, type PipelineBuilder } from '../../engine/api/index.ts';
import { CheckpointWriter } from '../../engine/checkpoint/checkpoint-writer.ts';
import { readSnapshot } from '../../engine/checkpoint/store-io.ts';
import { DEFAULT_INCREMENTAL_POLICY } from '../../engine/state/incremental-policy.ts';
import { sealManifest } from '../../engine/checkpoint/checksum.ts';
import { chainLinks } from '../../engine/checkpoint/incremental-chain.ts';
import type { CheckpointManifest, DurableStore } from '../../engine/checkpoint/durable-store.ts';
import { snapshotSize, type JobSnapshot } from '../../engine/checkpoint/job-snapshot.ts';
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

/** The benchmark's pipeline over `records`: a running total per key in a ValueState. */
function keyedTotals(records: readonly KeyedValue[], onProcessed: () => void): PipelineBuilder {
  return (pipeline: Pipeline) => {
    pipeline
      .fromArray(records, { timestampOf: (r) => r.timestamp })
      .keyBy((r) => r.key)
      .process<number>({
        processElement(r, ctx) {
          const total = ctx.state.value<number>('total');
          total.update((total.value() ?? 0) + r.value);
          onProcessed();
        },
      })
      .sink('out');
  };
}

/** One record per key, ten keys per millisecond of event time. */
const oneRecordPerKey = (keys: number): KeyedValue[] => Array.from({ length: keys }, (_, i) => ({ key: i, value: 1 + (i % 100), timestamp: Math.floor(i / 10) }));

/** Steps `job` until `done()`, or throws naming `what` when its input ends first. */
function stepUntil(job: Job, done: () => boolean, what: string): void {
  while (!done() && job.scheduler.step()) {
    /* one unit of work per step */
  }
  if (!done()) throw new Error(`the job ended before ${what}`);
}

/**
 * Builds the job and runs it until its process function has seen every record, so it holds one
 * ValueState per key (the job is still running: end of input has not reached it yet).
 */
export function jobWithKeyedState(keys: number, seed: number): Job {
  let processed = 0;
  const p = buildPipeline(keyedTotals(oneRecordPerKey(keys), () => processed++));
  const job = new Job(p.plan, { random: seededRandom(seed), seed, trace: undefined });
  job.start();
  stepUntil(job, () => processed === keys, `the process function saw all ${keys} records`);
  return job;
}

/** Runs `job` until the checkpoint it was just asked for is ready to persist; returns its snapshot. */
function untilPersist(job: Job): JobSnapshot {
  let found: JobSnapshot | undefined;
  stepUntil(job, () => {
    const i = job.ioRequests.findIndex((r) => r.kind === 'persistCheckpoint');
    if (i >= 0) found = (job.ioRequests.splice(i, 1)[0] as { snapshot: JobSnapshot }).snapshot;
    return found !== undefined;
  }, 'the checkpoint was ready');
  return found!;
}

/** What an incremental checkpoint after a few changes took. */
export interface IncrementalRun {
  /** From triggering the checkpoint to its manifest written: barriers, snapshots, checksums, one transaction. */
  readonly millis: number;
  /** Characters the incremental checkpoint wrote. */
  readonly written: number;
  /** Characters the full checkpoint before it wrote. */
  readonly full: number;
  /** Whether reading the incremental checkpoint back gives the state of a full job at that moment. */
  readonly sameState: boolean;
}

/**
 * The same workload with incremental checkpoints: a full checkpoint of `keys` keys (untimed),
 * then `changed` keys updated, then the checkpoint after them, timed from its trigger to its
 * manifest in `store` (the driver's path: barriers, a delta snapshot, checksums, one transaction).
 */
export async function incrementalAfterChanges(keys: number, changed: number, seed: number, store: DurableStore): Promise<IncrementalRun> {
  const records = oneRecordPerKey(keys);
  const step = Math.max(1, Math.floor(keys / changed));
  for (let k = 0; k < changed; k++) records.push({ key: k * step, value: 1000, timestamp: 2 * Math.floor(keys / 10) + k });
  // A record long after: the job is still running when the second checkpoint is taken.
  records.push({ key: 0, value: 1, timestamp: 100 * Math.floor(keys / 10) + 1000 });
  let processed = 0;
  const p = buildPipeline(keyedTotals(records, () => processed++));
  const job = new Job(p.plan, { random: seededRandom(seed), seed, trace: undefined, incremental: DEFAULT_INCREMENTAL_POLICY });
  job.start();
  stepUntil(job, () => processed === keys, `the process function saw all ${keys} records`);
  const writer = new CheckpointWriter(store, JOB_ID, 3);
  await writer.list();
  job.triggerCheckpoint();
  const first = await writer.write(untilPersist(job), () => {});
  job.completeCheckpoint(first.snapshot);
  stepUntil(job, () => processed === keys + changed, `the ${changed} updates were processed`);
  const start = performance.now();
  job.triggerCheckpoint();
  const second = await writer.write(untilPersist(job), () => {});
  const millis = performance.now() - start;
  job.completeCheckpoint(second.snapshot);
  // The reference: a full job that saw the same records, snapshotted at the same moment.
  let seen = 0;
  const reference = new Job(buildPipeline(keyedTotals(records, () => seen++)).plan, { random: seededRandom(seed), seed, trace: undefined });
  reference.start();
  stepUntil(reference, () => seen === keys + changed, 'the reference saw the updates');
  const back = await readSnapshot(store, second.manifest, seed);
  const name = back.parts[0]!.name;
  const state = (parts: JobSnapshot['parts']) => (JSON.parse(parts.find((part) => part.name === name)!.data) as { state: unknown }).state;
  const sameState = JSON.stringify(state(back.parts)) === JSON.stringify(state(reference.snapshot(second.snapshot.checkpointId).parts));
  return { millis, written: snapshotSize(second.snapshot), full: snapshotSize(first.snapshot), sameState };
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
