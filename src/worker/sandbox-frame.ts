// Starts the engine worker where its origin is opaque: a hidden `<iframe sandbox="allow-scripts">`
// whose Content-Security-Policy allows no network, starts a classic Worker from a Blob URL of the
// bundled worker script (Chromium will not start a module worker from a Blob URL there), and
// hands it its ports: the page's and the store worker's. The worker, and the user code
// it runs, can then reach neither the network, nor the page, nor Brook's IndexedDB.
// Invariant: after the start message the iframe answers only the page's "terminate".

/**
 * The sandbox's policy. `unsafe-eval`: the worker evaluates the compiled pipeline (the code is
 * untrusted anyway; isolation comes from the opaque origin and `connect-src 'none'`).
 * `blob:`: the worker script itself. Nothing may be fetched, imported or connected to.
 */
export const SANDBOX_CSP =
  "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval' blob:; worker-src blob:; connect-src 'none'; img-src 'none'; style-src 'none'";

/**
 * Runs inside the iframe. Waits for one message from the parent with the worker's source and
 * three ports; starts the worker, forwards the ports, and reports load errors on the control port.
 */
const BOOTSTRAP = `
let started = false;
addEventListener('message', (event) => {
  if (started || event.source !== parent || !event.data || event.data.type !== 'brook-start') return;
  started = true;
  const [control, engine, deltas, store] = event.ports;
  const url = URL.createObjectURL(new Blob([event.data.source], { type: 'text/javascript' }));
  let worker;
  try {
    worker = new Worker(url, { name: 'brook-engine' });
  } catch (error) {
    control.postMessage({ type: 'fault', message: 'the engine worker could not start: ' + error });
    return;
  }
  worker.onerror = (e) => control.postMessage({ type: 'fault', message: 'the engine worker failed: ' + (e.message || 'it did not load') });
  worker.postMessage({ type: 'brook-ports' }, [engine, deltas, store]);
  control.onmessage = (e) => {
    if (e.data === 'terminate') {
      worker.terminate();
      URL.revokeObjectURL(url);
      control.postMessage({ type: 'terminated' });
    }
  };
  control.postMessage({ type: 'started' });
});`;

/** The iframe's document: the policy first, then the bootstrap. */
export function sandboxDocument(): string {
  return `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="${SANDBOX_CSP}"><script>${BOOTSTRAP}</script></head><body></body></html>`;
}

/** A running sandbox: the page's ends of the worker's ports, and how to kill it. */
export interface SandboxFrame {
  /** Comlink's EngineApi (the page calls). */
  readonly enginePort: MessagePort;
  /** TraceDeltas and errors the worker pushes. */
  readonly deltaPort: MessagePort;
  /**
   * Terminates the worker (`Worker.terminate()` in the iframe, which is not blocked by the
   * worker's thread) and removes the iframe: everything in the worker's memory is gone.
   */
  kill(): Promise<void>;
}

/**
 * Creates the iframe, starts the worker in it and connects the ports.
 * `onFault` hears a worker that failed to load or died of an uncaught error. `storePort` is the
 * worker's end of its link to the store worker (store-worker-client.ts), transferred to it; without
 * one the worker's store calls go unanswered (a lesson check needs no store).
 */
export async function startSandboxFrame(
  workerSource: string,
  onFault: (message: string) => void,
  parentElement: HTMLElement = document.body,
  storePort?: MessagePort,
): Promise<SandboxFrame> {
  const iframe = document.createElement('iframe');
  iframe.setAttribute('sandbox', 'allow-scripts');
  iframe.setAttribute('aria-hidden', 'true');
  iframe.title = 'Brook engine sandbox';
  iframe.style.cssText = 'position:absolute;width:0;height:0;border:0;visibility:hidden';
  iframe.srcdoc = sandboxDocument();
  const loaded = new Promise<void>((resolve) => iframe.addEventListener('load', () => resolve(), { once: true }));
  parentElement.append(iframe);
  await loaded;

  const control = new MessageChannel();
  const engine = new MessageChannel();
  const deltas = new MessageChannel();
  // Without a store worker, a channel nobody answers (closed on kill).
  const unanswered = storePort ? undefined : new MessageChannel();
  const workerStorePort = storePort ?? unanswered!.port2;
  let terminated = () => {};
  const started = new Promise<void>((resolve) => {
    control.port1.onmessage = (event: MessageEvent<{ type: string; message?: string }>) => {
      if (event.data?.type === 'started') resolve();
      else if (event.data?.type === 'terminated') terminated();
      else if (event.data?.type === 'fault') onFault(String(event.data.message));
    };
  });
  iframe.contentWindow!.postMessage({ type: 'brook-start', source: workerSource }, '*', [control.port2, engine.port2, deltas.port2, workerStorePort]);
  await started;

  let killed: Promise<void> | undefined;
  return {
    enginePort: engine.port1,
    deltaPort: deltas.port1,
    kill() {
      killed ??= new Promise<void>((resolve) => {
        for (const port of [engine.port1, deltas.port1, unanswered?.port1]) port?.close();
        const done = () => {
          clearTimeout(timer);
          control.port1.close();
          // Removing the iframe destroys its document, which would end its workers anyway.
          iframe.remove();
          resolve();
        };
        const timer = setTimeout(done, 200);
        terminated = done;
        control.port1.postMessage('terminate');
      });
      return killed;
    },
  };
}
