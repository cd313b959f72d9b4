// The in-memory DurableStore: what Node tests and the command line run against, and the
// reference model the IndexedDB store (src/storage) must match — the same contract suite runs on
// both (tests/engine/checkpoint/durable-store-contract.ts). It also simulates the faults a real
// store has (`failNext`, a byte quota), so the fault-matrix tests need no browser.
//
// Invariants, shared with the IndexedDB store: every call is atomic (it rejects having changed
// nothing); values are copied in and out (structured clone, as IndexedDB does), so a caller
// mutating what it wrote or read never changes the store; offsets are dense per partition and
// never reused; a checkpoint is listed only if `checkpointIntact` (checksum.ts) holds.
//
// The rules both stores share (errors, validation, the retention and compaction policy) live in
// store-rules.ts, below the storage layer, so the two implementations cannot drift apart.

import { checkpointIntact } from './checksum.ts';
import { holdCheckpointStream } from './held-checkpoint-stream.ts';
import { partFromChunks, partSize, type ChunkData, type PartData } from './part-data.ts';
import { storageFailure, checkpointSubject, topicSubject, sinkSubject, topicConfigProblem, sameTopicConfig, isStorableKey, readLimit, retainedRecords, type StoreMethod } from './store-rules.ts';

/** Shared with the IndexedDB store; re-exported for the tests and callers that import them from here. */
export { StorageError, retainedRecords, type StoreMethod } from './store-rules.ts';
import { manifestOf, type CheckpointManifest, type CheckpointStream, type ChunkedPart, type DurableStore, type LogRecord, type ManifestSource, type SinkWrite, type TopicConfig } from './durable-store.ts';

export interface MemoryStoreOptions {
  /**
   * Simulated quota: a write that would make the stored data exceed this many bytes rejects
   * with a QuotaExceededError and writes nothing. Bytes are counted as characters of JSON
   * (part data, manifests, records, sink writes), an approximation of what a browser charges.
   */
  readonly quotaBytes?: number;
}

interface StoredCheckpoint {
  manifest?: CheckpointManifest;
  readonly parts: Map<string, PartData>;
}
interface StoredPartition {
  end: number;
  records: LogRecord[];
}
interface StoredTopic {
  readonly config: TopicConfig;
  readonly partitions: StoredPartition[];
}
interface StoredSink {
  readonly log: SinkWrite[];
  readonly table: Map<string | number, SinkWrite>;
  readonly staged: Map<string, SinkWrite[]>;
}
interface PendingFault {
  readonly method: StoreMethod;
  readonly error: { readonly name: string; readonly message: string };
  succeedFirst: number;
}

// The structured clone IndexedDB applies, so both stores accept and refuse the same values.
// A global in Node and in workers, but not in the engine's ES2022 lib, hence the declaration.
declare function structuredClone<T>(value: T): T;
const copy = <T>(value: T): T => structuredClone(value);

/** Approximate size in bytes of a stored value: characters of its JSON. */
function bytesOf(value: unknown): number {
  if (typeof value === 'string') return value.length;
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return 0;
  }
}

/** A DurableStore in memory, with simulated faults. See the module header for its invariants. */
export class MemoryDurableStore implements DurableStore {
  private readonly checkpoints = new Map<string, Map<number, StoredCheckpoint>>();
  private readonly topics = new Map<string, StoredTopic>();
  private readonly sinks = new Map<string, StoredSink>();
  private readonly faults: PendingFault[] = [];
  private readonly quotaBytes: number | undefined;
  private used = 0;

  constructor(options: MemoryStoreOptions = {}) {
    this.quotaBytes = options.quotaBytes;
  }

  /**
   * Makes a later call of `method` reject with `error` (its name kept, e.g. `QuotaExceededError`)
   * without changing anything: the next call, or the one after `succeedFirst` successful calls.
   * Faults queue per method, first in, first out.
   */
  failNext(method: StoreMethod, error: { readonly name: string; readonly message: string }, succeedFirst = 0): void {
    this.faults.push({ method, error, succeedFirst });
  }

  /** Bytes the stored data takes, as the quota counts them (tracked only with `quotaBytes`). */
  get usedBytes(): number {
    return this.used;
  }

  async writeCheckpointPart(jobId: string, checkpointId: number, name: string, data: PartData): Promise<void> {
    const subject = this.enter('writeCheckpointPart', checkpointSubject(jobId, checkpointId, name));
    const checkpoint = this.checkpointEntry(jobId, checkpointId);
    const old = checkpoint.parts.get(name);
    this.charge('writeCheckpointPart', subject, () => partSize(data) - (old === undefined ? 0 : partSize(old)));
    checkpoint.parts.set(name, data);
  }

  async writeCheckpointManifest(manifest: CheckpointManifest): Promise<void> {
    const subject = this.enter('writeCheckpointManifest', checkpointSubject(manifest.jobId, manifest.checkpointId));
    const stored = this.copyIn('writeCheckpointManifest', subject, manifest);
    const checkpoint = this.checkpointEntry(manifest.jobId, manifest.checkpointId);
    this.charge('writeCheckpointManifest', subject, () => bytesOf(stored) - bytesOf(checkpoint.manifest ?? ''));
    checkpoint.manifest = stored;
  }

  async writeCheckpoint(jobId: string, checkpointId: number, source: ManifestSource, parts: readonly { readonly name: string; readonly data: PartData }[]): Promise<void> {
    const subject = this.enter('writeCheckpoint', checkpointSubject(jobId, checkpointId));
    const manifest = manifestOf(source);
    if (manifest.jobId !== jobId || manifest.checkpointId !== checkpointId) {
      throw storageFailure('writeCheckpoint', subject, { name: 'DataError', message: `the manifest is of checkpoint ${manifest.checkpointId} of job "${manifest.jobId}"` });
    }
    const stored = this.copyIn('writeCheckpoint', subject, manifest);
    const checkpoint = this.checkpointEntry(jobId, checkpointId);
    // One charge for everything, so a quota failure writes nothing (one transaction).
    this.charge('writeCheckpoint', subject, () => {
      let bytes = bytesOf(stored) - bytesOf(checkpoint.manifest ?? '');
      for (const part of parts) {
        const old = checkpoint.parts.get(part.name);
        bytes += partSize(part.data) - (old === undefined ? 0 : partSize(old));
      }
      return bytes;
    });
    for (const part of parts) checkpoint.parts.set(part.name, part.data);
    checkpoint.manifest = stored;
  }

  /** As writeCheckpoint (and its faults and quota), text chunks joined: memory has no backend to overlap. */
  async writeCheckpointChunks(jobId: string, checkpointId: number, source: ManifestSource, parts: readonly ChunkedPart[]): Promise<void> {
    const whole = parts.map((part) => {
      const chunks: ChunkData[] = [];
      part.write((chunk) => void chunks.push(chunk));
      return { name: part.name, data: partFromChunks(chunks) };
    });
    return this.writeCheckpoint(jobId, checkpointId, source, whole);
  }

  /**
   * A checkpoint written as a stream of chunks: the chunks are held until `commit`, which writes
   * them joined with the manifest as writeCheckpoint does (its faults and quota included); an
   * aborted stream stores nothing.
   */
  openCheckpointStream(jobId: string, checkpointId: number): CheckpointStream {
    return holdCheckpointStream(jobId, checkpointId, (manifest, parts) =>
      this.writeCheckpoint(jobId, checkpointId, manifest, parts.map((p) => ({ name: p.name, data: partFromChunks(p.chunks) }))),
    );
  }

  async listCheckpoints(jobId: string): Promise<CheckpointManifest[]> {
    this.enter('listCheckpoints', checkpointSubject(jobId));
    const complete: CheckpointManifest[] = [];
    const job = this.checkpoints.get(jobId);
    for (const { manifest } of job?.values() ?? []) {
      if (manifest && checkpointIntact(manifest, (name, id) => job!.get(id)?.parts.get(name))) complete.push(manifest);
    }
    return copy(complete.sort((a, b) => b.checkpointId - a.checkpointId));
  }

  async readCheckpointPart(jobId: string, checkpointId: number, name: string): Promise<PartData> {
    const subject = this.enter('readCheckpointPart', checkpointSubject(jobId, checkpointId, name));
    const data = this.checkpoints.get(jobId)?.get(checkpointId)?.parts.get(name);
    if (data === undefined) throw storageFailure('readCheckpointPart', subject, notFound('no such part'));
    return data;
  }

  async deleteCheckpoint(jobId: string, checkpointId: number, keepParts: readonly string[] = []): Promise<void> {
    this.enter('deleteCheckpoint', checkpointSubject(jobId, checkpointId));
    const job = this.checkpoints.get(jobId);
    const checkpoint = job?.get(checkpointId);
    if (!job || !checkpoint) return;
    const keep = new Set(keepParts);
    const dropped = [...checkpoint.parts].filter(([name]) => !keep.has(name));
    this.release(() => bytesOf(checkpoint.manifest ?? '') + dropped.reduce((n, [, d]) => n + partSize(d), 0));
    checkpoint.manifest = undefined;
    for (const [name] of dropped) checkpoint.parts.delete(name);
    if (checkpoint.parts.size > 0) return;
    job.delete(checkpointId);
    if (job.size === 0) this.checkpoints.delete(jobId);
  }

  async deleteJob(jobId: string, sinks: readonly string[]): Promise<void> {
    this.enter('deleteJob', checkpointSubject(jobId));
    for (const checkpoint of this.checkpoints.get(jobId)?.values() ?? []) {
      this.release(() => bytesOf(checkpoint.manifest ?? '') + [...checkpoint.parts.values()].reduce((n, d) => n + partSize(d), 0));
    }
    this.checkpoints.delete(jobId);
    for (const sink of sinks) {
      const stored = this.sinks.get(sink);
      if (!stored) continue;
      const rows = [...stored.log, ...stored.table.values(), ...[...stored.staged.values()].flat()];
      this.release(() => rows.reduce((n, row) => n + bytesOf(row), 0));
      this.sinks.delete(sink);
    }
  }

  async createTopic(name: string, config: TopicConfig): Promise<void> {
    const subject = this.enter('createTopic', topicSubject(name));
    const problem = topicConfigProblem(config);
    if (problem) throw storageFailure('createTopic', subject, { name: 'DataError', message: problem });
    const existing = this.topics.get(name);
    if (existing) {
      if (sameTopicConfig(existing.config, config)) return;
      throw storageFailure('createTopic', subject, { name: 'ConstraintError', message: 'the topic exists with a different config' });
    }
    const partitions = Array.from({ length: config.partitions }, () => ({ end: 0, records: [] }));
    this.topics.set(name, { config: copy(config), partitions });
  }

  async topicConfig(name: string): Promise<TopicConfig | undefined> {
    this.enter('topicConfig', topicSubject(name));
    const topic = this.topics.get(name);
    return topic && copy(topic.config);
  }

  async append(topic: string, partition: number, records: readonly Omit<LogRecord, 'offset'>[]): Promise<number> {
    const subject = this.enter('append', topicSubject(topic, partition));
    const stored = this.partitionOf('append', subject, topic, partition);
    const first = stored.end;
    const rows = this.copyIn(
      'append',
      subject,
      records.map((r, i): LogRecord => ({ offset: first + i, key: r.key, value: r.value, timestamp: r.timestamp })),
    );
    this.charge('append', subject, () => rows.reduce((n, row) => n + bytesOf(row), 0));
    for (const row of rows) stored.records.push(row);
    stored.end += rows.length;
    return first;
  }

  async read(topic: string, partition: number, fromOffset: number, max: number): Promise<LogRecord[]> {
    const subject = this.enter('read', topicSubject(topic, partition));
    const { records } = this.partitionOf('read', subject, topic, partition);
    if (Number.isNaN(fromOffset)) throw storageFailure('read', subject, { name: 'DataError', message: 'fromOffset is NaN' });
    let low = 0;
    let high = records.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (records[mid].offset < fromOffset) low = mid + 1;
      else high = mid;
    }
    return copy(records.slice(low, low + readLimit(max)));
  }

  async endOffset(topic: string, partition: number): Promise<number> {
    const subject = this.enter('endOffset', topicSubject(topic, partition));
    return this.partitionOf('endOffset', subject, topic, partition).end;
  }

  async compact(topic: string): Promise<void> {
    const subject = this.enter('compact', topicSubject(topic));
    const stored = this.topics.get(topic);
    if (!stored) throw storageFailure('compact', subject, notFound('no such topic'));
    for (const partition of stored.partitions) {
      const kept = retainedRecords(partition.records, stored.config);
      if (kept.length === partition.records.length) continue;
      const keptSet = new Set(kept);
      this.release(() => partition.records.reduce((n, r) => n + (keptSet.has(r) ? 0 : bytesOf(r)), 0));
      partition.records = kept;
    }
  }

  async sinkAppend(sink: string, records: readonly SinkWrite[]): Promise<void> {
    const subject = this.enter('sinkAppend', sinkSubject(sink));
    const rows = this.copyIn('sinkAppend', subject, writesOf(records));
    this.charge('sinkAppend', subject, () => rows.reduce((n, row) => n + bytesOf(row), 0));
    const log = this.sinkEntry(sink).log;
    for (const row of rows) log.push(row); // not push(...rows): a large write would overflow the stack
  }

  async sinkUpsert(sink: string, records: readonly SinkWrite[]): Promise<void> {
    const subject = this.enter('sinkUpsert', sinkSubject(sink));
    if (!records.every((r) => isStorableKey(r.key))) {
      throw storageFailure('sinkUpsert', subject, { name: 'DataError', message: 'an upserted record needs a string or number key' });
    }
    const rows = this.copyIn('sinkUpsert', subject, writesOf(records));
    const table = this.sinks.get(sink)?.table;
    this.charge('sinkUpsert', subject, () => {
      const after = new Map<unknown, number>();
      for (const row of rows) after.set(row.key, bytesOf(row));
      let delta = 0;
      for (const [key, bytes] of after) delta += bytes - bytesOf(table?.get(key as string | number) ?? '');
      return delta;
    });
    const target = this.sinkEntry(sink).table;
    for (const row of rows) target.set(row.key as string | number, row);
  }

  async sinkStage(sink: string, transaction: string, records: readonly SinkWrite[]): Promise<void> {
    const subject = this.enter('sinkStage', sinkSubject(sink, transaction));
    const rows = this.copyIn('sinkStage', subject, writesOf(records));
    this.charge('sinkStage', subject, () => rows.reduce((n, row) => n + bytesOf(row), 0));
    const staged = this.sinkEntry(sink).staged;
    staged.set(transaction, [...(staged.get(transaction) ?? []), ...rows]);
  }

  async sinkCommit(sink: string, transaction: string): Promise<void> {
    this.enter('sinkCommit', sinkSubject(sink, transaction));
    const stored = this.sinks.get(sink);
    const rows = stored?.staged.get(transaction);
    if (!stored || !rows) return; // committing twice (recoverAndCommit after a crash) is harmless
    stored.staged.delete(transaction);
    for (const row of rows) stored.log.push(row);
  }

  async sinkAbort(sink: string, transaction: string): Promise<void> {
    this.enter('sinkAbort', sinkSubject(sink, transaction));
    const staged = this.sinks.get(sink)?.staged;
    const rows = staged?.get(transaction);
    if (!staged || !rows) return;
    this.release(() => rows.reduce((n, row) => n + bytesOf(row), 0));
    staged.delete(transaction);
  }

  async sinkRead(sink: string): Promise<SinkWrite[]> {
    this.enter('sinkRead', sinkSubject(sink));
    const stored = this.sinks.get(sink);
    return stored ? copy([...stored.log, ...stored.table.values()]) : [];
  }

  /** Starts a call: throws the fault queued for it, if its turn has come. Returns the subject. */
  private enter(method: StoreMethod, subject: string): string {
    const index = this.faults.findIndex((fault) => fault.method === method);
    if (index >= 0) {
      const fault = this.faults[index];
      if (fault.succeedFirst > 0) fault.succeedFirst--;
      else {
        this.faults.splice(index, 1);
        throw storageFailure(method, subject, fault.error);
      }
    }
    return subject;
  }

  /** A structured clone of what a caller writes; a value IndexedDB cannot store rejects the call. */
  private copyIn<T>(method: StoreMethod, subject: string, value: T): T {
    try {
      return copy(value);
    } catch (error) {
      throw storageFailure(method, subject, error);
    }
  }

  /** Counts `bytes()` more stored bytes, or rejects the write if they break the quota. */
  private charge(method: StoreMethod, subject: string, bytes: () => number): void {
    if (this.quotaBytes === undefined) return;
    const after = this.used + bytes();
    if (after > this.quotaBytes) {
      throw storageFailure(method, subject, {
        name: 'QuotaExceededError',
        message: `the write needs ${after} bytes, over the quota of ${this.quotaBytes}`,
      });
    }
    this.used = after;
  }

  private release(bytes: () => number): void {
    if (this.quotaBytes !== undefined) this.used -= bytes();
  }

  private checkpointEntry(jobId: string, checkpointId: number): StoredCheckpoint {
    let job = this.checkpoints.get(jobId);
    if (!job) this.checkpoints.set(jobId, (job = new Map()));
    let checkpoint = job.get(checkpointId);
    if (!checkpoint) job.set(checkpointId, (checkpoint = { parts: new Map() }));
    return checkpoint;
  }

  private partitionOf(method: StoreMethod, subject: string, topic: string, partition: number): StoredPartition {
    const stored = this.topics.get(topic);
    if (!stored) throw storageFailure(method, subject, notFound('no such topic'));
    const found = Number.isInteger(partition) ? stored.partitions[partition] : undefined;
    if (!found) throw storageFailure(method, subject, notFound(`the topic has partitions 0..${stored.partitions.length - 1}`));
    return found;
  }

  private sinkEntry(sink: string): StoredSink {
    let stored = this.sinks.get(sink);
    if (!stored) this.sinks.set(sink, (stored = { log: [], table: new Map(), staged: new Map() }));
    return stored;
  }
}

const notFound = (message: string) => ({ name: 'NotFoundError', message });

/** A sink write as stored: everything the sink wrote, window and pane included (so reads compare with the reference). */
const writesOf = (records: readonly SinkWrite[]): SinkWrite[] => records.map((r) => ({ ...r }));
