// The sinks' rows on IndexedDB: what a staging call and a commit cost in rows (each IndexedDB
// request is a round trip to the browser's storage process, so a commit of a transaction of a
// thousand records must not be thousands of requests), and a version-1 database, which kept a
// row per record, read the same after the upgrade.

import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { SinkWrite } from '../../src/engine/checkpoint/durable-store.ts';
import { IdbDurableStore } from '../../src/storage/idb-store.ts';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/** Every row of `stores`, read straight from the database (no Brook code). */
async function rows(factory: IDBFactory, ...stores: string[]): Promise<Record<string, unknown[]>> {
  const db = await request(factory.open('brook'));
  const tx = db.transaction(stores, 'readonly');
  const out = Object.fromEntries(await Promise.all(stores.map(async (s) => [s, await request(tx.objectStore(s).getAll())] as const)));
  db.close();
  return out;
}

const record = (n: number): SinkWrite => ({ key: `k${n % 7}`, value: n, timestamp: n * 10, window: { start: 0, end: 1000 }, pane: { index: 0, onTimeIndex: 0, timing: 'ON_TIME', isFirst: true, isLast: true } });

describe('IdbDurableStore sink rows', () => {
  it('a transaction of 1,000 records staged in two calls is two staged rows, and one log row once committed', async () => {
    const factory = new IDBFactory();
    const store = await IdbDurableStore.open('brook', { indexedDB: factory });
    const all = Array.from({ length: 1000 }, (_, i) => record(i));
    await store.sinkStage('out', 'tx-1', all.slice(0, 600));
    await store.sinkStage('out', 'tx-1', all.slice(600));
    expect((await rows(factory, 'sinkStaged')).sinkStaged).toHaveLength(2);
    await store.sinkCommit('out', 'tx-1');
    const after = await rows(factory, 'sinkStaged', 'sinkLog');
    expect(after.sinkStaged).toEqual([]);
    expect(after.sinkLog).toEqual([{ sink: 'out', seq: 0, records: all }]);
    expect(await store.sinkRead('out')).toEqual(all);
    store.close();
  });

  it('appends and commits continue the sequence after the last row, whatever its length', async () => {
    const factory = new IDBFactory();
    const store = await IdbDurableStore.open('brook', { indexedDB: factory });
    await store.sinkAppend('out', [record(1), record(2), record(3)]);
    await store.sinkStage('out', 'tx', [record(4)]);
    await store.sinkCommit('out', 'tx');
    await store.sinkAppend('out', [record(5), record(6)]);
    const { sinkLog } = await rows(factory, 'sinkLog');
    expect(sinkLog.map((r) => [(r as { seq: number }).seq, (r as { records: SinkWrite[] }).records.map((w) => w.value)])).toEqual([
      [0, [1, 2, 3]],
      [3, [4]],
      [4, [5, 6]],
    ]);
    expect((await store.sinkRead('out')).map((w) => w.value)).toEqual([1, 2, 3, 4, 5, 6]);
    store.close();
  });

  it("a version-1 database's row-per-record log and staged transaction read the same after the upgrade, and commit after it", async () => {
    const factory = new IDBFactory();
    // Version 1's sink stores, as Brook created and filled them.
    const open = factory.open('brook', 1);
    open.onupgradeneeded = () => {
      const db = open.result;
      db.createObjectStore('sinkLog', { keyPath: ['sink', 'seq'] });
      db.createObjectStore('sinkTable', { keyPath: ['sink', 'key'] }).createIndex('byOrder', ['sink', 'order']);
      db.createObjectStore('sinkStaged', { keyPath: ['sink', 'transaction', 'seq'] });
      for (const name of ['checkpointParts', 'manifests', 'topics', 'endOffsets', 'cleanedOffsets']) db.createObjectStore(name);
      db.createObjectStore('records', { keyPath: ['topic', 'partition', 'offset'] }).createIndex('byKey', ['topic', 'partition', 'key']);
    };
    const v1 = await request(open);
    const tx = v1.transaction(['sinkLog', 'sinkStaged'], 'readwrite');
    [record(0), record(1), { key: null, value: 'plain', timestamp: 20 }].forEach((r, seq) => tx.objectStore('sinkLog').add({ sink: 'out', seq, ...r }));
    tx.objectStore('sinkLog').add({ sink: 'other', seq: 0, key: 'x', value: 'elsewhere', timestamp: 0 });
    [record(3), { ...record(4), retraction: true as const }].forEach((r, seq) => tx.objectStore('sinkStaged').add({ sink: 'out', transaction: 'tx-9', seq, ...r }));
    await new Promise((resolve) => (tx.oncomplete = resolve));
    v1.close();

    const store = await IdbDurableStore.open('brook', { indexedDB: factory });
    expect(await store.sinkRead('out')).toEqual([record(0), record(1), { key: null, value: 'plain', timestamp: 20 }]);
    expect(await store.sinkRead('other')).toEqual([{ key: 'x', value: 'elsewhere', timestamp: 0 }]);
    await store.sinkCommit('out', 'tx-9');
    await store.sinkAppend('out', [record(5)]);
    expect((await store.sinkRead('out')).map((w) => [w.value, w.retraction ?? false])).toEqual([
      [0, false],
      [1, false],
      ['plain', false],
      [3, false],
      [4, true],
      [5, false],
    ]);
    store.close();
  });
});
