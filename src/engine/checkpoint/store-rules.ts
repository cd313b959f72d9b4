// The rules both durable stores share (the in-memory one here and the IndexedDB one in
// src/storage): error shapes and subjects, validation, and the retention and compaction policy.
// They live below the storage layer, in one place, so the two implementations cannot drift apart.

import { canonicalJson } from './checksum.ts';
import type { DurableStore, LogRecord, TopicConfig } from './durable-store.ts';

/**
 * An error from durable storage. `name` follows IndexedDB's DOMException names
 * (`QuotaExceededError`, `AbortError`, `NotFoundError`, `ConstraintError`, `DataError`), so
 * callers test `error.name` whichever store raised it; the message says which operation failed
 * on what; `cause` keeps the original error.
 */
export class StorageError extends Error {
  override readonly name: string;
  constructor(name: string, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = name;
  }
}

/** The methods of a DurableStore, as named in errors and in `failNext`. */
export type StoreMethod = keyof DurableStore;

/**
 * The error a store rejects with when `method` (a StoreMethod, or `open`) failed on `subject`
 * (see `*Subject` below): the cause's `name` is kept, and a StorageError passes unchanged.
 */
export function storageFailure(method: string, subject: string, cause: unknown): StorageError {
  if (cause instanceof StorageError) return cause;
  const name = errorField(cause, 'name') || 'Error';
  const detail = errorField(cause, 'message') || (typeof cause === 'string' ? cause : '');
  return new StorageError(name, `${method} on ${subject} failed: ${name}${detail ? `: ${detail}` : ''}`, cause);
}

function errorField(error: unknown, field: 'name' | 'message'): string {
  if (typeof error !== 'object' || error === null) return '';
  const value = (error as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : '';
}

/** Names what an operation acted on, for error messages. */
export const checkpointSubject = (jobId: string, checkpointId?: number, part?: string): string =>
  `${part === undefined ? '' : `part "${part}" of `}${checkpointId === undefined ? '' : `checkpoint ${checkpointId} of `}job "${jobId}"`;
export const topicSubject = (topic: string, partition?: number): string =>
  `topic "${topic}"${partition === undefined ? '' : ` partition ${partition}`}`;
export const sinkSubject = (sink: string, transaction?: string): string =>
  `${transaction === undefined ? '' : `transaction "${transaction}" of `}sink "${sink}"`;

/** Why a topic config is invalid, or undefined if it is valid. */
export function topicConfigProblem(config: TopicConfig): string | undefined {
  if (!Number.isInteger(config.partitions) || config.partitions < 1) return 'partitions must be a positive integer';
  if (config.retentionMs !== undefined && !(config.retentionMs >= 0)) return 'retentionMs must be >= 0';
  const count = config.retentionRecords;
  if (count !== undefined && !(Number.isInteger(count) && count >= 0)) return 'retentionRecords must be an integer >= 0';
  return undefined;
}

/** Whether two topic configs are the same (creating an existing topic again is then a no-op). */
export const sameTopicConfig = (a: TopicConfig, b: TopicConfig): boolean => canonicalJson(a) === canonicalJson(b);

/**
 * Whether a record key takes part in compaction and can key an upsert: a string or a number
 * other than NaN, which is what IndexedDB accepts as a key. `null` never does.
 */
export const isStorableKey = (key: unknown): key is string | number =>
  typeof key === 'string' || (typeof key === 'number' && !Number.isNaN(key));

/** How `read` treats `max`: 0 or less reads nothing, fractions round down, Infinity reads all. */
export const readLimit = (max: number): number => (max > 0 ? Math.floor(max) : 0);

/**
 * The retention and compaction policy, applied by `compact()` to one partition's records
 * (ascending offsets); returns the records that stay. In order:
 * 1. compaction (compacted topics): of the records with a key, only the latest per key stays;
 *    null-key records are never compacted away;
 * 2. retention by time: the oldest records whose timestamp is more than `retentionMs` before
 *    the newest record's (the one with the highest offset) are deleted — a prefix, as Kafka
 *    moves its log start offset: an old record behind a younger one waits for it;
 * 3. retention by count: the oldest records are deleted until `retentionRecords` remain.
 */
export function retainedRecords<R extends Pick<LogRecord, 'key' | 'timestamp'>>(
  records: readonly R[],
  config: TopicConfig,
): R[] {
  if (records.length === 0) return [];
  let kept: readonly R[] = records;
  if (config.compacted) {
    const latest = new Map<string | number, number>();
    records.forEach((record, index) => {
      if (isStorableKey(record.key)) latest.set(record.key, index);
    });
    kept = records.filter((record, index) => !isStorableKey(record.key) || latest.get(record.key) === index);
  }
  const newest = records[records.length - 1].timestamp;
  let drop = 0;
  if (config.retentionMs !== undefined) {
    while (drop < kept.length && newest - kept[drop].timestamp > config.retentionMs) drop++;
  }
  if (config.retentionRecords !== undefined) drop = Math.max(drop, kept.length - config.retentionRecords);
  return kept.slice(drop);
}

/** Options of the in-memory store. */
