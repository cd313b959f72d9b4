// The durable driver: crashes are real (the job object is thrown away and rebuilt from the
// store), recovery restores the newest complete checkpoint, and failures follow the restart
// strategy. Every expectation is checked against the failure-free run of the same job.

import { describe, expect, it } from 'vitest';
import {
  boundedOutOfOrderness,
  runPipeline,
  tumblingWindows,
  type PipelineBuilder,
  type TraceEvent,
} from '../../../src/engine/api/index.ts';
import { runDurable } from '../../../src/engine/checkpoint/job-driver.ts';
import { MemoryDurableStore } from '../../../src/engine/checkpoint/memory-store.ts';
import { toJson } from '../../../src/engine/trace/json.ts';

interface Reading {
  meter: string;
  kwh: number;
  seq: number;
}

/** 400 readings of 4 meters, one every 50 ms, summed per meter in 1 s windows, plus every reading echoed. */
function pipeline(poisonAt?: number): PipelineBuilder {
  const readings: Reading[] = Array.from({ length: 400 }, (_, i) => ({ meter: `m${i % 4}`, kwh: (i % 7) + 1, seq: i }));
  return (p) => {
    const s = p.fromArray(readings, { timestampOf: (r) => r.seq * 50, watermarks: boundedOutOfOrderness(100) });
    s.keyBy((r) => r.meter).window(tumblingWindows(1000)).sum((r) => r.kwh).sink('sums');
    s.map((r) => {
      if (r.seq === poisonAt) throw new Error(`cannot parse reading ${r.seq}`);
      return r.seq;
    }).sink('echo');
  };
}

const key = (r: { sink: string; key?: unknown; value: unknown; timestamp: number; window?: unknown; pane?: unknown }) =>
  toJson({ sink: r.sink, key: r.key, value: r.value, timestamp: r.timestamp, window: r.window, pane: r.pane });

function counts(records: readonly Parameters<typeof key>[0][]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of records) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
  return m;
}

describe.each([false, true])('runDurable (incremental checkpoints: %s)', (incremental) => {
  it('without crashes gives exactly the headless run', async () => {
    const reference = runPipeline(pipeline()).records;
    const r = await runDurable(pipeline(), { store: new MemoryDurableStore(), jobId: 'j', checkpointInterval: 1000, incremental });
    expect(r.finished).toBe(true);
    expect(r.records.map(key)).toEqual(reference.map(key));
    // 400 readings over 20 s of processing time: a checkpoint every second until the end.
    expect(r.completedCheckpoints).toBeGreaterThanOrEqual(18);
  });

  it('after real crashes, plain sinks lose nothing and repeat only what came after the restored checkpoint', async () => {
    const reference = counts(runPipeline(pipeline()).records);
    const trace: TraceEvent[] = [];
    const r = await runDurable(pipeline(), {
      store: new MemoryDurableStore(),
      jobId: 'j',
      checkpointInterval: 1000, incremental,
      crashes: { atProcessingTimes: [3_500, 9_250, 14_999] },
      onTrace: (e) => trace.push(e),
    });
    expect(r.finished).toBe(true);
    expect(r.attempts).toBe(4);
    const got = counts(r.records);
    for (const [k, n] of reference) expect(got.get(k) ?? 0, k).toBeGreaterThanOrEqual(n);
    // Each crash replays from the last checkpoint (at 3000, 9000 and 14000): the echoes between
    // the checkpoint and the crash appear twice, nothing else does.
    const echoes = r.records.filter((x) => x.sink === 'echo').map((x) => x.value as number);
    const twice = [...new Set(echoes)].filter((v) => echoes.filter((e) => e === v).length === 2).sort((a, b) => a - b);
    const between = (from: number, to: number) => echoes.filter((v, i) => echoes.indexOf(v) === i && v * 50 > from && v * 50 < to);
    expect(twice).toEqual([...between(3000, 3500), ...between(9000, 9250), ...between(14000, 14999)].sort((a, b) => a - b));
    expect(trace.filter((e) => e.type === 'jobRestored').map((e) => (e.type === 'jobRestored' ? e.checkpointId : 0))).toEqual([3, 9, 14]);
  });

  it('never restores a torn checkpoint: a crash between its parts and its manifest falls back to the one before', async () => {
    const trace: TraceEvent[] = [];
    const store = new MemoryDurableStore();
    const r = await runDurable(pipeline(), {
      store,
      jobId: 'j',
      checkpointInterval: 1000, incremental,
      crashes: { phases: [{ phase: 'midSnapshotWrite', occurrence: 5 }] },
      onTrace: (e) => trace.push(e),
    });
    expect(r.finished).toBe(true);
    // The 5th checkpoint's parts were written but not its manifest: recovery restores the 4th.
    expect(trace.find((e) => e.type === 'jobRestored')).toMatchObject({ checkpointId: 4, attempt: 2 });
    expect(counts(r.records).size).toBe(counts(runPipeline(pipeline()).records).size);
  });

  it('shows a restart loop from a poison record, and gives up as the restart strategy says', async () => {
    const trace: TraceEvent[] = [];
    const r = await runDurable(pipeline(123), {
      store: new MemoryDurableStore(),
      jobId: 'j',
      checkpointInterval: 1000, incremental,
      restart: { kind: 'fixedDelay', attempts: 2, delay: 5000 },
      onTrace: (e) => trace.push(e),
    });
    expect(r.finished).toBe(false);
    expect(r.attempts).toBe(3);
    expect(r.downtime).toBe(10_000);
    // The same record fails every attempt, each time after restoring the same checkpoint.
    const crashes = trace.filter((e) => e.type === 'jobCrashed').map((e) => (e.type === 'jobCrashed' ? e.reason : ''));
    expect(crashes).toHaveLength(3);
    expect(new Set(crashes).size).toBe(1);
    expect(crashes[0]).toContain('cannot parse reading 123');
    expect(trace.filter((e) => e.type === 'jobRestored').map((e) => (e.type === 'jobRestored' ? e.checkpointId : -1))).toEqual([6, 6]);
  });

  it('a dead-letter side output ends the restart loop: the poison record is routed aside and the job finishes', async () => {
    const readings: Reading[] = Array.from({ length: 400 }, (_, i) => ({ meter: `m${i % 4}`, kwh: (i % 7) + 1, seq: i }));
    const parse = (r: Reading): number => {
      if (r.seq === 123) throw new Error(`cannot parse reading ${r.seq}`);
      return r.seq;
    };
    const fixed: PipelineBuilder = (p) => {
      const parsed = p.fromArray(readings, { timestampOf: (r) => r.seq * 50 }).process<number>({
        processElement(r, ctx) {
          try {
            ctx.output(parse(r));
          } catch (e) {
            // The fix for a restart loop: keep the bad record, with why, instead of failing the job.
            ctx.outputTo('dead-letters', { reading: r, error: (e as Error).message });
          }
        },
      });
      parsed.sink('echo');
      parsed.getSideOutput<{ reading: Reading; error: string }>('dead-letters').sink('dead-letters');
    };
    const r = await runDurable(fixed, { store: new MemoryDurableStore(), jobId: 'j', checkpointInterval: 1000, incremental, restart: { kind: 'fixedDelay', attempts: 2, delay: 5000 } });
    expect(r.finished).toBe(true);
    expect(r.failures).toEqual([]);
    expect(r.records.filter((x) => x.sink === 'echo')).toHaveLength(399);
    expect(r.records.filter((x) => x.sink === 'dead-letters').map((x) => x.value)).toEqual([
      { reading: { meter: 'm3', kwh: 5, seq: 123 }, error: 'cannot parse reading 123' },
    ]);
  });

  it('keeps running on its last good checkpoint when the store is full', async () => {
    const trace: TraceEvent[] = [];
    const r = await runDurable(pipeline(), {
      // Checkpoints of this job are about 4.3 KB; a 10 KB quota holds two.
      store: new MemoryDurableStore({ quotaBytes: 10_000 }),
      jobId: 'j',
      checkpointInterval: 1000, incremental,
      onTrace: (e) => trace.push(e),
    });
    expect(r.finished).toBe(true);
    const failed = trace.filter((e) => e.type === 'checkpointFailed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]).toMatchObject({ type: 'checkpointFailed' });
    expect(JSON.stringify(failed[0])).toContain('QuotaExceededError');
    expect(r.records.map(key)).toEqual(runPipeline(pipeline()).records.map(key));
  });
});
