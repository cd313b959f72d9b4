// A worker as the page sees it, in Node: an EngineService behind comlink on one MessageChannel,
// its durable store behind store-rpc on another, the store itself IndexedDB on fake-indexeddb.
// Shared by the engine-service tests.

import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import * as Comlink from 'comlink';
import { IdbDurableStore } from '../../src/storage/idb-store.ts';
import { EngineService } from '../../src/worker/engine-service.ts';
import type { EngineApi, TraceDelta } from '../../src/worker/protocol.ts';
import { RemoteDurableStore, serveStore } from '../../src/worker/store-rpc.ts';

export interface TestWorker {
  readonly api: Comlink.Remote<EngineApi>;
  /** Every delta the worker pushed, in order. */
  readonly deltas: TraceDelta[];
  /** What the page's host sends on the delta port after drawing: here, straight to the service. */
  acknowledge(count: number): void;
  /** Drops the worker: ports closed, the service and everything in it unreachable. */
  kill(): void;
}

/** A fresh job database of its own (a new fake-indexeddb factory). */
export function freshStore(): Promise<IdbDurableStore> {
  return IdbDurableStore.open('brook-job-test', { indexedDB: new IDBFactory() });
}

/** Starts a worker on `store`. */
export function startWorker(store: IdbDurableStore): TestWorker {
  const engine = new MessageChannel();
  const storeChannel = new MessageChannel();
  const stopServing = serveStore(storeChannel.port1, store);
  const service = new EngineService(new RemoteDurableStore(storeChannel.port2));
  Comlink.expose(service, engine.port1);
  const api = Comlink.wrap<EngineApi>(engine.port2);
  const deltas: TraceDelta[] = [];
  void api.subscribe(Comlink.proxy((d: TraceDelta) => void deltas.push(d)));
  return {
    api,
    deltas,
    acknowledge: (count) => service.acknowledge(count),
    kill() {
      stopServing();
      for (const port of [engine.port1, engine.port2, storeChannel.port1, storeChannel.port2]) port.close();
    },
  };
}
