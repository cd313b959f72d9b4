// The IndexedDB schema of Brook's durable store, its versioned upgrade, and opening it on any
// IDBFactory (the browser's, or fake-indexeddb's in Node tests).
//
// Invariant: the schema only ever grows by version. `upgrade` runs the steps from the stored
// version up to DB_VERSION, each guarded by `oldVersion < n`, so a database written by an older
// Brook opens in a newer one and keeps its checkpoints, topics and sink stores.

import { wrap, type DBSchema, type IDBPDatabase } from 'idb';
import type { CheckpointManifest, SinkWrite, TopicConfig } from '../engine/checkpoint/durable-store.ts';
import type { ChunkData } from '../engine/checkpoint/part-data.ts';
import { storageFailure } from '../engine/checkpoint/store-rules.ts';

/** The schema version this code writes. Bump it and add a step to `upgrade` to change stores. */
export const DB_VERSION = 2;

/** One part of a checkpoint, or one chunk of a part written in chunks (text, or a binary chunk), as stored. */
export interface PartRow {
  readonly jobId: string;
  readonly checkpointId: number;
  readonly name: string;
  readonly data: ChunkData;
}
export interface TopicRow {
  readonly name: string;
  readonly config: TopicConfig;
}
/** The offset the next record appended to a partition gets; no row means 0. */
export interface EndOffsetRow {
  readonly topic: string;
  readonly partition: number;
  readonly end: number;
}
/** Compaction's progress: records below `cleanedTo` hold at most one record per key (Kafka's cleaner checkpoint). */
export interface CleanedOffsetRow {
  readonly topic: string;
  readonly partition: number;
  readonly cleanedTo: number;
}
export interface RecordRow {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string | number | null;
  readonly value: unknown;
  readonly timestamp: number;
}
/**
 * Visible sink records, appended or moved here by a commit together, in sequence order per sink:
 * `records[i]` has sequence number `seq + i`. One row per append or commit, not per record: each
 * IndexedDB request is a round trip to the browser's storage process.
 */
export interface SinkLogRow {
  readonly sink: string;
  readonly seq: number;
  readonly records: readonly SinkWrite[];
}
/** An upserted sink record; `order` is when its key was first written, for reading in order. */
export interface SinkTableRow {
  readonly sink: string;
  readonly key: string | number;
  readonly order: number;
  readonly value: unknown;
  readonly timestamp: number;
}
/** Records staged in a sink transaction by one call, invisible until committed; `seq` numbers the calls. */
export interface SinkStagedRow {
  readonly sink: string;
  readonly transaction: string;
  readonly seq: number;
  readonly records: readonly SinkWrite[];
}

/** The object stores, their keys and indexes (see README.md for the why of each). */
export interface BrookSchema extends DBSchema {
  checkpointParts: { key: [string, number, string]; value: PartRow };
  manifests: { key: [string, number]; value: CheckpointManifest };
  topics: { key: string; value: TopicRow };
  endOffsets: { key: [string, number]; value: EndOffsetRow };
  cleanedOffsets: { key: [string, number]; value: CleanedOffsetRow };
  /** `byKey` indexes records with a key (a null key is not a valid index key): compaction looks keys up in it. */
  records: { key: [string, number, number]; value: RecordRow; indexes: { byKey: [string, number, string | number] } };
  sinkLog: { key: [string, number]; value: SinkLogRow };
  sinkTable: { key: [string, string | number]; value: SinkTableRow; indexes: { byOrder: [string, number] } };
  sinkStaged: { key: [string, string, number]; value: SinkStagedRow };
}

export type BrookDb = IDBPDatabase<BrookSchema>;

function upgrade(db: BrookDb, oldVersion: number, tx: IDBTransaction): void {
  if (oldVersion < 1) {
    db.createObjectStore('checkpointParts', { keyPath: ['jobId', 'checkpointId', 'name'] });
    db.createObjectStore('manifests', { keyPath: ['jobId', 'checkpointId'] });
    db.createObjectStore('topics', { keyPath: 'name' });
    db.createObjectStore('endOffsets', { keyPath: ['topic', 'partition'] });
    db.createObjectStore('cleanedOffsets', { keyPath: ['topic', 'partition'] });
    const records = db.createObjectStore('records', { keyPath: ['topic', 'partition', 'offset'] });
    records.createIndex('byKey', ['topic', 'partition', 'key']);
    db.createObjectStore('sinkLog', { keyPath: ['sink', 'seq'] });
    const table = db.createObjectStore('sinkTable', { keyPath: ['sink', 'key'] });
    table.createIndex('byOrder', ['sink', 'order']);
    db.createObjectStore('sinkStaged', { keyPath: ['sink', 'transaction', 'seq'] });
  }
  // Version 1 kept a row per sink record; each becomes a row of one record, under the same key.
  if (oldVersion >= 1 && oldVersion < 2) {
    for (const name of ['sinkLog', 'sinkStaged'] as const) rowsToBatches(tx.objectStore(name));
  }
}

/** Rewrites every version-1 row of a sink store (a record's fields) as a batch of that one record. */
function rowsToBatches(store: IDBObjectStore): void {
  const request = store.openCursor();
  request.onsuccess = () => {
    const cursor = request.result;
    if (!cursor) return;
    const row = cursor.value as SinkWrite & { readonly sink: string; readonly seq: number; readonly transaction?: string };
    const place = { sink: row.sink, seq: row.seq, ...(row.transaction !== undefined && { transaction: row.transaction }) };
    cursor.update({ ...place, records: [sinkWriteOf(row)] });
    cursor.continue();
  };
}

/**
 * The fields of a sink write, and only those: rows moved between stores (staged → log, a
 * version-1 row into a batch) carry storage fields of their own (sink, seq, transaction) that must
 * not leak into the record.
 */
export function sinkWriteOf(r: SinkWrite): SinkWrite {
  const w: { -readonly [K in keyof SinkWrite]: SinkWrite[K] } = { key: r.key, value: r.value, timestamp: r.timestamp };
  if (r.window !== undefined) w.window = r.window;
  if (r.pane !== undefined) w.pane = r.pane;
  if (r.retraction !== undefined) w.retraction = r.retraction;
  return w;
}

/**
 * Opens (creating or upgrading) the database `name` on `factory`. The connection closes itself
 * when another one asks for a newer version, so an upgrade in another tab is never blocked.
 * `factory` must come from the same IndexedDB implementation as the global `IDBDatabase` and
 * friends, because `idb` recognises objects by those classes (in Node: `fake-indexeddb/auto`,
 * then any `new IDBFactory()` from `fake-indexeddb`).
 */
export async function openBrookDb(name: string, factory: IDBFactory): Promise<BrookDb> {
  try {
    const request = factory.open(name, DB_VERSION);
    request.addEventListener('upgradeneeded', (event) => {
      upgrade(wrap(request.result) as unknown as BrookDb, event.oldVersion, request.transaction!);
    });
    const db = (await wrap(request)) as unknown as BrookDb;
    db.addEventListener('versionchange', () => db.close());
    return db;
  } catch (error) {
    throw storageFailure('open', `IndexedDB database "${name}"`, error);
  }
}

/**
 * The key range of every key that starts with `prefix` (and is longer): arrays sort after
 * numbers and strings, so `[...prefix, []]` is above every key of ours with that prefix.
 */
export function withPrefix(prefix: readonly IDBValidKey[]): IDBKeyRange {
  return IDBKeyRange.bound([...prefix], [...prefix, []]);
}

/** Keys that start with `prefix` and continue with a number from `from` on. */
export function fromNumber(prefix: readonly IDBValidKey[], from: number): IDBKeyRange {
  return IDBKeyRange.bound([...prefix, from], [...prefix, []]);
}
