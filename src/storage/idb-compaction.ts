// Retention and log compaction on IndexedDB: `compact(topic)` applies `retainedRecords`'s rules
// (memory-store.ts) to every partition in one transaction, without walking cursors (each step
// of a cursor is a round trip in a browser, and quadratic in fake-indexeddb): bulk reads, index
// look-ups and range deletes only.
//
// Invariant: the records below a partition's `cleanedTo` (store `cleanedOffsets`) hold at most
// one record per key, as Kafka's cleaner checkpoint says, so compaction reads only the records
// appended since ("dirty"): for each key among them, the `byKey` index lists that key's offsets,
// and all but the newest go. Retention then deletes a prefix of what is left: the records older
// than `retentionMs` before the newest, read in chunks from the oldest until one is kept, and
// the oldest beyond `retentionRecords`. Nothing here moves an end offset.

import type { TopicConfig } from '../engine/checkpoint/durable-store.ts';
import { isStorableKey } from '../engine/checkpoint/store-rules.ts';
import { fromNumber, withPrefix, type BrookDb } from './idb-schema.ts';
import { deleteKeys, inTransaction, writeRows, type WritableStore } from './idb-transaction.ts';
import { operationOn, requirePartition } from './idb-topics.ts';

/** Records read at a time while looking for the end of the expired prefix. */
const CHUNK = 256;

type RecordKey = [string, number, number];

/** Applies compaction and retention to every partition of the topic, in one transaction. */
export function compact(db: BrookDb, topic: string): Promise<void> {
  const operation = operationOn('compact', topic);
  return inTransaction(db, ['topics', 'records', 'cleanedOffsets'], 'readwrite', operation, async (tx) => {
    const config = await requirePartition(tx.objectStore('topics'), operation, topic);
    if (!config.compacted && config.retentionMs === undefined && config.retentionRecords === undefined) return;
    const records = tx.objectStore('records');
    for (let partition = 0; partition < config.partitions; partition++) {
      const last = await records.openCursor(withPrefix([topic, partition]), 'prev');
      if (!last) continue;
      // The newest record is read before anything is deleted; compaction never deletes it.
      if (config.compacted) {
        await compactKeys(records, tx.objectStore('cleanedOffsets'), topic, partition, last.value.offset + 1);
      }
      await applyRetention(records, topic, partition, last.value.timestamp, config);
    }
  });
}

/** Deletes every keyed record that a newer record with the same key supersedes. */
async function compactKeys(
  records: WritableStore<'records'>,
  cleaned: WritableStore<'cleanedOffsets'>,
  topic: string,
  partition: number,
  end: number,
): Promise<void> {
  const from = (await cleaned.get([topic, partition]))?.cleanedTo ?? 0;
  const dirty = await records.getAll(fromNumber([topic, partition], from));
  const latest = new Map<string | number, number>();
  for (const record of dirty) if (isStorableKey(record.key)) latest.set(record.key, record.offset);
  const byKey = records.index('byKey');
  const entries = [...latest];
  const offsetsOfKey = await Promise.all(entries.map(([key]) => byKey.getAllKeys(IDBKeyRange.only([topic, partition, key]))));
  const superseded: RecordKey[] = [];
  entries.forEach(([, newest], i) => {
    for (const primary of offsetsOfKey[i]) if (primary[2] < newest) superseded.push(primary);
  });
  deleteKeys(records, superseded);
  writeRows(cleaned, 'put', [{ topic, partition, cleanedTo: end }]);
}

/** Deletes the expired prefix and the oldest records beyond the count, of what compaction left. */
async function applyRetention(
  records: WritableStore<'records'>,
  topic: string,
  partition: number,
  newest: number,
  config: TopicConfig,
): Promise<void> {
  const { retentionMs, retentionRecords } = config;
  // Requests run in order within the transaction, so these reads see compaction's deletes.
  let drop = 0;
  if (retentionMs !== undefined) {
    let from = Number.NEGATIVE_INFINITY;
    for (;;) {
      const chunk = await records.getAll(fromNumber([topic, partition], from), CHUNK);
      const kept = chunk.findIndex((record) => newest - record.timestamp <= retentionMs);
      drop += kept >= 0 ? kept : chunk.length;
      if (kept >= 0 || chunk.length < CHUNK) break;
      from = chunk[chunk.length - 1].offset + 1;
    }
  }
  if (retentionRecords !== undefined) {
    drop = Math.max(drop, (await records.count(withPrefix([topic, partition]))) - retentionRecords);
  }
  if (drop <= 0) return;
  const doomed = await records.getAllKeys(withPrefix([topic, partition]), drop);
  deleteKeys(records, [IDBKeyRange.bound([topic, partition], doomed[doomed.length - 1])]);
}
