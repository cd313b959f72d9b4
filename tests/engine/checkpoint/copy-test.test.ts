// The copy test: 100,000 records through map → keyBy → a per-key counter into an exactly-once
// sink, while the job is stopped eight times past 20 % of the input — six hard kills (crashes at
// processing times and in the middle of checkpointing) and two clean stops (stop with a
// savepoint, then a new job started from it writing into the same sink). The output must be a
// perfect copy: nothing duplicated, nothing lost, each key's records in source order; and after
// every stop a reader of the sink sees only what completed checkpoints cover — exactly the output
// of the records before some complete checkpoint's source offsets, a per-key prefix of the final
// output (copy-harness.ts checks that). The oracles are a plain loop over the input and the
// failure-free run.

import { describe, expect, it } from 'vitest';
import type { PipelineBuilder } from '../../../src/engine/api/index.ts';
import { compareToReference, sinkWritesAsRecords } from '../../../src/engine/checkpoint/delivery-report.ts';
import { runDurable } from '../../../src/engine/checkpoint/job-driver.ts';
import { MemoryDurableStore } from '../../../src/engine/checkpoint/memory-store.ts';
import { copyPipeline, countedPerKey, expectedCopy, readCopy, runCopyInSegments } from './copy-harness.ts';

const COUNT = 100_000;

describe('the copy test', () => {
  // Why: aligned barriers cut the stream consistently and two-phase commit publishes each cut once, so killing or stopping the job anywhere copies every record once.
  it('copies 100,000 records exactly, in per-key order, through six hard kills and two savepoint stops, with readers seeing only completed checkpoints', async () => {
    const { build } = copyPipeline(COUNT);
    const oracle = expectedCopy(COUNT);
    const refStore = new MemoryDurableStore();
    const ref = await runDurable(build, { store: refStore, jobId: 'reference', checkpointInterval: 2_000 });
    expect(ref.finished).toBe(true);
    const reference = await readCopy(refStore);
    // The failure-free run is itself a perfect copy: the plain loop's records, per key in order.
    expect(countedPerKey(reference)).toEqual(countedPerKey(oracle));

    const store = new MemoryDurableStore();
    // One record per ms, a checkpoint every 2 s: every stop is past 20 % (20,000 records).
    const run = await runCopyInSegments(store, {
      count: COUNT,
      checkpointInterval: 2_000,
      segments: [
        // Hard kills at 21.5 s and right after the checkpoint of 30 s (before its commit); a clean stop at 40 s.
        { jobId: 'copy-a', crashes: { atProcessingTimes: [21_500], phases: [{ phase: 'afterCheckpointComplete', occurrence: 15 }] }, stopWithSavepointAt: 40_000 },
        // From the savepoint: a hard kill at 55.5 s, one tearing the checkpoint of 60 s (parts written, no manifest); a clean stop at 70 s.
        { jobId: 'copy-b', crashes: { atProcessingTimes: [55_500], phases: [{ phase: 'midSnapshotWrite', occurrence: 10 }] }, stopWithSavepointAt: 70_000 },
        // From the second savepoint: a kill between pre-commit and commit, another at 88.9 s; then to the end.
        { jobId: 'copy-c', crashes: { atProcessingTimes: [88_888], phases: [{ phase: 'afterPreCommit', occurrence: 5 }] } },
      ],
      reference,
    });
    expect(run.crashes).toBe(6);
    expect(run.savepoints).toBe(2);

    // A perfect copy: the failure-free output as a multiset, nothing repeated, per key in source order.
    const copied = await readCopy(store);
    const [report] = compareToReference(sinkWritesAsRecords('copy', await refStore.sinkRead('copy')), sinkWritesAsRecords('copy', await store.sinkRead('copy')));
    expect(report!.exact, `${report!.duplicates} duplicated, ${report!.losses} lost`).toBe(true);
    expect(copied).toHaveLength(COUNT);
    expect(countedPerKey(copied)).toEqual(countedPerKey(oracle));
  }, 90_000); // ~10 s alone; several times that on two busy cores (CI runs test files in parallel)

  // Bug (src/engine/checkpoint/job-driver.ts, runDurable's restart path): `fromSavepoint` is used
  // only on attempt 1. When a job started from a savepoint crashes before its own first checkpoint
  // completes, the next attempt finds no checkpoint of its jobId and calls job.start(): state
  // empty, sources at offset 0. The exactly-once sink then commits everything before the savepoint
  // a second time (here 21 of 40 records twice). Flink registers the savepoint as the job's first
  // completed checkpoint, so a failover before the first checkpoint restores the savepoint again.
  it('a job started from a savepoint that crashes before its first checkpoint recovers from the savepoint, not from scratch', async () => {
    const records = Array.from({ length: 40 }, (_, i) => ({ value: i, timestamp: i * 10, arrival: i * 10 }));
    const build: PipelineBuilder = (p) => {
      p.fromRecords(records, { uid: 'source' }).map((v) => v).uid('map').sinkTo('out', { guarantee: 'exactlyOnce', uid: 'out' });
    };
    const store = new MemoryDurableStore();
    const first = await runDurable(build, { store, jobId: 'first', checkpointInterval: 100, stopWithSavepointAt: 200 });
    // Crash at 250, before the resumed job's first checkpoint (due at 300).
    await runDurable(build, { store, jobId: 'second', checkpointInterval: 100, fromSavepoint: { file: first.savepoint! }, crashes: { atProcessingTimes: [250] } });
    // Every record once.
    expect((await store.sinkRead('out')).map((w) => w.value)).toEqual(records.map((r) => r.value));
  });
});
