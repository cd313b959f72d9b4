// What the store worker does (trusted, Brook's own code, same origin as the page): it opens a
// job's IndexedDB store when the page asks and answers the sandbox's store calls on the port the
// page handed over, with `serveStore` (the same allow-list RPC as before), so checkpoints are
// cloned into IndexedDB off the page's main thread. Invariant: only the page (the worker's
// creator) opens and closes sessions; the sandbox's port carries store calls (and checkpoint
// streams, store-rpc.ts) and nothing else.

import type { IdbDurableStore } from '../storage/idb-store.ts';
import { openJobStore } from './job-store.ts';
import { serveStore, type PortLike, type StopServing } from './store-rpc.ts';

/** Page → store worker. `open` transfers the port the sandbox's store calls arrive on. */
export type StoreWorkerRequest =
  | { readonly type: 'open'; readonly id: number; readonly jobId: string; readonly fresh: boolean }
  | { readonly type: 'close'; readonly id: number };

/** Store worker → page, answering the request with the same `id`. */
export type StoreWorkerReply =
  | { readonly type: 'opened'; readonly id: number }
  | { readonly type: 'closed'; readonly id: number }
  | { readonly type: 'failed'; readonly id: number; readonly name: string; readonly message: string };

/** The worker's side of its link to the page: its global scope, or a MessagePort in tests. */
export interface ControlEndpoint {
  postMessage(message: StoreWorkerReply): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  start?(): void;
}

/** One job's store served on one sandbox's port, from `open` to `close`. */
interface Session {
  /** Resolves once the store is open and served (or failed to open: then undefined). */
  readonly ready: Promise<{ readonly store: IdbDurableStore; readonly stopServing: StopServing } | undefined>;
  readonly port: MessagePort;
}

/**
 * Serves the page's `open`/`close` requests arriving on `control`. `indexedDB` is the factory
 * stores open on (fake-indexeddb's in Node tests; the worker's own by default).
 * @example
 * serveStoreWorker(self as unknown as ControlEndpoint);
 */
export function serveStoreWorker(control: ControlEndpoint, options: { indexedDB?: IDBFactory } = {}): void {
  const sessions = new Map<number, Session>();

  const open = (id: number, jobId: string, fresh: boolean, port: MessagePort): void => {
    const ready = openJobStore(jobId, { fresh, ...(options.indexedDB && { indexedDB: options.indexedDB }) }).then(
      (store) => {
        const stopServing = serveStore(port as PortLike, store);
        control.postMessage({ type: 'opened', id });
        return { store, stopServing };
      },
      (error: unknown) => {
        sessions.delete(id);
        port.close();
        control.postMessage({ type: 'failed', id, ...errorFields(error) });
        return undefined;
      },
    );
    sessions.set(id, { ready, port });
  };

  // Closing waits for the open to settle, so a close sent right after an open still closes.
  const close = async (id: number): Promise<void> => {
    const session = sessions.get(id);
    sessions.delete(id);
    const served = await session?.ready;
    served?.stopServing();
    session?.port.close();
    // A call the sandbox made before it was killed (a checkpoint's write, a stream whose commit
    // came) still completes or aborts as one transaction; a stream still waiting for chunks was
    // aborted by stopServing. "closed" is said only after, so the page may then terminate us.
    await served?.stopServing.idle();
    served?.store.close();
    control.postMessage({ type: 'closed', id });
  };

  control.addEventListener('message', (event: MessageEvent) => {
    const request = event.data as StoreWorkerRequest | null;
    if (typeof request?.id !== 'number') return;
    if (request.type === 'open') {
      const port = event.ports[0];
      if (!port || typeof request.jobId !== 'string') {
        control.postMessage({ type: 'failed', id: request.id, name: 'TypeError', message: 'open needs a job id and a port' });
        return;
      }
      open(request.id, request.jobId, request.fresh === true, port);
    } else if (request.type === 'close') void close(request.id);
  });
  control.start?.();
}

function errorFields(error: unknown): { name: string; message: string } {
  if (error instanceof Error || error instanceof DOMException) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}
