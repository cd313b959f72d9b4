// The snapshot-write benchmark in a browser page, against the browser's real IndexedDB (disk,
// structured clone, strict durability for both contenders): bundled and served by
// scripts/bench-durability.mjs, which calls `window.benchDurability.run(options)` in Chromium.
// Same workload and contenders as the Node run (snapshot-job.ts); each run gets a fresh database,
// deleted afterwards, untimed; runs are interleaved (warm-up of each, then snapshot, bulk-write,
// snapshot, ...).

import { describePart } from '../../engine/checkpoint/checksum.ts';
import { IdbDurableStore } from '../../storage/idb-store.ts';
import {
  bulkWrite,
  CHECKPOINT_ID,
  type DriverPhases,
  encodeThenPersist,
  incrementalAfterChanges,
  type IncrementalRun,
  JOB_ID,
  jobWithKeyedState,
  openBulkDb,
  sameParts,
  snapshotAndPersist,
} from './snapshot-job.ts';

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
  /** Timed runs, ms, in order. */
  readonly snapshot: number[];
  readonly bulk: number[];
  readonly phases: DriverPhases[];
  /** Labelled, not a contender: job.snapshot() encoding every part whole, then the same one-transaction write. */
  readonly encodeThenWrite: number[];
  /** Chunks the largest part was written as. */
  readonly chunks: number;
  /** Not a contender: the checkpoint after INCREMENTAL_CHANGES keys changed, with incremental checkpoints. */
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

async function run(options: PageOptions): Promise<PageResult> {
  const reference = jobWithKeyedState(options.keys, options.seed).snapshot(CHECKPOINT_ID);
  const expected = describeAll(reference.parts.map((p) => describePart(p.name, p.data)));
  const differences: string[] = [];

  let chunks = 0;
  const snapshotRun = async (check: boolean): Promise<{ millis: number; phases: DriverPhases }> => {
    const job = jobWithKeyedState(options.keys, options.seed);
    const name = `brook-bench-snapshot-${databases++}`;
    const store = await IdbDurableStore.open(name);
    try {
      const { snapshot, manifest, phases, millis } = await snapshotAndPersist(job, store);
      chunks = Math.max(...manifest.parts.map((p) => p.chunks?.length ?? 1));
      if (!sameParts(snapshot.parts, reference.parts)) differences.push('snapshot: a run wrote parts different from the reference snapshot\'s');
      if (check) {
        const listed = await store.listCheckpoints(JOB_ID);
        const read = listed.length === 1 && listed[0]!.checkpointId === CHECKPOINT_ID ? listed[0]!.parts : [];
        const got = describeAll(await Promise.all(read.map(async (p) => describePart(p.name, await store.readCheckpointPart(JOB_ID, CHECKPOINT_ID, p.name)))));
        if (got !== expected) differences.push(`snapshot: read back ${got || 'nothing'}; expected ${expected}`);
      }
      return { millis, phases };
    } finally {
      store.close();
      await deleteDatabase(name);
    }
  };

  const bulkRun = async (check: boolean): Promise<number> => {
    const name = `brook-bench-bulk-${databases++}`;
    const db = await openBulkDb(indexedDB, name);
    try {
      const start = performance.now();
      await bulkWrite(db, reference.parts);
      const millis = performance.now() - start;
      if (check) {
        const byName = new Map((await db.getAll('checkpointParts')).map((row) => [row.name, row.data]));
        const got = describeAll(reference.parts.filter((p) => byName.has(p.name)).map((p) => describePart(p.name, byName.get(p.name)!)));
        if (got !== expected) differences.push(`bulk-write: read back ${got || 'nothing'}; expected ${expected}`);
      }
      return millis;
    } finally {
      db.close();
      await deleteDatabase(name);
    }
  };

  const encodeThenWriteRun = async (): Promise<number> => {
    const job = jobWithKeyedState(options.keys, options.seed);
    const name = `brook-bench-before-${databases++}`;
    const store = await IdbDurableStore.open(name);
    try {
      return await encodeThenPersist(job, store);
    } finally {
      store.close();
      await deleteDatabase(name);
    }
  };

  await snapshotRun(true);
  await bulkRun(true);
  await encodeThenWriteRun();
  const snapshot: number[] = [];
  const bulk: number[] = [];
  const phases: DriverPhases[] = [];
  const encodeThenWrite: number[] = [];
  for (let i = 0; i < options.repetitions; i++) {
    const s = await snapshotRun(false);
    snapshot.push(s.millis);
    phases.push(s.phases);
    bulk.push(await bulkRun(false));
    encodeThenWrite.push(await encodeThenWriteRun());
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
  const chars = reference.parts.reduce((n, p) => n + p.data.length, 0);
  const largest = reference.parts.reduce((a, b) => (b.data.length > a.data.length ? b : a));
  return {
    parts: reference.parts.length,
    chars,
    largest: { name: largest.name, chars: largest.data.length },
    snapshot,
    bulk,
    phases,
    encodeThenWrite,
    chunks,
    incremental: { changed: INCREMENTAL_CHANGES, runs: incremental },
    differences,
    userAgent: navigator.userAgent,
  };
}

declare global {
  interface Window {
    benchDurability: { run: (options: PageOptions) => Promise<PageResult> };
  }
}

window.benchDurability = { run };
document.body.dataset.ready = '';
