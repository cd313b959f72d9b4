// Durable storage across the sandbox's boundary. The worker's origin is opaque, so it has no
// IndexedDB of Brook's: trusted code (the store worker, store-worker.ts) runs the store and
// answers the sandbox worker's calls on a MessagePort. Not comlink, on purpose: comlink's
// `expose` lets the other side read and set any property path of the exposed object
// (`__proto__` included), which untrusted code must not get.
// A checkpoint goes as a stream of messages (begin, a message per chunk, then commit, or abort):
// the sandbox encodes chunk i + 1 while the store worker checksums chunk i, and the store writes
// them all with the manifest (checkpoint-stream-server.ts serves them, by its rules). A part
// handed over (a periodic checkpoint's) has its binary chunks' buffers transferred, not cloned.
// Invariant: the trusted side answers only the DurableStore methods listed here, with plain data,
// and checkpoint streams.

import { manifestOf, type CheckpointManifest, type DurableStore, type ManifestPart } from '../engine/checkpoint/durable-store.ts';
import { placeholder, serveCheckpointStreams, type StoreReply, type StreamMessage } from './checkpoint-stream-server.ts';

export { STREAM_LIMITS } from './checkpoint-stream-server.ts';

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

/** What both ends need of a MessagePort (the DOM's, or Node's global MessagePort in tests). */
export interface PortLike {
  /** `options.transfer`: buffers whose ownership goes with the message (detached here). */
  postMessage(message: unknown, options?: { transfer: ArrayBuffer[] }): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  start?(): void;
}

const ALLOWED: ReadonlySet<string> = new Set(STORE_METHODS);

/** Stops answering calls; `idle()` resolves once every call already taken has settled. */
export type StopServing = (() => void) & { readonly idle: () => Promise<void> };

/**
 * Trusted side: answers store calls arriving on `port` from `store`. Calls whose method is not a
 * store method, or whose arguments are not an array, are refused; checkpoint streams are served
 * as `STREAM_LIMITS` and the module header say (`idleMillis` overrides the idle limit, for
 * tests). Returns a function that stops (aborting every stream not yet committing: a sandbox
 * killed mid-stream leaves nothing of that checkpoint).
 * @example
 * const stop = serveStore(port, store);
 * stop(); await stop.idle(); store.close();
 */
export function serveStore(port: PortLike, store: DurableStore, options: { readonly idleMillis?: number } = {}): StopServing {
  // Calls taken and not yet settled, so the store is closed only after their transactions.
  const inFlight = new Set<Promise<unknown>>();
  const reply = (message: StoreReply): void => port.postMessage(message);
  const settle = (id: number, work: () => Promise<unknown>): void => {
    const settled: Promise<void> = Promise.resolve()
      .then(work)
      .then(
        (value) => reply({ id, ok: true, value }),
        (error: unknown) => reply({ id, ok: false, ...errorFields(error) }),
      )
      .finally(() => inFlight.delete(settled));
    inFlight.add(settled);
  };
  const streams = serveCheckpointStreams(store, reply, settle, options.idleMillis);

  const onMessage = (event: MessageEvent): void => {
    const call = event.data as Partial<StoreCall> | null;
    if (typeof call === 'object' && call !== null && 'stream' in call) return streams.onMessage(call);
    if (typeof call !== 'object' || call === null || typeof call.id !== 'number') return;
    const { id, method, args } = call;
    if (typeof method !== 'string' || !ALLOWED.has(method) || !Array.isArray(args)) {
      port.postMessage({ id, ok: false, name: 'TypeError', message: `not a store method: ${String(method)}` } satisfies StoreReply);
      return;
    }
    const invoke = store[method as StoreMethod] as (...a: unknown[]) => Promise<unknown>;
    settle(id, () => invoke.apply(store, args));
  };
  port.addEventListener('message', onMessage);
  port.start?.();
  const stop = () => {
    port.removeEventListener('message', onMessage);
    streams.abortOpen();
  };
  return Object.assign(stop, { idle: async () => void (await Promise.allSettled([...inFlight])) });
}

function errorFields(error: unknown): { name: string; message: string } {
  if (typeof error === 'object' && error !== null && typeof (error as Error).name === 'string' && typeof (error as Error).message === 'string') {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  return { name: 'Error', message: String(error) };
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
    return this.request<T>(id, { id, method, args } satisfies StoreCall);
  }

  private request<T>(id: number, message: StoreCall | StreamMessage): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.port.postMessage(message);
    });
  }

  /** The store worker checksums each chunk as it stores it (persistSnapshot then skips its own). */
  readonly describesChunks = true;

  /** A binary chunk of a part handed over goes to the store worker by transfer (no copy on either thread), detached here. */
  readonly takesChunks = true;

  /**
   * Writes a checkpoint as a stream: each chunk is posted as soon as a part's `write` hands it
   * over (the store worker puts and checksums it meanwhile), then the manifest follows at once
   * with placeholders for the parts streamed (the store worker fills in its descriptions, seals
   * it and commits it last), with no round trip in between. The sealing function is then called
   * again with the descriptions the store worker answered, so the caller holds the very manifest
   * stored. Rejects, nothing stored, when the store refuses (a full disk, a broken rule) or a
   * `write` or the sealing throws.
   */
  writeCheckpointChunks: NonNullable<DurableStore['writeCheckpointChunks']> = async (jobId, checkpointId, manifest, parts) => {
    const of = this.nextId++;
    const begun = this.request<void>(of, { id: of, stream: 'begin', jobId, checkpointId });
    let shape: CheckpointManifest;
    try {
      for (const part of parts) {
        const name = part.name;
        const handOver = part.handOver === true;
        part.write((data) => {
          const message = { stream: 'chunk', of, part: name, data } satisfies StreamMessage;
          // Only a chunk that is its whole buffer: transferring a view would take its neighbours' bytes too.
          if (handOver && typeof data !== 'string' && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer) {
            this.port.postMessage(message, { transfer: [data.buffer] });
          } else this.port.postMessage(message);
        });
      }
      shape = typeof manifest === 'function' ? manifest(new Map(parts.map((p) => [p.name, placeholder(p.name)]))) : manifest;
    } catch (error) {
      this.port.postMessage({ stream: 'abort', of } satisfies StreamMessage);
      await begun.catch(() => {});
      throw error;
    }
    const id = this.nextId++;
    const committed = this.request<ManifestPart[]>(id, { id, stream: 'commit', of, manifest: shape });
    try {
      await begun;
    } finally {
      // A refused begin leaves the commit refused too (no such stream): observed, not reported twice.
      committed.catch(() => {});
    }
    const described = await committed;
    if (typeof manifest === 'function') manifest(new Map(described.map((p) => [p.name, p])));
  };

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
