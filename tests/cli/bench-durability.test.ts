// The durability benchmarks of `npm run bench` on tiny inputs: each one runs, its contenders
// agree (same outputs, checked here against independent references), and it prints its closing
// lines. Timings are not checked.

import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/engine/api/index.ts';
import { runDurable } from '../../src/engine/checkpoint/job-driver.ts';
import { decodePart } from '../../src/engine/checkpoint/part-data.ts';
import { MemoryDurableStore } from '../../src/engine/checkpoint/memory-store.ts';
import { timeInterleavedAsync } from '../../src/cli/bench/async-harness.ts';
import { runCheckpointOverheadBenchmark } from '../../src/cli/bench/checkpoint-overhead.ts';
import { distinctWindowSums, windowSumPipeline, windowSumResultOf } from '../../src/cli/bench/durable-window-sum.ts';
import { runRecoveryBenchmark } from '../../src/cli/bench/recovery.ts';
import { jobWithKeyedState, runSnapshotWriteBenchmark } from '../../src/cli/bench/snapshot-write.ts';
import { TimedStore } from '../../src/cli/bench/timed-store.ts';
import { diffWindowSums } from '../../src/cli/bench/window-sum-compare.ts';
import { generateWindowSumDataset } from '../../src/cli/bench/window-sum-dataset.ts';
import { windowSumEngine } from '../../src/cli/bench/window-sum-engine.ts';
import { windowSumLoop } from '../../src/cli/bench/window-sum-loop.ts';

/** Short windows, so windows fire during a few seconds of processing time (and around a crash). */
const job = { windowSize: 1_000, outOfOrderness: 200, watermarkInterval: 100 };
const data = { job, keys: 50, rate: 1 };
const quiet = { repetitions: 1, seed: 3, verbose: false };

function collect(): { lines: string[]; print: (line: string) => void } {
  const lines: string[] = [];
  return { lines, print: (line) => void lines.push(line) };
}

describe('durable window sum', () => {
  it('is the window-sum benchmark\'s engine job', () => {
    const { records } = generateWindowSumDataset({ records: 60_000, keys: 50, rate: 2, seed: 5 }, job);
    const result = windowSumResultOf(runPipeline(windowSumPipeline(records, job)).records);
    expect(diffWindowSums('engine', windowSumEngine(records, job), 'pipeline', result)).toEqual([]);
    expect(diffWindowSums('loop', windowSumLoop(records, job), 'pipeline', result)).toEqual([]);
    expect(result.dropped).toBeGreaterThan(0);
  });

  it('removes repeated window results', () => {
    const { result, repeated } = distinctWindowSums({ keys: [1, 2, 1], windowStarts: [0, 0, 0], sums: [5, 6, 5], dropped: 2 });
    expect(result).toEqual({ keys: [1, 2], windowStarts: [0, 0], sums: [5, 6], dropped: 2 });
    expect(repeated).toBe(1);
  });
});

describe('async harness', () => {
  it('interleaves the rounds and checks the first timed run of a contender without warm-up', async () => {
    const order: string[] = [];
    const contender = (name: string, warmUp?: boolean) => ({
      name,
      ...(warmUp === undefined ? {} : { warmUp }),
      run: async (first: boolean) => {
        order.push(`${name}${first ? '*' : ''}`);
        return { result: `${name} ${order.length}`, millis: order.length };
      },
    });
    const timings = await timeInterleavedAsync([contender('a'), contender('b', false)], 2);
    expect(order).toEqual(['a*', 'a', 'b*', 'a', 'b']);
    expect(timings.map((t) => [t.name, t.result, t.millis])).toEqual([
      ['a', 'a 1', [2, 4]],
      ['b', 'b 3', [3, 5]],
    ]);
  });
});

describe('timed store', () => {
  it('forwards calls and records checkpoint sizes and time per method', async () => {
    const store = new TimedStore(new MemoryDurableStore());
    const { records } = generateWindowSumDataset({ records: 3_000, keys: 50, rate: 1, seed: 1 }, job);
    const result = await runDurable(windowSumPipeline(records, job), { store, jobId: 'j', checkpointInterval: 1000 });
    expect(store.checkpointSizes).toHaveLength(result.completedCheckpoints);
    expect(store.checkpointIds).toEqual(Array.from({ length: result.completedCheckpoints }, (_, i) => i + 1));
    const listed = await store.inner.listCheckpoints('j');
    expect(store.checkpointSizes.at(-1)).toBe(listed[0]!.parts.reduce((n, p) => n + p.size, 0));
    expect(store.calls.get('writeCheckpoint')).toBe(result.completedCheckpoints);
    expect(store.millis.get('listCheckpoints')).toBeGreaterThan(0);
  });
});

describe('checkpointing overhead benchmark', () => {
  it('runs the job checkpointed (on the wall clock), plain and with runPipeline, and they agree', async () => {
    const { lines, print } = collect();
    // An interval of 0 ms: a checkpoint after every slice of steps, so a small run takes several.
    const report = await runCheckpointOverheadBenchmark({ ...quiet, ...data, records: 3_000, checkpointInterval: 0 }, print);
    expect(report.differences).toEqual([]);
    const { records } = generateWindowSumDataset({ records: 3_000, keys: 50, rate: 1, seed: 3 }, job);
    const expected = windowSumLoop(records, job);
    for (const name of ['checkpointed', 'plain', 'runPipeline']) {
      expect(diffWindowSums('loop', expected, name, report.runs.get(name)!.output)).toEqual([]);
    }
    expect(report.runs.get('checkpointed')!.checkpointSizes.length).toBeGreaterThanOrEqual(2);
    // The plain run takes only the final checkpoint at the end of input (Flink's FLIP-147).
    expect(report.runs.get('plain')!.checkpointSizes).toHaveLength(1);
    expect(report.ratio).toBeGreaterThan(0);
    expect(lines.some((l) => /^ {2}periodic checkpoints: [\d, ]+ in the \d+ timed runs, average size /.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('  target: checkpointed/plain >= 0.90: '))).toBe(true);
    expect(lines.at(-1)).toMatch(/^ratio checkpointed\/plain \d+\.\d\d$/);
  });
});

describe('snapshot write benchmark', () => {
  it('builds a job holding one ValueState per key, mid-run', () => {
    const snapshot = jobWithKeyedState(500, 1).snapshot(1);
    const part = snapshot.parts.find((p) => p.name.startsWith('process'))!;
    const decoded = decodePart<{ finished: boolean; state: { table: string; entries: unknown[][] }[] }>(part.data);
    expect(decoded.finished).toBe(false);
    const table = decoded.state.find((t) => t.table === 'total')!;
    expect(table.entries.map((e) => e[0])).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });

  it('writes the same parts through the driver path and in bulk', async () => {
    const { lines, print } = collect();
    const report = await runSnapshotWriteBenchmark({ ...quiet, keys: 500 }, print);
    expect(report.differences).toEqual([]);
    const snapshot = report.runs.get('snapshot')!;
    const bulk = report.runs.get('bulk-write')!;
    expect(snapshot.parts.length).toBe(4);
    expect(bulk.parts).toEqual(snapshot.parts);
    expect(snapshot.sameBytes).toBe(true);
    expect(report.ratio).toBeGreaterThan(0);
    expect(lines.some((l) => /^  driver path, by phase \(medians\): job.snapshotDeferred\(\) .*; in the one transaction: encoding chunks .*, puts .*, chunk checksums .*, manifest .*; then the commit /.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('  target: snapshot/bulk-write <= 1.50: '))).toBe(true);
    // With incremental checkpoints, the checkpoint after 10 of the 500 keys changed writes a small delta.
    const incremental = lines.find((l) => l.startsWith('  incremental (--incremental): after 10 of 500 keys changed, the next checkpoint'));
    expect(incremental).toMatch(/writing 2 K chars \(the full one before it: 5 K chars\); read back, its state equals a full snapshot's$/);
    expect(lines.at(-1)).toMatch(/^ratio snapshot\/bulk-write \(fake-indexeddb\) \d+\.\d\d$/);
  });
});

describe('recovery benchmark', () => {
  it('crashes and recovers on both stores, with a crash-free run\'s output once repeats are removed', async () => {
    const { lines, print } = collect();
    const report = await runRecoveryBenchmark({ ...quiet, ...data, records: 4_000, crashAt: 3_500, checkpointInterval: 1000 }, print);
    expect(report.differences).toEqual([]);
    const { records } = generateWindowSumDataset({ records: 4_000, keys: 50, rate: 1, seed: 3 }, job);
    const expected = windowSumLoop(records, job);
    for (const name of ['memory', 'idb']) {
      const run = report.runs.get(name)!;
      expect(diffWindowSums('loop', expected, name, run.output)).toEqual([]);
      expect(run.attempts).toBe(2);
      expect(run.restoredFrom).toBe(3);
      expect(run.restoredSize).toBeGreaterThan(0);
      // Window [2000, 3000) fired after checkpoint 3 and before the crash: the replay repeats it.
      expect(run.repeated).toBeGreaterThan(0);
      expect(run.storeMillis.get('listCheckpoints')).toBeGreaterThan(0);
    }
    expect(lines.slice(-2).map((l) => l.replace(/\d+\.\d$/, 'N'))).toEqual(['recovery memory ms N', 'recovery idb ms N']);
  });
});
