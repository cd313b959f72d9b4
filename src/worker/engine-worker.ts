// The sandbox worker's entry (bundled by build/sandbox-worker-plugin.ts and started from a Blob
// URL in the opaque-origin iframe). Takes its three ports from the iframe's first message: the
// EngineApi is served on one with comlink, trace deltas and errors go out on another, and the
// durable store is reached through the third. Invariant: user code never gets a port; after
// setup the worker's own `postMessage` reaches only the iframe, which ignores it.

import * as Comlink from 'comlink';
import { EngineService } from './engine-service.ts';
import type { CodeError, TraceDelta } from './protocol.ts';
import { RemoteDurableStore } from './store-rpc.ts';

/** Messages on the delta port, read by engine-host.ts. */
export type WorkerPush = { readonly type: 'delta'; readonly delta: TraceDelta } | { readonly type: 'error'; readonly error: CodeError };
/** The page's messages on the delta port: how many deltas it has drawn so far. */
export type PagePull = { readonly type: 'drawn'; readonly count: number };

function start(event: MessageEvent): void {
  if ((event.data as { type?: unknown } | null)?.type !== 'brook-ports' || event.ports.length !== 3) return;
  self.removeEventListener('message', start);
  const [enginePort, deltaPort, storePort] = event.ports as [MessagePort, MessagePort, MessagePort];
  const service = new EngineService(new RemoteDurableStore(storePort));
  const push = (message: WorkerPush, transfer: Transferable[] = []): void => deltaPort.postMessage(message, transfer);
  service.subscribe(
    (delta) => push({ type: 'delta', delta }, [delta.records.buffer, delta.events.buffer as ArrayBuffer]),
    (error) => push({ type: 'error', error }),
  );
  // The page acknowledges the deltas it drew on the same port (flow control).
  deltaPort.onmessage = (event: MessageEvent<PagePull>) => {
    if (event.data?.type === 'drawn') service.acknowledge(event.data.count);
  };
  self.addEventListener('unhandledrejection', (e: PromiseRejectionEvent) => {
    e.preventDefault();
    service.reportUnhandledRejection(e.reason);
  });
  // User code shares this realm: keep it from patching the methods the ports are used through.
  Object.freeze(MessagePort.prototype);
  Object.freeze(EventTarget.prototype);
  Comlink.expose(service, enginePort);
}

self.addEventListener('message', start);
