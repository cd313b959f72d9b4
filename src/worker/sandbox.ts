// One sandbox as the host runs it: the opaque-origin frame and its engine worker (behind
// comlink), the watchdog on it, the job's store session in the store worker (reached by the
// worker on a channel of its own, never through the page), and the delta port with the page's
// flow control. Invariant: `kill` stops all of them together, and every call raced against
// `gone` rejects with SandboxGone from then on.

import * as Comlink from 'comlink';
import type { PagePull, WorkerPush } from './engine-worker.ts';
import { drawnAcknowledger } from './drawn-acknowledger.ts';
import type { EngineApi } from './protocol.ts';
import { startSandboxFrame, type SandboxFrame } from './sandbox-frame.ts';
import type { StoreSession, StoreWorkerClient } from './store-worker-client.ts';
import { Watchdog, type WatchdogOptions } from './watchdog.ts';

/** The worker was killed while a call was waiting on it. */
export class SandboxGone extends Error {
  override readonly name = 'SandboxGone';
}

export interface Sandbox {
  readonly frame: SandboxFrame;
  readonly api: Comlink.Remote<EngineApi>;
  readonly watchdog: Watchdog;
  /** The job's store, opened in the store worker and served to this sandbox only. */
  readonly store: StoreSession;
  /** Rejects with SandboxGone once the sandbox is killed (calls race against it). */
  readonly gone: Promise<never>;
  readonly kill: () => Promise<void>;
}

/** What a sandbox reports to its host, for as long as `current()` says it is the host's. */
export interface SandboxHooks {
  /** Still the host's sandbox (a replaced or killed one reports nothing more). */
  readonly current: (sandbox: Sandbox) => boolean;
  /** A message on the delta port (deltas are already counted for flow control). */
  readonly push: (message: WorkerPush) => void;
  /** An error the frame reported outside any call (the worker failed to start, say). */
  readonly fault: (message: string) => void;
  /** The watchdog's verdict: no answer for `silentFor` ms. */
  readonly stuck: (silentFor: number) => void;
}

/**
 * Starts the worker from `source` in a fresh sandbox frame, with `stores` opening the job's
 * store (`fresh`: its earlier data deleted) for it alone.
 */
export async function startSandbox(
  source: string,
  stores: StoreWorkerClient,
  job: { readonly jobId: string; readonly fresh: boolean },
  hooks: SandboxHooks,
  options: { readonly container?: HTMLElement; readonly watchdog?: WatchdogOptions } = {},
): Promise<Sandbox> {
  const storeChannel = new MessageChannel();
  let store: StoreSession;
  try {
    store = await stores.open(job.jobId, { fresh: job.fresh }, storeChannel.port1);
  } catch (error) {
    for (const port of [storeChannel.port1, storeChannel.port2]) port.close();
    throw error;
  }
  let fault: (message: string) => void = () => {};
  let frame: SandboxFrame;
  try {
    frame = await startSandboxFrame(source, (message) => fault(message), options.container, storeChannel.port2);
  } catch (error) {
    await store.close();
    throw error;
  }
  const api = Comlink.wrap<EngineApi>(frame.enginePort);
  let markGone: (error: SandboxGone) => void = () => {};
  const gone = new Promise<never>((_, reject) => (markGone = reject));
  gone.catch(() => {});
  const watchdog = new Watchdog(() => api.ping(), (silentFor) => hooks.stuck(silentFor), options.watchdog);
  const sandbox: Sandbox = {
    frame,
    api,
    watchdog,
    store,
    gone,
    kill: async () => {
      watchdog.dispose();
      markGone(new SandboxGone('the engine worker was stopped'));
      await frame.kill();
      await store.close();
    },
  };
  fault = (message) => {
    if (hooks.current(sandbox)) hooks.fault(message);
  };
  // Flow control: a flat-out run goes at the pace the page can show it.
  const arrived = drawnAcknowledger((m) => frame.deltaPort.postMessage(m), () => hooks.current(sandbox));
  frame.deltaPort.onmessage = (event: MessageEvent<WorkerPush>) => {
    if (!hooks.current(sandbox)) return;
    if (event.data?.type === 'delta') arrived();
    hooks.push(event.data);
  };
  // This page draws: flow control from the first delta on. The worker otherwise waits for a
  // first acknowledgement, and a run's first frame got every delta made before the page's first
  // paint (up to ~20,000 record dots in one, in code not yet optimised).
  frame.deltaPort.postMessage({ type: 'drawn', count: 0 } satisfies PagePull);
  return sandbox;
}
