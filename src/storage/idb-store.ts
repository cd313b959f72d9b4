// The DurableStore on IndexedDB, for the worker host and the app: checkpoints, log topics and
// the sinks' external store, in one database. This file only opens the database and routes each
// call to the file that owns its concept (idb-checkpoints, idb-topics, idb-compaction, idb-sinks).
//
// Invariant: it behaves exactly as MemoryDurableStore (src/engine/checkpoint/memory-store.ts);
// the same contract suite runs against both. Every call is one transaction and rejects with a
// StorageError carrying IndexedDB's error name (QuotaExceededError, AbortError, ...) and saying
// which operation failed on what.

import type {
  CheckpointManifest,
  CheckpointStream,
  ChunkedPart,
  DurableStore,
  LogRecord,
  ManifestSource,
  SinkWrite,
  TopicConfig,
} from '../engine/checkpoint/durable-store.ts';
import type { PartData } from '../engine/checkpoint/part-data.ts';
import * as checkpoints from './idb-checkpoints.ts';
import { openCheckpointStream } from './idb-checkpoint-stream.ts';
import { compact } from './idb-compaction.ts';
import { deleteJob } from './idb-delete-job.ts';
import { openBrookDb, type BrookDb } from './idb-schema.ts';
import * as sinks from './idb-sinks.ts';
import * as topics from './idb-topics.ts';

/** Where to open the store. */
export interface IdbStoreOptions {
  /**
   * The IndexedDB to use; the global `indexedDB` by default. Node tests pass a fresh
   * `new IDBFactory()` from fake-indexeddb (after importing `fake-indexeddb/auto`, which `idb`
   * needs for its class checks), so every test gets an empty world.
   */
  readonly indexedDB?: IDBFactory;
}

/** A DurableStore on IndexedDB. Open one with `IdbDurableStore.open`. */
export class IdbDurableStore implements DurableStore {
  private constructor(private readonly db: BrookDb) {}

  /**
   * Opens the store in database `name` (created, or upgraded to the current schema, as needed).
   * Rejects with a StorageError if IndexedDB cannot open it (blocked, disabled, quota).
   */
  static async open(name: string, options: IdbStoreOptions = {}): Promise<IdbDurableStore> {
    return new IdbDurableStore(await openBrookDb(name, options.indexedDB ?? indexedDB));
  }

  /** The database's name. */
  get name(): string {
    return this.db.name;
  }

  /** Closes the connection once its pending transactions finish; later calls reject. */
  close(): void {
    this.db.close();
  }

  writeCheckpointPart(jobId: string, checkpointId: number, name: string, data: PartData): Promise<void> {
    return checkpoints.writeCheckpointPart(this.db, jobId, checkpointId, name, data);
  }
  writeCheckpointManifest(manifest: CheckpointManifest): Promise<void> {
    return checkpoints.writeCheckpointManifest(this.db, manifest);
  }
  writeCheckpoint(jobId: string, checkpointId: number, manifest: ManifestSource, parts: readonly { readonly name: string; readonly data: PartData }[]): Promise<void> {
    return checkpoints.writeCheckpoint(this.db, jobId, checkpointId, manifest, parts);
  }
  writeCheckpointChunks(jobId: string, checkpointId: number, manifest: ManifestSource, parts: readonly ChunkedPart[]): Promise<void> {
    return checkpoints.writeCheckpointChunks(this.db, jobId, checkpointId, manifest, parts);
  }
  openCheckpointStream(jobId: string, checkpointId: number): CheckpointStream {
    return openCheckpointStream(this.db, jobId, checkpointId);
  }
  listCheckpoints(jobId: string): Promise<CheckpointManifest[]> {
    return checkpoints.listCheckpoints(this.db, jobId);
  }
  readCheckpointPart(jobId: string, checkpointId: number, name: string): Promise<PartData> {
    return checkpoints.readCheckpointPart(this.db, jobId, checkpointId, name);
  }
  deleteCheckpoint(jobId: string, checkpointId: number, keepParts?: readonly string[]): Promise<void> {
    return checkpoints.deleteCheckpoint(this.db, jobId, checkpointId, keepParts);
  }

  deleteJob(jobId: string, sinks: readonly string[]): Promise<void> {
    return deleteJob(this.db, jobId, sinks);
  }

  createTopic(name: string, config: TopicConfig): Promise<void> {
    return topics.createTopic(this.db, name, config);
  }
  topicConfig(name: string): Promise<TopicConfig | undefined> {
    return topics.topicConfig(this.db, name);
  }
  append(topic: string, partition: number, records: readonly Omit<LogRecord, 'offset'>[]): Promise<number> {
    return topics.append(this.db, topic, partition, records);
  }
  read(topic: string, partition: number, fromOffset: number, max: number): Promise<LogRecord[]> {
    return topics.read(this.db, topic, partition, fromOffset, max);
  }
  endOffset(topic: string, partition: number): Promise<number> {
    return topics.endOffset(this.db, topic, partition);
  }
  compact(topic: string): Promise<void> {
    return compact(this.db, topic);
  }

  sinkAppend(sink: string, records: readonly SinkWrite[]): Promise<void> {
    return sinks.sinkAppend(this.db, sink, records);
  }
  sinkUpsert(sink: string, records: readonly SinkWrite[]): Promise<void> {
    return sinks.sinkUpsert(this.db, sink, records);
  }
  sinkStage(sink: string, transaction: string, records: readonly SinkWrite[]): Promise<void> {
    return sinks.sinkStage(this.db, sink, transaction, records);
  }
  sinkCommit(sink: string, transaction: string): Promise<void> {
    return sinks.sinkCommit(this.db, sink, transaction);
  }
  sinkAbort(sink: string, transaction: string): Promise<void> {
    return sinks.sinkAbort(this.db, sink, transaction);
  }
  sinkRead(sink: string): Promise<SinkWrite[]> {
    return sinks.sinkRead(this.db, sink);
  }
}
