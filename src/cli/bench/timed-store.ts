// A DurableStore that forwards every call to another one and keeps account of it: the wall time
// spent in each method and the characters of checkpoint parts written per checkpoint. The
// benchmarks use it to say how many checkpoints a run took, how big they were, and how much of
// the run the driver spent waiting on the store. Its own cost is two clock reads per call.

import { chunkSize, partSize, type ChunkData, type PartData } from '../../engine/checkpoint/part-data.ts';
import { performance } from 'node:perf_hooks';
import type { CheckpointManifest, DurableStore, LogRecord, ManifestSource, SinkWrite, TopicConfig } from '../../engine/checkpoint/durable-store.ts';

type Method = keyof DurableStore;

export class TimedStore implements DurableStore {
  /** Milliseconds spent in each method, summed over calls. */
  readonly millis = new Map<Method, number>();
  /** Calls of each method. */
  readonly calls = new Map<Method, number>();
  /** The size of each checkpoint written, in order: characters of the parts it wrote (a manifest written alone: every part it lists). */
  readonly checkpointSizes: number[] = [];
  /** The id of each of those checkpoints. */
  readonly checkpointIds: number[] = [];

  constructor(readonly inner: DurableStore) {
    const chunked = inner.writeCheckpointChunks?.bind(inner);
    if (chunked === undefined) return;
    this.writeCheckpointChunks = async (jobId, checkpointId, manifest, parts) => {
      let chars = 0;
      const counted = parts.map((part) => ({ name: part.name, write: (put: (chunk: ChunkData) => void) => part.write((chunk) => ((chars += chunkSize(chunk)), put(chunk))) }));
      await this.time('writeCheckpoint', () => chunked(jobId, checkpointId, manifest, counted));
      this.checkpointIds.push(checkpointId);
      this.checkpointSizes.push(chars);
    };
  }

  /** Total milliseconds in store calls. */
  get totalMillis(): number {
    let n = 0;
    for (const ms of this.millis.values()) n += ms;
    return n;
  }

  private async time<T>(method: Method, call: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await call();
    } finally {
      this.millis.set(method, (this.millis.get(method) ?? 0) + performance.now() - start);
      this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
    }
  }

  writeCheckpointPart(jobId: string, checkpointId: number, name: string, data: PartData): Promise<void> {
    return this.time('writeCheckpointPart', () => this.inner.writeCheckpointPart(jobId, checkpointId, name, data));
  }
  async writeCheckpointManifest(manifest: CheckpointManifest): Promise<void> {
    await this.time('writeCheckpointManifest', () => this.inner.writeCheckpointManifest(manifest));
    this.checkpointIds.push(manifest.checkpointId);
    this.checkpointSizes.push(manifest.parts.reduce((n, part) => n + part.size, 0));
  }
  async writeCheckpoint(jobId: string, checkpointId: number, manifest: ManifestSource, parts: readonly { readonly name: string; readonly data: PartData }[]): Promise<void> {
    await this.time('writeCheckpoint', () => this.inner.writeCheckpoint(jobId, checkpointId, manifest, parts));
    this.checkpointIds.push(checkpointId);
    this.checkpointSizes.push(parts.reduce((n, part) => n + partSize(part.data), 0));
  }
  /** Present when the inner store has it, so the driver writes through it as it would without the timing. */
  readonly writeCheckpointChunks?: DurableStore['writeCheckpointChunks'];
  listCheckpoints(jobId: string): Promise<CheckpointManifest[]> {
    return this.time('listCheckpoints', () => this.inner.listCheckpoints(jobId));
  }
  readCheckpointPart(jobId: string, checkpointId: number, name: string): Promise<PartData> {
    return this.time('readCheckpointPart', () => this.inner.readCheckpointPart(jobId, checkpointId, name));
  }
  deleteCheckpoint(jobId: string, checkpointId: number, keepParts?: readonly string[]): Promise<void> {
    return this.time('deleteCheckpoint', () => this.inner.deleteCheckpoint(jobId, checkpointId, keepParts));
  }
  deleteJob(jobId: string, sinks: readonly string[]): Promise<void> {
    return this.time('deleteJob', () => this.inner.deleteJob(jobId, sinks));
  }
  createTopic(name: string, config: TopicConfig): Promise<void> {
    return this.time('createTopic', () => this.inner.createTopic(name, config));
  }
  topicConfig(name: string): Promise<TopicConfig | undefined> {
    return this.time('topicConfig', () => this.inner.topicConfig(name));
  }
  append(topic: string, partition: number, records: readonly Omit<LogRecord, 'offset'>[]): Promise<number> {
    return this.time('append', () => this.inner.append(topic, partition, records));
  }
  read(topic: string, partition: number, fromOffset: number, max: number): Promise<LogRecord[]> {
    return this.time('read', () => this.inner.read(topic, partition, fromOffset, max));
  }
  endOffset(topic: string, partition: number): Promise<number> {
    return this.time('endOffset', () => this.inner.endOffset(topic, partition));
  }
  compact(topic: string): Promise<void> {
    return this.time('compact', () => this.inner.compact(topic));
  }
  sinkAppend(sink: string, records: readonly SinkWrite[]): Promise<void> {
    return this.time('sinkAppend', () => this.inner.sinkAppend(sink, records));
  }
  sinkUpsert(sink: string, records: readonly SinkWrite[]): Promise<void> {
    return this.time('sinkUpsert', () => this.inner.sinkUpsert(sink, records));
  }
  sinkStage(sink: string, transaction: string, records: readonly SinkWrite[]): Promise<void> {
    return this.time('sinkStage', () => this.inner.sinkStage(sink, transaction, records));
  }
  sinkCommit(sink: string, transaction: string): Promise<void> {
    return this.time('sinkCommit', () => this.inner.sinkCommit(sink, transaction));
  }
  sinkAbort(sink: string, transaction: string): Promise<void> {
    return this.time('sinkAbort', () => this.inner.sinkAbort(sink, transaction));
  }
  sinkRead(sink: string): Promise<SinkWrite[]> {
    return this.time('sinkRead', () => this.inner.sinkRead(sink));
  }
}
