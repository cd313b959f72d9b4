// Log topics on IndexedDB: configs in `topics`, each partition's next offset in `endOffsets`,
// records in `records` keyed [topic, partition, offset].
//
// Invariants: offsets are dense and never reused — `append` reads the end offset and writes the
// records and the new end in one readwrite transaction, which IndexedDB serialises against every
// other append, so concurrent appends cannot interleave; records are `add`ed, so an offset that
// somehow exists already aborts the append instead of overwriting. Deleting records (retention,
// compaction: idb-compaction.ts) never moves the end offset. One call is one transaction however
// many records it writes (STACK-NOTES: IndexedDB's cost is per transaction).

import type { LogRecord, TopicConfig } from '../engine/checkpoint/durable-store.ts';
import {
  readLimit,
  sameTopicConfig,
  topicConfigProblem,
  topicSubject,
  type StoreMethod,
} from '../engine/checkpoint/store-rules.ts';
import { fromNumber, type BrookDb, type TopicRow } from './idb-schema.ts';
import { fail, inTransaction, writeRows, type Operation } from './idb-transaction.ts';

/** Largest count IndexedDB's getAll takes (an unsigned long); above it, read everything. */
const MAX_COUNT = 2 ** 32 - 1;

export const operationOn = (method: StoreMethod, topic: string, partition?: number): Operation => ({
  method,
  subject: topicSubject(topic, partition),
});

/** The topic's config, or a NotFoundError if the topic or the partition does not exist. */
export async function requirePartition(
  topics: { get(name: string): Promise<TopicRow | undefined> },
  operation: Operation,
  topic: string,
  partition?: number,
): Promise<TopicConfig> {
  const row = await topics.get(topic);
  if (!row) return fail(operation, 'NotFoundError', 'no such topic');
  const { partitions } = row.config;
  if (partition !== undefined && !(Number.isInteger(partition) && partition >= 0 && partition < partitions)) {
    return fail(operation, 'NotFoundError', `the topic has partitions 0..${partitions - 1}`);
  }
  return row.config;
}

export async function createTopic(db: BrookDb, name: string, config: TopicConfig): Promise<void> {
  const operation = operationOn('createTopic', name);
  const problem = topicConfigProblem(config);
  if (problem) fail(operation, 'DataError', problem);
  await inTransaction(db, ['topics'], 'readwrite', operation, async (tx) => {
    const store = tx.objectStore('topics');
    const existing = await store.get(name);
    if (existing && !sameTopicConfig(existing.config, config)) {
      fail(operation, 'ConstraintError', 'the topic exists with a different config');
    }
    if (!existing) writeRows(store, 'put', [{ name, config }]);
  });
}

export function topicConfig(db: BrookDb, name: string): Promise<TopicConfig | undefined> {
  return inTransaction(db, ['topics'], 'readonly', operationOn('topicConfig', name), async (tx) => {
    return (await tx.objectStore('topics').get(name))?.config;
  });
}

export function append(
  db: BrookDb,
  topic: string,
  partition: number,
  records: readonly Omit<LogRecord, 'offset'>[],
): Promise<number> {
  const operation = operationOn('append', topic, partition);
  return inTransaction(db, ['topics', 'endOffsets', 'records'], 'readwrite', operation, async (tx) => {
    await requirePartition(tx.objectStore('topics'), operation, topic, partition);
    const ends = tx.objectStore('endOffsets');
    const first = (await ends.get([topic, partition]))?.end ?? 0;
    if (records.length === 0) return first;
    const rows = records.map((r, i) => ({ topic, partition, offset: first + i, key: r.key, value: r.value, timestamp: r.timestamp }));
    writeRows(tx.objectStore('records'), 'add', rows);
    writeRows(ends, 'put', [{ topic, partition, end: first + records.length }]);
    return first;
  });
}

export function read(db: BrookDb, topic: string, partition: number, fromOffset: number, max: number): Promise<LogRecord[]> {
  const operation = operationOn('read', topic, partition);
  const limit = readLimit(max);
  return inTransaction(db, ['topics', 'records'], 'readonly', operation, async (tx) => {
    await requirePartition(tx.objectStore('topics'), operation, topic, partition);
    if (Number.isNaN(fromOffset)) fail(operation, 'DataError', 'fromOffset is NaN');
    if (limit === 0) return [];
    const range = fromNumber([topic, partition], fromOffset);
    const rows = await tx.objectStore('records').getAll(range, limit > MAX_COUNT ? undefined : limit);
    return rows.map(({ offset, key, value, timestamp }) => ({ offset, key, value, timestamp }));
  });
}

export function endOffset(db: BrookDb, topic: string, partition: number): Promise<number> {
  const operation = operationOn('endOffset', topic, partition);
  return inTransaction(db, ['topics', 'endOffsets'], 'readonly', operation, async (tx) => {
    await requirePartition(tx.objectStore('topics'), operation, topic, partition);
    return (await tx.objectStore('endOffsets').get([topic, partition]))?.end ?? 0;
  });
}
