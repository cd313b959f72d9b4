// The IndexedDB DurableStore on fake-indexeddb: the shared contract (each test on a fresh
// IDBFactory, so an empty world), its schema, and what makes it durable: everything survives
// dropping the store object and opening a new one on the same database, as after a crash.

import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { IdbDurableStore } from '../../src/storage/idb-store.ts';
import { DB_VERSION } from '../../src/storage/idb-schema.ts';
import { durableStoreContract, writeCheckpoint } from '../engine/checkpoint/durable-store-contract.ts';

durableStoreContract('IdbDurableStore', () => IdbDurableStore.open('brook-contract', { indexedDB: new IDBFactory() }));

describe('IdbDurableStore schema', () => {
  it('creates every object store with its key path and indexes', async () => {
    const factory = new IDBFactory();
    (await IdbDurableStore.open('brook', { indexedDB: factory })).close();
    const request = factory.open('brook');
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    expect(db.version).toBe(DB_VERSION);
    const tx = db.transaction([...db.objectStoreNames], 'readonly');
    const shape = Object.fromEntries(
      [...db.objectStoreNames].map((name) => {
        const store = tx.objectStore(name);
        const indexes = [...store.indexNames].map((index) => [index, store.index(index).keyPath]);
        return [name, { keyPath: store.keyPath, indexes: Object.fromEntries(indexes) }];
      }),
    );
    expect(shape).toEqual({
      checkpointParts: { keyPath: ['jobId', 'checkpointId', 'name'], indexes: {} },
      cleanedOffsets: { keyPath: ['topic', 'partition'], indexes: {} },
      endOffsets: { keyPath: ['topic', 'partition'], indexes: {} },
      manifests: { keyPath: ['jobId', 'checkpointId'], indexes: {} },
      records: { keyPath: ['topic', 'partition', 'offset'], indexes: { byKey: ['topic', 'partition', 'key'] } },
      sinkLog: { keyPath: ['sink', 'seq'], indexes: {} },
      sinkStaged: { keyPath: ['sink', 'transaction', 'seq'], indexes: {} },
      sinkTable: { keyPath: ['sink', 'key'], indexes: { byOrder: ['sink', 'order'] } },
      topics: { keyPath: 'name', indexes: {} },
    });
    db.close();
  });
});

describe('IdbDurableStore durability', () => {
  async function fill(store: IdbDurableStore) {
    await writeCheckpoint(store, 'job', 1, { a: 'state one' });
    await writeCheckpoint(store, 'job', 2, { a: 'state two', b: '{}' });
    await store.writeCheckpointPart('job', 3, 'a', 'torn');
    await store.createTopic('orders', { partitions: 2, compacted: true });
    await store.append('orders', 1, [
      { key: 'x', value: 1, timestamp: 10 },
      { key: 'y', value: 2, timestamp: 20 },
    ]);
    await store.sinkAppend('out', [{ key: 'x', value: 'appended', timestamp: 1 }]);
    await store.sinkStage('out', 'tx-3', [{ key: 'x', value: 'staged', timestamp: 2 }]);
    await store.sinkUpsert('table', [{ key: 'x', value: 'upserted', timestamp: 3 }]);
  }

  async function expectFilled(store: IdbDurableStore) {
    expect((await store.listCheckpoints('job')).map((m) => m.checkpointId)).toEqual([2, 1]);
    expect(await store.readCheckpointPart('job', 2, 'a')).toBe('state two');
    expect(await store.topicConfig('orders')).toEqual({ partitions: 2, compacted: true });
    expect(await store.endOffset('orders', 1)).toBe(2);
    expect((await store.read('orders', 1, 0, 10)).map((r) => r.value)).toEqual([1, 2]);
    expect(await store.sinkRead('out')).toEqual([{ key: 'x', value: 'appended', timestamp: 1 }]);
    expect(await store.sinkRead('table')).toEqual([{ key: 'x', value: 'upserted', timestamp: 3 }]);
  }

  it('keeps everything when the store object is dropped without closing (a crash) and reopened', async () => {
    const factory = new IDBFactory();
    await fill(await IdbDurableStore.open('brook', { indexedDB: factory }));
    const reopened = await IdbDurableStore.open('brook', { indexedDB: factory });
    await expectFilled(reopened);
    // The new incarnation carries on where the old one stopped.
    expect(await reopened.append('orders', 1, [{ key: 'x', value: 3, timestamp: 30 }])).toBe(2);
    await reopened.sinkCommit('out', 'tx-3');
    expect((await reopened.sinkRead('out')).map((r) => r.value)).toEqual(['appended', 'staged']);
  });

  it('keeps everything across close and reopen; a closed store rejects calls, naming them', async () => {
    const factory = new IDBFactory();
    const store = await IdbDurableStore.open('brook', { indexedDB: factory });
    await fill(store);
    store.close();
    await expect(store.endOffset('orders', 0)).rejects.toMatchObject({
      name: 'InvalidStateError',
      message: expect.stringContaining('endOffset on topic "orders" partition 0 failed'),
    });
    await expectFilled(await IdbDurableStore.open('brook', { indexedDB: factory }));
  });

  it('keeps databases of different names apart', async () => {
    const factory = new IDBFactory();
    await fill(await IdbDurableStore.open('one', { indexedDB: factory }));
    const other = await IdbDurableStore.open('two', { indexedDB: factory });
    expect(await other.listCheckpoints('job')).toEqual([]);
    expect(await other.topicConfig('orders')).toBeUndefined();
    expect(other.name).toBe('two');
  });

  it('closes itself when another connection upgrades the database, so the upgrade is not blocked', async () => {
    const factory = new IDBFactory();
    const store = await IdbDurableStore.open('brook', { indexedDB: factory });
    const request = factory.open('brook', DB_VERSION + 1);
    const outcome = await new Promise<string>((resolve) => {
      request.onblocked = () => resolve('blocked');
      request.onsuccess = () => {
        request.result.close();
        resolve('opened');
      };
      request.onerror = () => resolve('error');
    });
    expect(outcome).toBe('opened');
    await expect(store.listCheckpoints('job')).rejects.toMatchObject({ name: 'InvalidStateError' });
  });
});
