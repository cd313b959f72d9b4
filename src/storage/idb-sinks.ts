// The sinks' external store on IndexedDB: the visible log (`sinkLog`, [sink, seq], a row per
// append or commit holding its records), the upsert table (`sinkTable`, [sink, key], with
// `byOrder` for reading in first-insertion order), and staged two-phase-commit transactions
// (`sinkStaged`, [sink, transaction, seq], a row per staging call).
//
// Invariants: a reader sees the log in sequence order, then the table; staged records are never
// visible; a commit moves a transaction's records to the end of the log and deletes them from
// the staging store in one transaction, so after a crash a transaction is either wholly staged
// or wholly visible. Committing or aborting a transaction that is not staged (already committed,
// say, when a restore re-commits what the checkpoint pre-committed) does nothing.

import type { SinkWrite } from '../engine/checkpoint/durable-store.ts';
import { isStorableKey, sinkSubject } from '../engine/checkpoint/store-rules.ts';
import { sinkWriteOf, withPrefix, type BrookDb, type BrookSchema } from './idb-schema.ts';
import { deleteKeys, fail, inTransaction, writeRows, type WritableStore } from './idb-transaction.ts';

/** The sequence number the next record appended to a sink's log gets. */
async function nextLogSeq(log: WritableStore<'sinkLog'>, sink: string): Promise<number> {
  const last = await log.openCursor(withPrefix([sink]), 'prev');
  return last ? last.value.seq + last.value.records.length : 0;
}

/** Appends `records` to the end of the sink's log as one row (one request, whatever their number). */
async function appendToLog(log: WritableStore<'sinkLog'>, sink: string, records: readonly SinkWrite[]): Promise<void> {
  if (records.length === 0) return;
  const seq = await nextLogSeq(log, sink);
  writeRows(log, 'add', [{ sink, seq, records: records.map(sinkWriteOf) }]);
}

export function sinkAppend(db: BrookDb, sink: string, records: readonly SinkWrite[]): Promise<void> {
  const operation = { method: 'sinkAppend', subject: sinkSubject(sink) } as const;
  return inTransaction(db, ['sinkLog'], 'readwrite', operation, (tx) => appendToLog(tx.objectStore('sinkLog'), sink, records));
}

export async function sinkUpsert(db: BrookDb, sink: string, records: readonly SinkWrite[]): Promise<void> {
  const operation = { method: 'sinkUpsert', subject: sinkSubject(sink) } as const;
  if (!records.every((r) => isStorableKey(r.key))) {
    fail(operation, 'DataError', 'an upserted record needs a string or number key');
  }
  await inTransaction(db, ['sinkTable'], 'readwrite', operation, async (tx) => {
    const table = tx.objectStore('sinkTable');
    const last = await table.index('byOrder').openKeyCursor(withPrefix([sink]), 'prev');
    let nextOrder = last ? last.key[1] + 1 : 0;
    const existing = await Promise.all(records.map((r) => table.get([sink, r.key as string | number])));
    // A key written twice in one call keeps the order it first had, and its last value.
    const rows = new Map<string | number, BrookSchema['sinkTable']['value']>();
    records.forEach((r, i) => {
      const key = r.key as string | number;
      const order = rows.get(key)?.order ?? existing[i]?.order ?? nextOrder++;
      rows.set(key, { sink, order, ...sinkWriteOf(r), key });
    });
    writeRows(table, 'put', [...rows.values()]);
  });
}

export function sinkStage(db: BrookDb, sink: string, transaction: string, records: readonly SinkWrite[]): Promise<void> {
  const operation = { method: 'sinkStage', subject: sinkSubject(sink, transaction) } as const;
  return inTransaction(db, ['sinkStaged'], 'readwrite', operation, async (tx) => {
    if (records.length === 0) return;
    const staged = tx.objectStore('sinkStaged');
    const last = await staged.openKeyCursor(withPrefix([sink, transaction]), 'prev');
    const seq = last ? last.key[2] + 1 : 0;
    writeRows(staged, 'add', [{ sink, transaction, seq, records: records.map(sinkWriteOf) }]);
  });
}

export function sinkCommit(db: BrookDb, sink: string, transaction: string): Promise<void> {
  const operation = { method: 'sinkCommit', subject: sinkSubject(sink, transaction) } as const;
  return inTransaction(db, ['sinkStaged', 'sinkLog'], 'readwrite', operation, async (tx) => {
    const staged = tx.objectStore('sinkStaged');
    const range = withPrefix([sink, transaction]);
    const rows = await staged.getAll(range);
    if (rows.length === 0) return;
    await appendToLog(tx.objectStore('sinkLog'), sink, rows.flatMap((row) => row.records));
    deleteKeys(staged, [range]);
  });
}

export function sinkAbort(db: BrookDb, sink: string, transaction: string): Promise<void> {
  const operation = { method: 'sinkAbort', subject: sinkSubject(sink, transaction) } as const;
  return inTransaction(db, ['sinkStaged'], 'readwrite', operation, async (tx) => {
    deleteKeys(tx.objectStore('sinkStaged'), [withPrefix([sink, transaction])]);
  });
}

export function sinkRead(db: BrookDb, sink: string): Promise<SinkWrite[]> {
  const operation = { method: 'sinkRead', subject: sinkSubject(sink) } as const;
  return inTransaction(db, ['sinkLog', 'sinkTable'], 'readonly', operation, async (tx) => {
    const [log, table] = await Promise.all([
      tx.objectStore('sinkLog').getAll(withPrefix([sink])),
      tx.objectStore('sinkTable').index('byOrder').getAll(withPrefix([sink])),
    ]);
    return [...log.flatMap((row) => row.records), ...table].map(sinkWriteOf);
  });
}
