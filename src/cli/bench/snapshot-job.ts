// The snapshot-write benchmark's workload and its two contenders, free of Node and of
// fake-indexeddb, so the same code runs in Node (snapshot-write.ts, on fake-indexeddb) and in
// Chromium against its real IndexedDB (scripts/bench-durability/page.ts, driven by
// scripts/bench-durability.mjs): a job holding one ValueState per key, the driver's way of
// persisting its snapshot (encoded chunk by chunk into the one transaction), and a hand-written
// bulk write of the same bytes with `idb` (strict durability, as a checkpoint's): a text part as
// its string, a binary part (part-data.ts) as one buffer of its chunks, a put each.

import { type DBSchema, type IDBPDatabase, wrap } from 'idb';
import { buildPipeline, type Pipeline, type PipelineBuilder } from '../../engine/api/index.ts';
import { CheckpointWriter } from '../../engine/checkpoint/checkpoint-writer.ts';
import { persistSnapshot, readSnapshot, type WritePhases } from '../../engine/checkpoint/store-io.ts';
import { DEFAULT_INCREMENTAL_POLICY } from '../../engine/state/incremental-policy.ts';
import type { CheckpointManifest, DurableStore } from '../../engine/checkpoint/durable-store.ts';
import { snapshotSize, type DeferredSnapshot, type JobSnapshot } from '../../engine/checkpoint/job-snapshot.ts';
import { seededRandom } from '../../engine/random/random.ts';
import { Job } from '../../engine/runtime/job.ts';
import type { PartRow } from '../../storage/idb-schema.ts';
import { decodePart, type ChunkData, type PartData } from '../../engine/checkpoint/part-data.ts';

export const JOB_ID = 'bench';
export const CHECKPOINT_ID = 1;

/** Milliseconds each contender waits, set up, before its clock starts: see `settle`. */
export const SETTLE_MS = 150;

/**
 * Waits SETTLE_MS, so that each timed write starts from the same quiet state: the work before
 * it (the job's build and its garbage, the previous contender's commit and database deletion)
 * has finished. Without it the bulk write ran right after the snapshot's own write, on an
 * IndexedDB backend still warm from it (4.8-5.9 ms against 6.0-6.2 after a pause), while the
 * snapshot always ran after its job's build; a product checkpoint comes about a second after
 * the one before.
 */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}

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
  const state = (parts: JobSnapshot['parts']) => decodePart<{ state: unknown }>(parts.find((part) => part.name === name)!.data).state;
  const sameState = JSON.stringify(state(back.parts)) === JSON.stringify(state(reference.snapshot(second.snapshot.checkpointId).parts));
  return { millis, written: snapshotSize(second.snapshot), full: snapshotSize(first.snapshot), sameState };
}

/** Where the driver's path spends its time, ms. */
export interface DriverPhases {
  /** job.snapshotDeferred(): taking every subtask's state (nothing encoded yet). */
  readonly take: number;
  /** Encoding the parts chunk by chunk (encodeSnapshotChunks: JSON text, entry lists as binary columns), between the puts. */
  readonly encode: number;
  /** Issuing a put per chunk (IndexedDB clones each chunk on this thread). */
  readonly put: number;
  /** Each chunk's checksum, right after its put was issued. */
  readonly checksums: number;
  /** Sealing the manifest (chain links, its own checksum) and putting it. */
  readonly seal: number;
  /** From the manifest put to the transaction committed (strict durability: the disk flush). */
  readonly commit: number;
}

/**
 * Persists a snapshot as the durable driver persists a periodic checkpoint (store-io.ts,
 * `persistSnapshot`): one atomic store call writes the parts, chunk by chunk where the store can
 * (a deferred snapshot is encoded chunk by chunk between the puts), and then the manifest; binary
 * chunks are handed over (a store that takes them, the store worker's RPC, transfers them).
 * Returns the manifest, the snapshot as encoded parts (a part handed over: its size only) and the
 * write's phases.
 */
export async function persistLikeDriver(
  store: DurableStore,
  snapshot: JobSnapshot | DeferredSnapshot,
): Promise<{ manifest: CheckpointManifest; snapshot: JobSnapshot; phases: WritePhases }> {
  const written = await persistSnapshot(store, JOB_ID, snapshot, { now: () => performance.now(), handOver: true });
  return { manifest: written.manifest, snapshot: written.snapshot, phases: written.phases! };
}

/**
 * The whole timed path of the "snapshot" contender, from "snapshot requested" to "manifest
 * durable": job.snapshotDeferred(), then persistLikeDriver, which encodes each part chunk by
 * chunk into the one transaction (a put per chunk as soon as it is encoded). Returns the
 * snapshot written (encoded), the manifest and the phases.
 */
export async function snapshotAndPersist(job: Job, store: DurableStore): Promise<{ snapshot: JobSnapshot; manifest: CheckpointManifest; phases: DriverPhases; millis: number }> {
  const start = performance.now();
  const deferred = job.snapshotDeferred(CHECKPOINT_ID);
  const taken = performance.now();
  const persisted = await persistLikeDriver(store, deferred);
  const millis = performance.now() - start;
  const p = persisted.phases;
  const phases: DriverPhases = { take: taken - start, encode: p.encode, put: p.put, checksums: p.checksums, seal: p.seal, commit: p.commit };
  return { snapshot: persisted.snapshot, manifest: persisted.manifest, phases, millis };
}

/**
 * The path before chunked writes, labelled for comparison (no ratio): job.snapshot() encodes
 * every part whole, then the one transaction writes them (parts longer than a chunk are still
 * put as chunks, sliced from the encoded text). Returns the time, ms.
 */
export async function encodeThenPersist(job: Job, store: DurableStore): Promise<number> {
  const start = performance.now();
  await persistSnapshot(store, JOB_ID, job.snapshot(CHECKPOINT_ID));
  return performance.now() - start;
}

/** The phases' medians as the benchmark prints them. */
export function phaseLine(phases: readonly DriverPhases[], formatMillis: (ms: number) => string, median: (values: number[]) => number): string {
  const m = (pick: (p: DriverPhases) => number) => formatMillis(median(phases.map(pick)));
  return (
    `  driver path, by phase (medians): job.snapshotDeferred() ${m((p) => p.take)}; in the one transaction: encoding chunks ${m((p) => p.encode)}, ` +
    `puts ${m((p) => p.put)}, chunk checksums ${m((p) => p.checksums)}, manifest ${m((p) => p.seal)}; then the commit ${m((p) => p.commit)}`
  );
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

/** A part's bytes as the bulk write puts them: a text part's string, a binary part's chunks in one buffer (text chunks as UTF-8). */
export type BulkPart = { readonly name: string; readonly data: string | Uint8Array };

/** The parts as the bulk write puts them; prepared before its clock starts (the bytes are in hand). */
export function bulkParts(parts: JobSnapshot['parts']): BulkPart[] {
  return parts.map((part) => {
    if (typeof part.data === 'string') return { name: part.name, data: part.data };
    const chunks = part.data.chunks.map((c) => (typeof c === 'string' ? new TextEncoder().encode(c) : c));
    const data = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
    let at = 0;
    for (const c of chunks) {
      data.set(c, at);
      at += c.byteLength;
    }
    return { name: part.name, data };
  });
}

/**
 * Writes every part in one readwrite transaction, a put per part, with strict durability as a
 * checkpoint has (the default is relaxed in Chromium since 121: "complete" before the OS flush),
 * so both contenders pay the same flush for the same bytes.
 */
export async function bulkWrite(db: IDBPDatabase<BulkSchema>, parts: readonly BulkPart[]): Promise<void> {
  const tx = db.transaction('checkpointParts', 'readwrite', { durability: 'strict' });
  const puts = parts.map((part) => tx.store.put({ jobId: JOB_ID, checkpointId: CHECKPOINT_ID, name: part.name, data: part.data }));
  await Promise.all([...puts, tx.done]);
}

/** Whether `read` (rows read back) holds exactly `parts`, by name, byte for byte. */
export function sameBulk(read: readonly BulkPart[], parts: readonly BulkPart[]): boolean {
  const byName = new Map(read.map((row) => [row.name, row.data]));
  return read.length === parts.length && parts.every((p) => byName.has(p.name) && sameChunk(byName.get(p.name)!, p.data));
}

/** Whether two parts hold the same text, or the same chunks byte for byte. */
export function samePartData(a: PartData, b: PartData): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return a.chunks.length === b.chunks.length && a.chunks.every((c, i) => sameChunk(c, b.chunks[i]!));
}

function sameChunk(a: ChunkData, b: ChunkData): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether two snapshots' parts have the same names and data, in order. */
export const sameParts = (a: JobSnapshot['parts'], b: JobSnapshot['parts']): boolean =>
  a.length === b.length && a.every((part, i) => part.name === b[i]!.name && samePartData(part.data, b[i]!.data));
