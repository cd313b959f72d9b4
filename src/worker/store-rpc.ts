// Durable storage across the sandbox's boundary. The worker's origin is opaque, so it has no
// IndexedDB of Brook's: trusted code (the store worker, store-worker.ts) runs the store and
// answers the sandbox worker's calls on a MessagePort. Not comlink, on purpose: comlink's
// `expose` lets the other side read and set any property path of the exposed object
// (`__proto__` included), which untrusted code must not get.
// Invariant: the trusted side answers only the DurableStore methods listed here, with plain data.

import { manifestOf, type DurableStore } from '../engine/checkpoint/durable-store.ts';

/** The store methods the worker may call, and nothing else. */
export const STORE_METHODS = [
  'writeCheckpointPart',
  'writeCheckpointManifest',
  'writeCheckpoint',
  'listCheckpoints',
  'readCheckpointPart',
  'deleteCheckpoint',
  'deleteJob',
  'createTopic',
  'topicConfig',
  'append',
  'read',
  'endOffset',
  'compact',
  'sinkAppend',
  'sinkUpsert',
  'sinkStage',
  'sinkCommit',
  'sinkAbort',
  'sinkRead',
] as const satisfies readonly (keyof DurableStore)[];

type StoreMethod = (typeof STORE_METHODS)[number];

interface StoreCall {
  readonly id: number;
  readonly method: StoreMethod;
  readonly args: readonly unknown[];
}

type StoreReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly name: string; readonly message: string };

/** What both ends need of a MessagePort (the DOM's, or Node's global MessagePort in tests). */
export interface PortLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  start?(): void;
}

const ALLOWED: ReadonlySet<string> = new Set(STORE_METHODS);

/** Stops answering calls; `idle()` resolves once every call already taken has settled. */
export type StopServing = (() => void) & { readonly idle: () => Promise<void> };

/**
 * Trusted side: answers store calls arriving on `port` from `store`. Calls whose method is not a
 * store method, or whose arguments are not an array, are refused. Returns a function that stops.
 * @example
 * const stop = serveStore(port, store);
 * stop(); await stop.idle(); store.close();
 */
export function serveStore(port: PortLike, store: DurableStore): StopServing {
  // Calls taken and not yet settled, so the store is closed only after their transactions.
  const inFlight = new Set<Promise<unknown>>();
  const onMessage = (event: MessageEvent): void => {
    const call = event.data as Partial<StoreCall> | null;
    if (typeof call !== 'object' || call === null || typeof call.id !== 'number') return;
    const { id, method, args } = call;
    if (typeof method !== 'string' || !ALLOWED.has(method) || !Array.isArray(args)) {
      port.postMessage({ id, ok: false, name: 'TypeError', message: `not a store method: ${String(method)}` } satisfies StoreReply);
      return;
    }
    const invoke = store[method as StoreMethod] as (...a: unknown[]) => Promise<unknown>;
    const settled: Promise<void> = Promise.resolve()
      .then(() => invoke.apply(store, args))
      .then(
        (value) => port.postMessage({ id, ok: true, value } satisfies StoreReply),
        (error: unknown) =>
          port.postMessage({
            id,
            ok: false,
            name: error instanceof Error ? error.name : 'Error',
            message: error instanceof Error ? error.message : String(error),
          } satisfies StoreReply),
      )
      .finally(() => inFlight.delete(settled));
    inFlight.add(settled);
  };
  port.addEventListener('message', onMessage);
  port.start?.();
  const stop = () => port.removeEventListener('message', onMessage);
  return Object.assign(stop, { idle: async () => void (await Promise.allSettled([...inFlight])) });
}

/** An error the trusted store raised, with its name kept (QuotaExceededError, StorageError, ...). */
export class RemoteStoreError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** Sandbox side: a DurableStore whose every call is answered by the trusted store (serveStore). */
export class RemoteDurableStore implements DurableStore {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(private readonly port: PortLike) {
    port.addEventListener('message', (event: MessageEvent) => {
      const reply = event.data as StoreReply;
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(new RemoteStoreError(reply.name, reply.message));
    });
    port.start?.();
  }

  private call<T>(method: StoreMethod, ...args: unknown[]): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.port.postMessage({ id, method, args } satisfies StoreCall);
    });
  }

  writeCheckpointPart: DurableStore['writeCheckpointPart'] = (...a) => this.call('writeCheckpointPart', ...a);
  writeCheckpointManifest: DurableStore['writeCheckpointManifest'] = (...a) => this.call('writeCheckpointManifest', ...a);
  writeCheckpoint: DurableStore['writeCheckpoint'] = (jobId, id, manifest, parts) => this.call('writeCheckpoint', jobId, id, manifestOf(manifest), parts);
  listCheckpoints: DurableStore['listCheckpoints'] = (...a) => this.call('listCheckpoints', ...a);
  readCheckpointPart: DurableStore['readCheckpointPart'] = (...a) => this.call('readCheckpointPart', ...a);
  deleteCheckpoint: DurableStore['deleteCheckpoint'] = (...a) => this.call('deleteCheckpoint', ...a);
  deleteJob: DurableStore['deleteJob'] = (...a) => this.call('deleteJob', ...a);
  createTopic: DurableStore['createTopic'] = (...a) => this.call('createTopic', ...a);
  topicConfig: DurableStore['topicConfig'] = (...a) => this.call('topicConfig', ...a);
  append: DurableStore['append'] = (...a) => this.call('append', ...a);
  read: DurableStore['read'] = (...a) => this.call('read', ...a);
  endOffset: DurableStore['endOffset'] = (...a) => this.call('endOffset', ...a);
  compact: DurableStore['compact'] = (...a) => this.call('compact', ...a);
  sinkAppend: DurableStore['sinkAppend'] = (...a) => this.call('sinkAppend', ...a);
  sinkUpsert: DurableStore['sinkUpsert'] = (...a) => this.call('sinkUpsert', ...a);
  sinkStage: DurableStore['sinkStage'] = (...a) => this.call('sinkStage', ...a);
  sinkCommit: DurableStore['sinkCommit'] = (...a) => this.call('sinkCommit', ...a);
  sinkAbort: DurableStore['sinkAbort'] = (...a) => this.call('sinkAbort', ...a);
  sinkRead: DurableStore['sinkRead'] = (...a) => this.call('sinkRead', ...a);
}
