import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { describePart, sealManifest } from '../../src/engine/checkpoint/checksum.ts';
import { IdbDurableStore } from '../../src/storage/idb-store.ts';
import { jobDatabaseName } from '../../src/worker/job-store.ts';
import { RemoteDurableStore, type PortLike } from '../../src/worker/store-rpc.ts';
import { StoreWorkerClient, type StoreWorkerEndpoint } from '../../src/worker/store-worker-client.ts';
import { serveStoreWorker, type ControlEndpoint } from '../../src/worker/store-worker-service.ts';
import { expectRejection, writeCheckpoint } from '../engine/checkpoint/durable-store-contract.ts';
import { watchTransactions } from './transaction-watch.ts';

// The store worker as the page and the sandbox use it, in Node: the worker's side
// (serveStoreWorker) on one end of a MessageChannel standing for the Worker, the page's client on
// the other, and each sandbox's store calls on a channel of their own whose port is transferred
// to the worker, exactly as in the browser. The job's store is on fake-indexeddb.

const ports: MessagePort[] = [];
afterEach(() => ports.splice(0).forEach((p) => p.close()));

/** A store worker on `factory` and the page's client of it. */
function startStoreWorker(factory: IDBFactory): StoreWorkerClient {
  const control = new MessageChannel();
  ports.push(control.port1, control.port2);
  serveStoreWorker(control.port1 as unknown as ControlEndpoint, { indexedDB: factory });
  return new StoreWorkerClient(control.port2 as unknown as StoreWorkerEndpoint);
}

/** A sandbox's view of the job's store: opens a session and returns the sandbox's RemoteDurableStore. */
async function connectSandbox(client: StoreWorkerClient, jobId: string, fresh: boolean) {
  const channel = new MessageChannel();
  ports.push(channel.port2);
  const session = await client.open(jobId, { fresh }, channel.port1);
  return { session, store: new RemoteDurableStore(channel.port2 as PortLike), port: channel.port2 };
}

describe('store worker', () => {
  it("answers a sandbox's store calls and keeps what they wrote in the job's IndexedDB database", async () => {
    const factory = new IDBFactory();
    const client = startStoreWorker(factory);
    const { session, store } = await connectSandbox(client, 'orders', true);
    await store.createTopic('t', { partitions: 1 });
    expect(await store.append('t', 0, [{ key: 'k', value: 1, timestamp: 5 }])).toBe(0);
    await writeCheckpoint(store, 'orders', 1, { a: 'state of a' });
    await session.close();

    const direct = await IdbDurableStore.open(jobDatabaseName('orders'), { indexedDB: factory });
    expect((await direct.listCheckpoints('orders')).map((m) => m.checkpointId)).toEqual([1]);
    expect(await direct.readCheckpointPart('orders', 1, 'a')).toBe('state of a');
    expect(await direct.read('t', 0, 0, 10)).toEqual([{ offset: 0, key: 'k', value: 1, timestamp: 5 }]);
    direct.close();
  });

  it('a recovery opens the same store again in a new session and finds the checkpoint; a fresh start finds none', async () => {
    const client = startStoreWorker(new IDBFactory());
    const first = await connectSandbox(client, 'orders', true);
    await writeCheckpoint(first.store, 'orders', 1, { a: 'one' });
    await first.session.close();

    const resumed = await connectSandbox(client, 'orders', false);
    expect((await resumed.store.listCheckpoints('orders')).map((m) => m.checkpointId)).toEqual([1]);
    // A fresh start deletes the database, which IndexedDB allows only once every connection to
    // it is closed: this resolves because close() closed the resumed session's connection.
    await resumed.session.close();
    const fresh = await connectSandbox(client, 'orders', true);
    expect(await fresh.store.listCheckpoints('orders')).toEqual([]);
    await fresh.session.close();
  });

  it('a session is reported closed only after a write the sandbox already sent has committed (the page may then stop the worker)', async () => {
    const factory = new IDBFactory();
    // Watches every transaction the store opens, to see whether it finished when "closed" came.
    const transactions = watchTransactions();
    try {
      const client = startStoreWorker(factory);
      const { session, store } = await connectSandbox(client, 'orders', true);
      // A checkpoint of many parts takes fake-indexeddb many turns; close as soon as its
      // transaction exists, i.e. the worker has taken the call.
      const parts = Array.from({ length: 300 }, (_, i) => ({ name: `p${i}`, data: `state ${i}` }));
      const manifest = sealManifest({ jobId: 'orders', checkpointId: 1, kind: 'checkpoint', triggeredAt: 1000, completedAt: 1005, parts: parts.map((p) => describePart(p.name, p.data)) });
      void store.writeCheckpoint('orders', 1, manifest, parts).catch(() => {});
      while (transactions.open() === 0) await new Promise((resolve) => setImmediate(resolve));
      await session.close();
      expect(transactions.open()).toBe(0);
    } finally {
      transactions.stop();
    }
    const direct = await IdbDurableStore.open(jobDatabaseName('orders'), { indexedDB: factory });
    expect((await direct.listCheckpoints('orders')).map((m) => m.checkpointId)).toEqual([1]);
    expect(await direct.readCheckpointPart('orders', 1, 'p299')).toBe('state 299');
    direct.close();
  });

  it("refuses a call on the sandbox's port that is not an allow-listed store method (close, deleteDatabase, __proto__)", async () => {
    const client = startStoreWorker(new IDBFactory());
    const { session, port } = await connectSandbox(client, 'orders', true);
    const replies: unknown[] = [];
    port.addEventListener('message', (e: MessageEvent) => replies.push(e.data));
    for (const [id, method] of ['close', 'deleteDatabase', '__proto__'].entries()) port.postMessage({ id, method, args: [] });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(replies).toEqual([
      { id: 0, ok: false, name: 'TypeError', message: 'not a store method: close' },
      { id: 1, ok: false, name: 'TypeError', message: 'not a store method: deleteDatabase' },
      { id: 2, ok: false, name: 'TypeError', message: 'not a store method: __proto__' },
    ]);
    await session.close();
  });

  it("a full disk in the store worker reaches the sandbox as a QuotaExceededError naming the checkpoint's part", async () => {
    const client = startStoreWorker(new IDBFactory());
    const { session, store } = await connectSandbox(client, 'orders', true);
    const proto = IDBObjectStore.prototype as unknown as { put: (...args: unknown[]) => IDBRequest };
    const put = proto.put;
    proto.put = function (this: IDBObjectStore, ...args: unknown[]) {
      const request = put.apply(this, args);
      if (this.name === 'checkpointParts') (this.transaction as unknown as { _abort(name: string): void })._abort('QuotaExceededError');
      return request;
    };
    try {
      await expectRejection(store.writeCheckpointPart('orders', 2, 'b', 'two'), 'QuotaExceededError', 'part "b" of checkpoint 2');
    } finally {
      proto.put = put;
    }
    expect(await store.listCheckpoints('orders')).toEqual([]);
    await session.close();
  });

  it("an open that IndexedDB refuses rejects with the store's error name and message", async () => {
    const factory = new IDBFactory();
    // A database from a newer Brook (a higher schema version) cannot be opened by this one.
    await new Promise<void>((resolve, reject) => {
      const request = factory.open(jobDatabaseName('newer'), 99);
      request.onsuccess = () => (request.result.close(), resolve());
      request.onerror = () => reject(request.error);
    });
    const client = startStoreWorker(factory);
    const channel = new MessageChannel();
    ports.push(channel.port2);
    await expectRejection(client.open('newer', { fresh: false }, channel.port1), 'VersionError', jobDatabaseName('newer'));
  });

  it('requests to a store worker that was stopped reject instead of waiting, and closing its sessions resolves', async () => {
    const client = startStoreWorker(new IDBFactory());
    const { session } = await connectSandbox(client, 'orders', true);
    // An endpoint nobody answers: the open stays pending until the client is stopped.
    const silent = new MessageChannel();
    ports.push(silent.port1, silent.port2);
    const unanswered = new StoreWorkerClient(silent.port2 as unknown as StoreWorkerEndpoint);
    const pending = unanswered.open('orders', { fresh: false }, new MessageChannel().port1);
    unanswered.terminate();
    await expectRejection(pending, 'StoreWorkerError', 'the store worker was stopped');
    expect(unanswered.failed).toBe(true);

    client.terminate();
    await expect(session.close()).resolves.toBeUndefined();
    await expectRejection(client.open('orders', { fresh: false }, new MessageChannel().port1), 'StoreWorkerError', 'stopped');
  });
});
