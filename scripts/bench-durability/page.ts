// The snapshot-write benchmark in a browser page, against the browser's real IndexedDB (disk,
// structured clone, strict durability for both contenders): bundled and served by
// scripts/bench-durability.mjs, which calls `window.benchDurability.run(options)` in Chromium.
// The contenders run as the product runs: the snapshot in an engine worker that reaches its
// store only through the store RPC (engine-worker.ts), the store worker's own code
// serving it (store-worker.ts: serveStoreWorker), opened by the page with
// StoreWorkerClient as the app opens it; the bulk write of the same part strings in that store
// worker. The driver path on this one thread (the figure before the workers) is kept, labelled.
// Each run gets a fresh database, deleted afterwards, untimed; runs are interleaved.

import { describePart } from '../../src/engine/checkpoint/checksum.ts';
import { IdbDurableStore } from '../../src/storage/idb-store.ts';
import { jobDatabaseName } from '../../src/worker/job-store.ts';
import { StoreWorkerClient, type StoreWorkerEndpoint } from '../../src/worker/store-worker-client.ts';
import type { EngineBenchReply, EngineBenchRequest, WorkerPhases } from './engine-worker.ts';
import type { BulkReply, BulkRequest } from './store-worker.ts';
import {
  CHECKPOINT_ID,
  type DriverPhases,
  incrementalAfterChanges,
  type IncrementalRun,
  JOB_ID,
  jobWithKeyedState,
  bulkParts,
  sameBulk,
  sameParts,
  settle,
  snapshotAndPersist,
} from '../../src/cli/bench/snapshot-job.ts';
import { partSize } from '../../src/engine/checkpoint/part-data.ts';

/** Keys changed before the incremental checkpoint the page also times (as the Node run). */
const INCREMENTAL_CHANGES = 10;

export interface PageOptions {
  readonly keys: number;
  readonly repetitions: number;
  readonly seed: number;
}

/** What the page measured; the script prints it. */
export interface PageResult {
  readonly parts: number;
  readonly chars: number;
  readonly largest: { name: string; chars: number };
  /** Timed runs, ms, in order: the snapshot across the engine and store workers. */
  readonly snapshot: number[];
  /** The bulk write of the same strings in the store worker. */
  readonly bulk: number[];
  readonly phases: WorkerPhases[];
  /** Labelled, not a contender: the driver path on the page's one thread (IdbDurableStore here). */
  readonly singleThread: number[];
  readonly singleThreadPhases: DriverPhases[];
  /** Labelled, not a contender: across the same workers, whole parts over the RPC (before checkpoint streams). */
  readonly wholeParts: number[];
  /** Chunks the largest part was written as. */
  readonly chunks: number;
  /** Not a contender: the checkpoint after INCREMENTAL_CHANGES keys changed, with incremental checkpoints (one thread). */
  readonly incremental: { readonly changed: number; readonly runs: IncrementalRun[] };
  /** Lines saying how the contenders' writes differ from the reference (read back); empty when they agree. */
  readonly differences: string[];
  readonly userAgent: string;
}

let databases = 0;

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    // 'blocked' may fire while a just-closed connection finishes its last transaction; success follows.
  });
}

type Described = ReturnType<typeof describePart>;
const describeAll = (parts: readonly Described[]) => parts.map((p) => `${p.name}:${p.size}:${p.checksum}`).join(' ');

/** Posts `message` to `worker` and resolves with its next reply that `accept` takes. */
function ask<R>(worker: Worker, message: unknown, transfer: Transferable[], accept: (data: unknown) => R | undefined): Promise<R> {
  return new Promise((resolve, reject) => {
    const onMessage = (event: MessageEvent): void => {
      const data = event.data as { bench?: string; error?: string } | null;
      if (data?.bench === 'failed') reject(new Error(data.error));
      const r = accept(event.data);
      if (r === undefined && data?.bench !== 'failed') return;
      worker.removeEventListener('message', onMessage);
      if (r !== undefined) resolve(r);
    };
    worker.addEventListener('message', onMessage);
    worker.postMessage(message, transfer);
  });
}

/** The job id the engine worker's checkpoints are written under (its database: jobDatabaseName). */
const WORKER_JOB = 'bench-snapshot';

async function readBack(store: IdbDurableStore): Promise<string> {
  const listed = await store.listCheckpoints(JOB_ID);
  const read = listed.length === 1 && listed[0]!.checkpointId === CHECKPOINT_ID ? listed[0]!.parts : [];
  return describeAll(await Promise.all(read.map(async (p) => describePart(p.name, await store.readCheckpointPart(JOB_ID, CHECKPOINT_ID, p.name)))));
}

async function run(options: PageOptions): Promise<PageResult> {
  const reference = jobWithKeyedState(options.keys, options.seed).snapshot(CHECKPOINT_ID);
  const expected = describeAll(reference.parts.map((p) => describePart(p.name, p.data)));
  // The bulk write's bytes, in hand before its clock starts (as a hand-written writer has them).
  const bulkBytes = bulkParts(reference.parts);
  const differences: string[] = [];
  const engine = new Worker('/engine-worker.js', { type: 'module', name: 'bench-engine' });
  const storeWorker = new Worker('/store-worker.js', { type: 'module', name: 'bench-store' });
  const stores = new StoreWorkerClient(storeWorker as unknown as StoreWorkerEndpoint);
  let chunks = 0;

  try {
    // The engine worker's first run compiles the job's code there too: its reference must agree.
    const theirs = await ask(engine, { bench: 'reference', keys: options.keys, seed: options.seed } satisfies EngineBenchRequest, [], (d) => ((d as EngineBenchReply).bench === 'reference' ? (d as Extract<EngineBenchReply, { bench: 'reference' }>) : undefined));
    if (!sameParts(theirs.parts, reference.parts)) differences.push("engine worker: its job's snapshot differs from the page's");

    const workerRun = async (check: boolean, whole = false): Promise<{ millis: number; phases: WorkerPhases }> => {
      const channel = new MessageChannel();
      const session = await stores.open(WORKER_JOB, { fresh: true }, channel.port1);
      let reply: Extract<EngineBenchReply, { bench: 'snapshot' }>;
      try {
        reply = await ask(engine, { bench: 'snapshot', keys: options.keys, seed: options.seed, whole } satisfies EngineBenchRequest, [channel.port2], (d) => ((d as EngineBenchReply).bench === 'snapshot' ? (d as typeof reply) : undefined));
      } finally {
        await session.close();
      }
      if (describeAll(reply.described) !== expected) differences.push(`${whole ? 'whole parts' : 'snapshot'}: a run's manifest describes parts different from the reference snapshot's (${describeAll(reply.described)})`);
      if (check) {
        const store = await IdbDurableStore.open(jobDatabaseName(WORKER_JOB));
        try {
          const listed = await store.listCheckpoints(JOB_ID);
          chunks = Math.max(0, ...(listed[0]?.parts.map((p) => p.chunks?.length ?? 1) ?? []));
          const got = await readBack(store);
          if (got !== expected) differences.push(`${whole ? 'whole parts' : 'snapshot'}: read back ${got || 'nothing'}; expected ${expected}`);
        } finally {
          store.close();
        }
      }
      return { millis: reply.millis, phases: reply.phases };
    };

    const bulkRun = async (check: boolean): Promise<number> => {
      const name = `brook-bench-bulk-${databases++}`;
      const reply = await ask(storeWorker, { bench: 'bulk', name, parts: bulkBytes, check } satisfies BulkRequest, [], (d) => ((d as BulkReply).bench === 'bulked' ? (d as BulkReply) : undefined));
      if (reply.millis === undefined) throw new Error(`bulk-write failed in the store worker: ${reply.error}`);
      if (check) {
        if (!sameBulk(reply.readBack ?? [], bulkBytes)) differences.push('bulk-write: what it read back differs from the bytes it wrote');
      }
      return reply.millis;
    };

    const singleThreadRun = async (check: boolean): Promise<{ millis: number; phases: DriverPhases }> => {
      const job = jobWithKeyedState(options.keys, options.seed);
      const name = `brook-bench-snapshot-${databases++}`;
      const store = await IdbDurableStore.open(name);
      try {
        await settle();
        const { snapshot, phases, millis } = await snapshotAndPersist(job, store);
        if (!sameParts(snapshot.parts, reference.parts)) differences.push('single-thread snapshot: a run wrote parts different from the reference snapshot\'s');
        if (check) {
          const got = await readBack(store);
          if (got !== expected) differences.push(`single-thread snapshot: read back ${got || 'nothing'}; expected ${expected}`);
        }
        return { millis, phases };
      } finally {
        store.close();
        await deleteDatabase(name);
      }
    };

    await workerRun(true);
    await bulkRun(true);
    await singleThreadRun(true);
    await workerRun(true, true);
    const snapshot: number[] = [];
    const bulk: number[] = [];
    const phases: WorkerPhases[] = [];
    const singleThread: number[] = [];
    const singleThreadPhases: DriverPhases[] = [];
    const wholeParts: number[] = [];
    for (let i = 0; i < options.repetitions; i++) {
      const s = await workerRun(false);
      snapshot.push(s.millis);
      phases.push(s.phases);
      bulk.push(await bulkRun(false));
      const t = await singleThreadRun(false);
      singleThread.push(t.millis);
      singleThreadPhases.push(t.phases);
      wholeParts.push((await workerRun(false, true)).millis);
    }
    const incremental: IncrementalRun[] = [];
    for (let i = 0; i < options.repetitions; i++) {
      const name = `brook-bench-incremental-${databases++}`;
      const store = await IdbDurableStore.open(name);
      try {
        incremental.push(await incrementalAfterChanges(options.keys, INCREMENTAL_CHANGES, options.seed, store));
      } finally {
        store.close();
        await deleteDatabase(name);
      }
    }
    const chars = reference.parts.reduce((n, p) => n + partSize(p.data), 0);
    const largest = reference.parts.reduce((a, b) => (partSize(b.data) > partSize(a.data) ? b : a));
    return {
      parts: reference.parts.length,
      chars,
      largest: { name: largest.name, chars: partSize(largest.data) },
      snapshot,
      bulk,
      phases,
      singleThread,
      singleThreadPhases,
      wholeParts,
      chunks,
      incremental: { changed: INCREMENTAL_CHANGES, runs: incremental },
      differences,
      userAgent: navigator.userAgent,
    };
  } finally {
    stores.terminate();
    engine.terminate();
    await deleteDatabase(jobDatabaseName(WORKER_JOB));
  }
}

declare global {
  interface Window {
    benchDurability: { run: (options: PageOptions) => Promise<PageResult> };
  }
}

window.benchDurability = { run };
document.body.dataset.ready = '';
