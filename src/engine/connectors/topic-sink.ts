// Writes a stream into a log topic: each record goes to a partition chosen by its key's hash (or
// round-robin without a key), appended as one request per partition and batch. At-least-once:
// records written between a checkpoint and a crash are written again after recovery.

import type { LogRecord } from '../checkpoint/durable-store.ts';
import { UserCodeError } from '../errors.ts';
import type { Operator, OperatorContext } from '../runtime/operator.ts';
import { keyHash } from '../runtime/partitioner.ts';
import type { Key, RecordBatch } from '../runtime/record-batch.ts';
import type { Timer } from '../time/timer-service.ts';

export interface TopicSinkOptions<T> {
  /** Partitions to create the topic with, if it does not exist yet. Default 1. */
  readonly partitions?: number;
  /** The record key in the topic (also what picks the partition); default the stream's key, if any. */
  readonly keyOf?: (value: T) => Key;
}

export class TopicSink implements Operator {
  private ctx!: OperatorContext;
  private next = 0;
  constructor(
    private readonly topic: string,
    private readonly options: TopicSinkOptions<unknown>,
  ) {}
  open(ctx: OperatorContext): void {
    this.ctx = ctx;
  }
  processBatch(batch: RecordBatch): void {
    const n = this.options.partitions ?? 1;
    const parts: Omit<LogRecord, 'offset'>[][] = Array.from({ length: n }, () => []);
    for (let i = 0; i < batch.length; i++) {
      let key: Key | null = batch.keys?.[i] ?? null;
      if (this.options.keyOf) {
        try {
          key = this.options.keyOf(batch.values[i]);
        } catch (e) {
          throw new UserCodeError(this.ctx.operatorName, 'the topic key function', e);
        }
      }
      const p = key === null ? this.next++ % n : ((keyHash(key) % n) + n) % n;
      parts[p]!.push({ key, value: batch.values[i], timestamp: batch.timestamps[i]! });
    }
    parts.forEach((records, partition) => {
      if (records.length > 0) this.ctx.io.request({ kind: 'topicAppend', topic: this.topic, partitions: n, partition, records });
    });
  }
  onTimer(_t: Timer): void {}
}
