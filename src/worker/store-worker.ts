// The store worker's entry: a same-origin module worker the page starts (store-worker-client.ts)
// so that IndexedDB work — structured-cloning every checkpoint's parts, reading them back on a
// recovery — runs off the page's main thread. Invariant: it is Brook's own code and never runs
// user code; the sandbox reaches it only through the allow-listed store RPC (store-rpc.ts).

import { serveStoreWorker, type ControlEndpoint } from './store-worker-service.ts';

serveStoreWorker(self as unknown as ControlEndpoint);
