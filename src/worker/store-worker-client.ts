// The page's handle on the store worker (store-worker.ts): starts it, asks it to open a job's
// IndexedDB store for one sandbox (handing it the port the sandbox's store calls arrive on) and
// to close it again. The page itself then never touches IndexedDB for a run, so no checkpoint
// is structured-cloned on the main thread. Invariant: every request settles — answered, or
// rejected when the worker failed — so a kill or a recovery never waits forever on it.

import type { StoreWorkerReply, StoreWorkerRequest } from './store-worker-service.ts';

/** The page's side of its link to the store worker: a `Worker`, or a MessagePort in tests. */
export interface StoreWorkerEndpoint {
  postMessage(message: StoreWorkerRequest, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  start?(): void;
  terminate?(): void;
}

/** A job's store opened for one sandbox; `close` resolves once its writes are done. */
export interface StoreSession {
  close(): Promise<void>;
}

/** The store worker failed to open a job's store, or died; `name` is the original error's. */
export class StoreWorkerError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** Talks to one store worker; see `StoreWorkerClient.start`. */
export class StoreWorkerClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private failure: Error | undefined;

  /**
   * Starts the store worker (a same-origin module worker, bundled by Vite as its own chunk).
   * @example
   * const stores = StoreWorkerClient.start();
   * const session = await stores.open('sessions', { fresh: true }, channel.port1);
   */
  static start(): StoreWorkerClient {
    return new StoreWorkerClient(new Worker(new URL('./store-worker.ts', import.meta.url), { type: 'module', name: 'brook-store' }));
  }

  constructor(private readonly endpoint: StoreWorkerEndpoint) {
    endpoint.addEventListener('message', (event: MessageEvent) => {
      const reply = event.data as StoreWorkerReply;
      const waiting = this.pending.get(reply?.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.type === 'failed') waiting.reject(new StoreWorkerError(reply.name, reply.message));
      else waiting.resolve();
    });
    endpoint.addEventListener('error', (event: ErrorEvent) => {
      event.preventDefault?.();
      this.fail(new StoreWorkerError('StoreWorkerError', `the store worker failed: ${event.message || 'it did not load'}`));
    });
    endpoint.start?.();
  }

  /** Whether the worker died (a new client is needed then). */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /**
   * Opens job `jobId`'s store in the worker (`fresh`: its earlier data deleted first) and serves
   * it on `port`, which is transferred to the worker. Rejects with a StoreWorkerError.
   */
  async open(jobId: string, options: { fresh: boolean }, port: MessagePort): Promise<StoreSession> {
    const id = this.nextId++;
    await this.request({ type: 'open', id, jobId, fresh: options.fresh }, [port]);
    let closed: Promise<void> | undefined;
    return {
      // A dead worker has nothing left to close: its connections went with it.
      close: () => (closed ??= this.request({ type: 'close', id }, []).catch(() => {})),
    };
  }

  /** Stops the worker at once; unanswered requests reject. Close the sessions first. */
  terminate(): void {
    this.endpoint.terminate?.();
    this.fail(new StoreWorkerError('StoreWorkerError', 'the store worker was stopped'));
  }

  private request(message: StoreWorkerRequest, transfer: Transferable[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.pending.set(message.id, { resolve, reject });
      this.endpoint.postMessage(message, transfer);
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
