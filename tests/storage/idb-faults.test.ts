// The IndexedDB store when things go wrong: a full disk while writing a checkpoint part or a
// manifest, a transaction aborted in the middle of an append or a commit, a value IndexedDB
// cannot store, and data damaged at rest. In every case the call rejects with the original
// error name and what it failed on, nothing of it is written, and the last complete checkpoint
// stays the one a restore would use.
//
// Faults are injected by patching fake-indexeddb's object store methods for one call: either
// throwing at once (as a browser does for a DataError), or aborting the transaction with
// QuotaExceededError after the request was made (as Chromium reports a full disk: the requests
// fail with AbortError and the transaction's error is the QuotaExceededError).

import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IdbDurableStore } from '../../src/storage/idb-store.ts';
import { expectRejection, writeCheckpoint, writeChunked } from '../engine/checkpoint/durable-store-contract.ts';
import { persistSnapshot } from '../../src/engine/checkpoint/store-io.ts';
import { jobWithKeyedState } from '../../src/cli/bench/snapshot-job.ts';

type WriteMethod = 'put' | 'add' | 'delete';
type Hook = (store: IDBObjectStore, call: number) => void;

let restore: (() => void)[] = [];
afterEach(() => {
  for (const undo of restore.reverse()) undo();
  restore = [];
});

/** Calls `before` ahead of and `after` behind every `method` call on the object store `storeName`. */
function patch(method: WriteMethod, storeName: string, hooks: { before?: Hook; after?: Hook }): void {
  const proto = IDBObjectStore.prototype as unknown as Record<WriteMethod, (...args: unknown[]) => IDBRequest>;
  const original = proto[method];
  let calls = 0;
  proto[method] = function (this: IDBObjectStore, ...args: unknown[]) {
    if (this.name !== storeName) return original.apply(this, args);
    calls++;
    hooks.before?.(this, calls);
    const request = original.apply(this, args);
    hooks.after?.(this, calls);
    return request;
  };
  restore.push(() => {
    proto[method] = original;
  });
}

const quotaThrown = (nth: number): Hook => (_store, call) => {
  if (call === nth) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
};
/** Aborts the transaction as IndexedDB does on a full disk (fake-indexeddb's internal abort). */
const quotaAbort = (nth: number): Hook => (store, call) => {
  if (call === nth) (store.transaction as unknown as { _abort(name: string): void })._abort('QuotaExceededError');
};
const abortAt = (nth: number): Hook => (store, call) => {
  if (call === nth) store.transaction.abort();
};

describe('IdbDurableStore faults', () => {
  let store: IdbDurableStore;
  beforeEach(async () => {
    store = await IdbDurableStore.open('brook', { indexedDB: new IDBFactory() });
    await writeCheckpoint(store, 'job', 1, { a: 'one', b: 'one' });
    await store.createTopic('t', { partitions: 1 });
    await store.append('t', 0, [{ key: 'k', value: 0, timestamp: 0 }]);
  });
  afterEach(() => store.close());

  const listed = async () => (await store.listCheckpoints('job')).map((m) => m.checkpointId);

  it('a QuotaExceededError thrown by a part write rejects it, naming the part, and checkpoint 1 stays the latest', async () => {
    patch('put', 'checkpointParts', { before: quotaThrown(2) });
    await expectRejection(writeCheckpoint(store, 'job', 2, { a: 'two', b: 'two' }), 'QuotaExceededError', 'writeCheckpointPart', 'part "b" of checkpoint 2 of job "job"');
    expect(await listed()).toEqual([1]);
    expect(await store.readCheckpointPart('job', 1, 'b')).toBe('one');
    await expectRejection(store.readCheckpointPart('job', 2, 'b'), 'NotFoundError');
  });

  it('a transaction aborted with QuotaExceededError (as Chromium reports it) keeps that name', async () => {
    patch('put', 'checkpointParts', { after: quotaAbort(1) });
    await expectRejection(store.writeCheckpointPart('job', 2, 'a', 'two'), 'QuotaExceededError', 'part "a" of checkpoint 2');
    await expectRejection(store.readCheckpointPart('job', 2, 'a'), 'NotFoundError');
    expect(await listed()).toEqual([1]);
  });

  it('a failed manifest write leaves the checkpoint torn, so the previous one is restored', async () => {
    patch('put', 'manifests', { after: quotaAbort(1) });
    await expectRejection(writeCheckpoint(store, 'job', 2, { a: 'two' }), 'QuotaExceededError', 'writeCheckpointManifest', 'checkpoint 2 of job "job"');
    expect(await listed()).toEqual([1]);
  });

  it('a full disk in the middle of a checkpoint written chunk by chunk fails it with QuotaExceededError and stores none of its chunks', async () => {
    // The third chunk put of checkpoint 2's large part: its transaction aborts (Chromium's report of a full disk).
    patch('put', 'checkpointParts', { after: quotaAbort(3) });
    await expectRejection(persistSnapshot(store, 'job', jobWithKeyedState(30_000, 1).snapshotDeferred(2)), 'QuotaExceededError', 'writeCheckpoint', 'checkpoint 2 of job "job"');
    expect(await listed()).toEqual([1]);
    await expectRejection(store.readCheckpointPart('job', 2, 'process-1#0'), 'NotFoundError');
  });

  it('a QuotaExceededError thrown by a chunk\'s put rejects the chunked write with that name, writing nothing', async () => {
    patch('put', 'checkpointParts', { before: quotaThrown(2) });
    await expectRejection(writeChunked(store, 'job', 2, { a: ['tw', 'o'] }), 'QuotaExceededError', 'writeCheckpoint', 'checkpoint 2 of job "job"');
    expect(await listed()).toEqual([1]);
    await expectRejection(store.readCheckpointPart('job', 2, 'a'), 'NotFoundError');
  });

  it('an append whose transaction is aborted part-way writes no record and keeps offsets dense', async () => {
    patch('add', 'records', { after: abortAt(2) });
    const batch = [1, 2, 3].map((n) => ({ key: 'k', value: n, timestamp: n }));
    await expectRejection(store.append('t', 0, batch), 'AbortError', 'append on topic "t" partition 0');
    expect(await store.endOffset('t', 0)).toBe(1);
    expect((await store.read('t', 0, 0, 10)).map((r) => r.value)).toEqual([0]);
    restore.pop()?.();
    expect(await store.append('t', 0, batch)).toBe(1);
    expect((await store.read('t', 0, 0, 10)).map((r) => r.offset)).toEqual([0, 1, 2, 3]);
  });

  it('a quota abort in the middle of an append writes nothing', async () => {
    patch('add', 'records', { after: quotaAbort(2) });
    await expectRejection(store.append('t', 0, [1, 2, 3].map((n) => ({ key: 'k', value: n, timestamp: n }))), 'QuotaExceededError');
    expect(await store.endOffset('t', 0)).toBe(1);
  });

  it('a value IndexedDB cannot clone rejects the whole append with DataCloneError', async () => {
    const batch = [{ key: 'k', value: 1, timestamp: 1 }, { key: 'k', value: () => 2, timestamp: 2 }];
    await expectRejection(store.append('t', 0, batch), 'DataCloneError', 'append on topic "t" partition 0');
    expect(await store.endOffset('t', 0)).toBe(1);
    expect(await store.read('t', 0, 0, 10)).toHaveLength(1);
  });

  it('a commit that fails leaves the transaction staged, and a retry commits it once', async () => {
    await store.sinkStage('s', 'tx', [{ key: 'a', value: 1, timestamp: 0 }, { key: 'b', value: 2, timestamp: 0 }]);
    // The commit's one add (the transaction's records as one log row) hits a full disk.
    patch('add', 'sinkLog', { after: quotaAbort(1) });
    await expectRejection(store.sinkCommit('s', 'tx'), 'QuotaExceededError', 'sinkCommit on transaction "tx" of sink "s"');
    expect(await store.sinkRead('s')).toEqual([]);
    restore.pop()?.();
    await store.sinkCommit('s', 'tx');
    await store.sinkCommit('s', 'tx');
    expect((await store.sinkRead('s')).map((r) => r.value)).toEqual([1, 2]);
  });

  it('a failed compaction deletes nothing', async () => {
    await store.createTopic('c', { partitions: 1, compacted: true });
    await store.append('c', 0, [1, 2, 3].map((n) => ({ key: 'k', value: n, timestamp: n })));
    patch('delete', 'records', { after: abortAt(2) });
    await expectRejection(store.compact('c'), 'AbortError', 'compact on topic "c"');
    expect(await store.read('c', 0, 0, 10)).toHaveLength(3);
  });
});

describe('IdbDurableStore data damaged at rest', () => {
  /** Changes the stored checkpoint parts directly, bypassing the store. */
  async function tamper(factory: IDBFactory, change: (parts: IDBObjectStore) => void): Promise<void> {
    const request = factory.open('brook');
    const db = await new Promise<IDBDatabase>((resolve) => (request.onsuccess = () => resolve(request.result)));
    const tx = db.transaction('checkpointParts', 'readwrite');
    change(tx.objectStore('checkpointParts'));
    await new Promise((resolve) => (tx.oncomplete = resolve));
    db.close();
  }

  it('skips a checkpoint whose stored part was altered or lost, and lists the previous one', async () => {
    const factory = new IDBFactory();
    const store = await IdbDurableStore.open('brook', { indexedDB: factory });
    await writeCheckpoint(store, 'job', 1, { a: 'one' });
    await writeCheckpoint(store, 'job', 2, { a: 'two' });
    await writeCheckpoint(store, 'job', 3, { a: 'three', b: 'x' });
    await tamper(factory, (parts) => {
      parts.put({ jobId: 'job', checkpointId: 2, name: 'a', data: 'twO' });
      parts.delete(['job', 3, 'b']);
    });
    expect((await store.listCheckpoints('job')).map((m) => m.checkpointId)).toEqual([1]);
    store.close();
  });

  it('skips a checkpoint one of whose chunks was altered, lost or added to, and lists the previous one', async () => {
    const factory = new IDBFactory();
    const store = await IdbDurableStore.open('brook', { indexedDB: factory });
    await writeChunked(store, 'job', 1, { a: ['on', 'e'] });
    for (const id of [2, 3, 4]) await writeChunked(store, 'job', id, { a: ['tw', 'o', '!'] });
    expect((await store.listCheckpoints('job')).map((m) => m.checkpointId)).toEqual([4, 3, 2, 1]);
    // Chunk rows are named after the part, NUL, and the chunk number (idb-checkpoints.ts).
    await tamper(factory, (parts) => {
      parts.put({ jobId: 'job', checkpointId: 2, name: 'a\u0000000001', data: 'O' });
      parts.delete(['job', 3, 'a\u0000000002']);
      parts.put({ jobId: 'job', checkpointId: 4, name: 'a\u0000000003', data: '?' });
    });
    expect((await store.listCheckpoints('job')).map((m) => m.checkpointId)).toEqual([1]);
    expect(await store.readCheckpointPart('job', 1, 'a')).toBe('one');
    expect(await store.readCheckpointPart('job', 3, 'a')).toBe('two');
    store.close();
  });
});
