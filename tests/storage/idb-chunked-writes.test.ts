// Writes of many rows go to IndexedDB in chunks across tasks (idb-transaction.ts writeRows),
// still as one transaction: all of them land, in order, or none does.

import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { IdbDurableStore } from '../../src/storage/idb-store.ts';
import { WRITE_CHUNK } from '../../src/storage/idb-transaction.ts';

const rows = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ key: `k${from + i}`, value: { n: from + i }, timestamp: from + i }));

describe('chunked IndexedDB writes', () => {
  it('appends many chunks of records in one call, every offset dense and in order', async () => {
    const store = await IdbDurableStore.open('chunks', { indexedDB: new IDBFactory() });
    await store.createTopic('t', { partitions: 1 });
    const n = WRITE_CHUNK * 3 + 5;
    expect(await store.append('t', 0, rows(n))).toBe(0);
    expect(await store.append('t', 0, rows(2, n))).toBe(n);
    const read = await store.read('t', 0, 0, Number.POSITIVE_INFINITY);
    expect(read.map((r) => r.offset)).toEqual(Array.from({ length: n + 2 }, (_, i) => i));
    expect(read.map((r) => r.key)).toEqual(rows(n + 2).map((r) => r.key));
    expect(await store.endOffset('t', 0)).toBe(n + 2);
  });

  it('stages and commits a sink transaction of many chunks, then reads every row once in order', async () => {
    const store = await IdbDurableStore.open('chunks', { indexedDB: new IDBFactory() });
    const n = WRITE_CHUNK * 2 + 1;
    await store.sinkStage('s', 'tx1', rows(n));
    await store.sinkCommit('s', 'tx1');
    expect((await store.sinkRead('s')).map((r) => r.timestamp)).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('writes nothing when a row in a later chunk cannot be stored', async () => {
    const store = await IdbDurableStore.open('chunks', { indexedDB: new IDBFactory() });
    await store.createTopic('t', { partitions: 1 });
    const bad = rows(WRITE_CHUNK * 2);
    (bad[WRITE_CHUNK + 3] as { value: unknown }).value = () => 'a function cannot be cloned';
    await expect(store.append('t', 0, bad)).rejects.toMatchObject({ name: 'DataCloneError' });
    expect(await store.endOffset('t', 0)).toBe(0);
    expect(await store.read('t', 0, 0, 10)).toEqual([]);
  });
});
