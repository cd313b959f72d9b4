// The one asynchronous interface between the deterministic engine and durable storage:
// checkpoints (parts first, manifest last), log topics, and the sinks' external store.
// Implemented in memory here and on IndexedDB in src/storage; the engine only ever raises
// requests that a driver fulfils through it (docs/durability.md).

import type { PaneInfo } from '../windows/pane-info.ts';
import type { ChunkData, PartData } from './part-data.ts';

/** A complete checkpoint or savepoint: present only once all its parts were written. */
export interface CheckpointManifest {
  readonly jobId: string;
  readonly checkpointId: number;
  readonly kind: 'checkpoint' | 'savepoint';
  /** Processing time at which the checkpoint was triggered and completed. */
  readonly triggeredAt: number;
  readonly completedAt: number;
  /**
   * Every part, with its size (characters of JSON; for a binary part, its chunks' characters
   * and bytes) and checksum. An incremental checkpoint lists
   * a subtask's chain under one name, oldest first: a full part, then the deltas on it
   * (checkpoint/incremental-chain.ts); links written by earlier checkpoints name them.
   */
  readonly parts: readonly ManifestPart[];
  /** Checksum over the fields above, so a damaged manifest is recognised too. */
  readonly checksum: string;
}

/** A manifest, or a function that seals it (see `DurableStore.writeCheckpoint`). */
export type ManifestSource = CheckpointManifest | (() => CheckpointManifest);

/**
 * The manifest writeCheckpointChunks gets: as a ManifestSource, but a sealing function may be
 * handed the parts as the store described them (a store with `describesChunks` checksums each
 * chunk itself, on its own thread, and passes every part it stored, by name). Such a store may
 * call it more than once (first with placeholders, to learn the manifest's shape); the manifest
 * stored is the one its last call returned.
 */
export type ChunkedManifestSource = CheckpointManifest | ((described?: ReadonlyMap<string, ManifestPart>) => CheckpointManifest);

/** The manifest of a ManifestSource. */
export const manifestOf = (source: ManifestSource): CheckpointManifest => (typeof source === 'function' ? source() : source);

/** A part as a manifest lists it. */
export interface ManifestPart {
  readonly name: string;
  readonly size: number;
  readonly checksum: string;
  /** Stored under this earlier checkpoint (a shared part of an incremental chain); absent: under the manifest's own. */
  readonly checkpointId?: number;
  /** A delta: changes on the links of the same name before it (absent: a full part). */
  readonly delta?: true;
  /**
   * A part written in chunks (a large one, encoded and put chunk by chunk): each chunk's size and
   * checksum, in order; `size` is their sum and `checksum` is `chunkedChecksum` of them
   * (checksum.ts). Readers get the joined text (or a binary part's chunks, part-data.ts) and
   * never handle chunk rows. Absent: written whole (or as one chunk).
   */
  readonly chunks?: readonly PartChunk[];
}

/** One chunk of a part written in chunks, as its manifest lists it (a binary chunk: bytes, and a `b:` checksum). */
export interface PartChunk {
  readonly size: number;
  readonly checksum: string;
}

/**
 * A part handed to a store chunk by chunk: `write(put)` calls `put` once per chunk of the part
 * (text, or binary: part-data.ts), in order, synchronously (it encodes or slices the text as it goes, and checksums each
 * chunk after `put` returned, while the store's backend writes it).
 */
export interface ChunkedPart {
  readonly name: string;
  write(put: (chunk: ChunkData) => void): void;
  /**
   * The writer hands the part's binary chunks over: a store that `takesChunks` may take their
   * buffers (transfer them to its thread, detaching them here) instead of copying them.
   */
  readonly handOver?: true;
}

/**
 * A checkpoint written as chunks that arrive over time (the store worker's side of the chunked
 * store RPC, store-rpc.ts): `put` takes each chunk as it comes, parts one after another and a
 * part's chunks in order (the IndexedDB and memory stores hold them until `commit`), and
 * `commit` writes them with the manifest last. Atomic as writeCheckpoint: the
 * checkpoint is complete once `commit` resolved, and nothing of it is stored if it rejected or
 * the stream was aborted (a crash of the writer mid-stream leaves the previous checkpoint).
 */
export interface CheckpointStream {
  /** Stores the next chunk of part `name`. Synchronous; a failure shows in `commit`. */
  put(name: string, chunk: ChunkData): void;
  /** Writes the manifest (of this job and checkpoint) and commits; rejects, storing nothing, on any failure. */
  commit(manifest: CheckpointManifest): Promise<void>;
  /** Drops the write: nothing of it is stored. Idempotent; a later `commit` rejects with `reason`. */
  abort(reason: string): void;
}

/** One record of a log topic. */
export interface LogRecord {
  readonly offset: number;
  readonly key: string | number | null;
  readonly value: unknown;
  /** Event time. */
  readonly timestamp: number;
}

export interface TopicConfig {
  readonly partitions: number;
  /** Delete records older than this (event time of the newest record minus the record's). */
  readonly retentionMs?: number;
  /** Keep at most about this many records per partition, oldest deleted first. */
  readonly retentionRecords?: number;
  /** Log compaction: keep only the latest record per key (older ones are deleted on compact()). */
  readonly compacted?: boolean;
}

/**
 * A record as a sink writes it to its external store. `window`, `pane` and `retraction` are
 * present only for window results (as in a SinkRecord), so a store read can be compared record
 * by record with a failure-free run's output (checkpoint/delivery-report.ts); stores keep them.
 */
export interface SinkWrite {
  readonly key: string | number | null;
  readonly value: unknown;
  readonly timestamp: number;
  readonly window?: { readonly start: number; readonly end: number } | 'global';
  readonly pane?: PaneInfo;
  readonly retraction?: true;
}

/** Durable storage, as the driver uses it. Every method may reject (quota, aborted transaction). */
export interface DurableStore {
  // Checkpoints. Parts are written first, the manifest last: a checkpoint without a manifest,
  // or whose parts do not match the manifest's checksums, does not exist for readers.
  writeCheckpointPart(jobId: string, checkpointId: number, name: string, data: PartData): Promise<void>;
  writeCheckpointManifest(manifest: CheckpointManifest): Promise<void>;
  /**
   * Writes a checkpoint's own parts and then its manifest in one atomic step (one IndexedDB
   * transaction): afterwards the checkpoint is complete, or, on a rejection, nothing was written.
   * `manifest` may be a function that seals it, called once the parts were handed to the store:
   * the IndexedDB store then computes the checksums while its backend writes the parts.
   */
  writeCheckpoint(jobId: string, checkpointId: number, manifest: ManifestSource, parts: readonly { readonly name: string; readonly data: PartData }[]): Promise<void>;
  /**
   * Optional, as writeCheckpoint but with parts given chunk by chunk (store-io.ts uses it when a
   * store has it): in one atomic step, calls every part's `write` in order, storing each chunk
   * as it is put (IndexedDB: a put per chunk, so its backend writes chunk i while chunk i + 1 is
   * encoded), then seals and writes the manifest last. A reader gets the part back
   * (`readCheckpointPart`, listing: text chunks joined, a binary part's chunks as they were). A rejection (quota, a throwing `write`) stores nothing.
   */
  writeCheckpointChunks?(jobId: string, checkpointId: number, manifest: ChunkedManifestSource, parts: readonly ChunkedPart[]): Promise<void>;
  /**
   * Set when writeCheckpointChunks checksums every chunk itself (the store worker's RPC: on the
   * store's thread, while the caller encodes the next chunk) and hands the parts it described
   * (`describeChunkedPart`) to the manifest's sealing function; callers then skip their own.
   */
  readonly describesChunks?: true;
  /**
   * Set when writeCheckpointChunks takes the buffers of the binary chunks of parts marked
   * `handOver` (the store worker's RPC transfers them to its thread instead of cloning them):
   * once put, such a chunk is detached, and its writer must not read it again.
   */
  readonly takesChunks?: true;
  /**
   * Optional: starts a checkpoint written as a stream of chunks (CheckpointStream), for writers
   * on another thread whose chunks arrive as messages. Throws (a StorageError) if it cannot start.
   */
  openCheckpointStream?(jobId: string, checkpointId: number): CheckpointStream;
  /** Complete checkpoints of a job, newest first (torn ones are skipped). */
  listCheckpoints(jobId: string): Promise<CheckpointManifest[]>;
  /** A part as written: JSON text, or a binary part's chunks (part-data.ts; `decodePart` reads either). */
  readCheckpointPart(jobId: string, checkpointId: number, name: string): Promise<PartData>;
  /**
   * Deletes a checkpoint's manifest and its parts, except those named in `keepParts` (parts a
   * retained incremental checkpoint still builds on); they go with a later call without them.
   */
  deleteCheckpoint(jobId: string, checkpointId: number, keepParts?: readonly string[]): Promise<void>;
  /**
   * Forgets a job's earlier run, so a fresh start cannot restore or show it: every checkpoint of
   * `jobId` (torn ones too) and everything the named sinks hold (visible log, upsert table,
   * staged transactions), in one atomic step. Log topics outlive jobs and are kept.
   */
  deleteJob(jobId: string, sinks: readonly string[]): Promise<void>;

  // Log topics (Kafka-like): partitions with dense offsets; a topic outlives any job.
  createTopic(name: string, config: TopicConfig): Promise<void>;
  topicConfig(name: string): Promise<TopicConfig | undefined>;
  /** Appends to one partition; returns the offset of the first record appended. */
  append(topic: string, partition: number, records: readonly Omit<LogRecord, 'offset'>[]): Promise<number>;
  /** Up to `max` records from `fromOffset` on (skipping deleted offsets). */
  read(topic: string, partition: number, fromOffset: number, max: number): Promise<LogRecord[]>;
  /** The offset the next appended record will get. */
  endOffset(topic: string, partition: number): Promise<number>;
  /** Applies retention and compaction now. */
  compact(topic: string): Promise<void>;

  // Sinks' external store: plain appends, upserts by key, and two-phase-commit transactions.
  sinkAppend(sink: string, records: readonly SinkWrite[]): Promise<void>;
  sinkUpsert(sink: string, records: readonly SinkWrite[]): Promise<void>;
  /** Stages records in a transaction; invisible to readers until committed. */
  sinkStage(sink: string, transaction: string, records: readonly SinkWrite[]): Promise<void>;
  sinkCommit(sink: string, transaction: string): Promise<void>;
  sinkAbort(sink: string, transaction: string): Promise<void>;
  /** What a reader of the sink sees: appended and committed records in order, or the upsert table. */
  sinkRead(sink: string): Promise<SinkWrite[]>;
}
