// The copy test (tests/engine/checkpoint/copy-test.test.ts) against the IndexedDB store on
// fake-indexeddb, smaller: 8,000 records through map → keyBy → a per-key counter into an
// exactly-once sink, with six hard kills and two savepoint stops past 20 % of the input. After
// each savepoint stop the connection is closed and a new one opened on the same database, as a
// restarted process would, so the next job finds its sink and checkpoints only through storage.

import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { compareToReference, sinkWritesAsRecords } from '../../src/engine/checkpoint/delivery-report.ts';
import type { SinkWrite } from '../../src/engine/checkpoint/durable-store.ts';
import { runDurable } from '../../src/engine/checkpoint/job-driver.ts';
import { MemoryDurableStore } from '../../src/engine/checkpoint/memory-store.ts';
import { IdbDurableStore } from '../../src/storage/idb-store.ts';
import { copyPipeline, countedPerKey, expectedCopy, readCopy, runCopyInSegments } from '../engine/checkpoint/copy-harness.ts';

const COUNT = 8_000;

describe('the copy test on IndexedDB', () => {
  // Why: IndexedDB commits a sink transaction and a checkpoint manifest atomically and keeps them across connections, so the memory store's guarantees carry over.
  it('copies 8,000 records exactly, in per-key order, through six hard kills and two savepoint stops with reconnects, with readers seeing only completed checkpoints', async () => {
    const { build } = copyPipeline(COUNT);
    const refStore = new MemoryDurableStore();
    await runDurable(build, { store: refStore, jobId: 'reference', checkpointInterval: 400 });
    const reference = await readCopy(refStore);
    // The failure-free run (on the memory store, the reference model) is the plain loop's copy.
    expect(countedPerKey(reference)).toEqual(countedPerKey(expectedCopy(COUNT)));

    const factory = new IDBFactory();
    let store = await IdbDurableStore.open('copy', { indexedDB: factory });
    try {
      // One record per ms, a checkpoint every 400 ms: every stop is past 20 % (1,600 records).
      const run = await runCopyInSegments(store, {
        count: COUNT,
        checkpointInterval: 400,
        segments: [
          // A kill at 1.9 s, one right after the checkpoint of 2.4 s (before its commit); a clean stop at 3.2 s.
          { jobId: 'copy-a', crashes: { atProcessingTimes: [1_900], phases: [{ phase: 'afterCheckpointComplete', occurrence: 6 }] }, stopWithSavepointAt: 3_200 },
          // After its first checkpoint (3.6 s): a kill at 4.1 s, one tearing the checkpoint of 4.8 s; a clean stop at 5.6 s.
          { jobId: 'copy-b', crashes: { atProcessingTimes: [4_100], phases: [{ phase: 'midSnapshotWrite', occurrence: 4 }] }, stopWithSavepointAt: 5_600 },
          // A kill between a pre-commit and its commit, another at 7 s; then to the end.
          { jobId: 'copy-c', crashes: { atProcessingTimes: [7_000], phases: [{ phase: 'afterPreCommit', occurrence: 3 }] } },
        ],
        reference,
        reopen: async () => {
          store.close();
          store = await IdbDurableStore.open('copy', { indexedDB: factory });
          return store;
        },
      });
      expect(run.crashes).toBe(6);
      expect(run.savepoints).toBe(2);

      // Exactly the failure-free output, per key in source order, as a fresh connection reads it.
      store.close();
      store = await IdbDurableStore.open('copy', { indexedDB: factory });
      const [report] = compareToReference(sinkWritesAsRecords('copy', await refStore.sinkRead('copy')), sinkWritesAsRecords('copy', await store.sinkRead('copy')));
      expect(report!.exact, `${report!.duplicates} duplicated, ${report!.losses} lost`).toBe(true);
      expect(countedPerKey(await readCopy(store))).toEqual(countedPerKey(reference));
    } finally {
      store.close();
    }
  }, 30_000);

  // Bug (src/storage/idb-sinks.ts: appendToLog, sinkStage and sinkRead keep only key, value and
  // timestamp): a window result's `window` and `pane` (and a `retraction` flag) are dropped by the
  // IndexedDB store, while the memory store keeps them, as durable-store.ts's SinkWrite says stores
  // must. So an exactly-once or at-least-once window sink read back from IndexedDB no longer
  // compares equal to the failure-free run (compareToReference reports every pane lost), and a
  // reader cannot tell an ON_TIME pane from a LATE one. A Flink sink writes the whole record.
  it('a window result committed to IndexedDB reads back with its window and pane, as from the memory store', async () => {
    const write: SinkWrite = {
      key: 'k0',
      value: 3,
      timestamp: 999,
      window: { start: 0, end: 1_000 },
      pane: { timing: 'LATE', index: 1, onTimeIndex: 1, isFirst: false, isLast: false },
    };
    const store = await IdbDurableStore.open('panes', { indexedDB: new IDBFactory() });
    try {
      await store.sinkStage('windows', 'windows#0@1', [write]);
      await store.sinkCommit('windows', 'windows#0@1');
      // What was committed is what a reader sees.
      expect(await store.sinkRead('windows')).toEqual([write]);
    } finally {
      store.close();
    }
  });
});
