// Checkpoint timeouts (Flink's CHECKPOINT_EXPIRED) and the processing cost that makes alignment
// take virtual time: a checkpoint not complete within the timeout is aborted, what its barriers
// blocked is released, later checkpoints go on, and exactly-once output stays exact.

import { describe, expect, it } from 'vitest';
import type { PipelineBuilder, TraceEvent } from '../../../src/engine/api/index.ts';
import { DurableSession, type SessionOptions } from '../../../src/engine/checkpoint/durable-session.ts';
import { runDurable } from '../../../src/engine/checkpoint/job-driver.ts';
import { MemoryDurableStore } from '../../../src/engine/checkpoint/memory-store.ts';

const EXPIRED = (ms: number) => `Checkpoint expired before completing (timeout after ${ms} ms).`;

/** Five records at 0 through a map that works 100 ms per record, then an exactly-once sink. */
const chain: PipelineBuilder = (p) => {
  const input = [0, 1, 2, 3, 4].map((i) => ({ value: i, timestamp: 0, arrival: 0 }));
  p.fromRecords(input, { uid: 'src' }).map((x) => x * 10).uid('slow').sinkTo('out', { guarantee: 'exactlyOnce', uid: 'out' });
};

/**
 * Source `a` sends five records at 0 and one at 700 through the slow map; source `b` sends one record every
 * 50 ms straight to the union, whose alignment waits for the slow channel's barrier.
 */
const slowAndFast: PipelineBuilder = (p) => {
  const slow = [0, 0, 0, 0, 0, 700].map((t, i) => ({ value: `A${i}`, timestamp: t, arrival: t }));
  const fast = Array.from({ length: 12 }, (_, i) => ({ value: `b${i}`, timestamp: i * 50, arrival: i * 50 }));
  const a = p.fromRecords(slow, { uid: 'a', name: 'a' }).map((x) => x).uid('slow');
  a.union(p.fromRecords(fast, { uid: 'b', name: 'b' })).uid('union').sinkTo('out', { guarantee: 'exactlyOnce', uid: 'out' });
};

/** Runs a session to its end; the checkpoint events, when each sink record was emitted, and what the sink holds. */
async function run(build: PipelineBuilder, options: Partial<SessionOptions>) {
  const store = new MemoryDurableStore();
  const trace: TraceEvent[] = [];
  const s = await DurableSession.open(build, { store, jobId: 'j', checkpointInterval: 200, resume: false, onTrace: (e) => trace.push(e), ...options });
  while (!s.finished) await s.advance();
  const checkpoints = trace.flatMap((e) => {
    if (e.type === 'checkpointTriggered') return [`${e.pt} triggered ${e.checkpointId}`];
    if (e.type === 'checkpointCompleted') return [`${e.pt} completed ${e.checkpointId}`];
    if (e.type === 'checkpointFailed') return [`${e.pt} failed ${e.checkpointId}: ${e.reason}${e.expired ? ' (expired)' : ''}`];
    return [];
  });
  const emitted = trace.flatMap((e) => (e.type === 'sinkRecord' ? [`${String(e.value)}@${e.pt}`] : []));
  return { checkpoints, emitted, trace, visible: (await store.sinkRead('out')).map((w) => w.value) };
}

describe('checkpoint timeout', () => {
  it('aborts a checkpoint whose alignment waits behind a slow channel, releases what it blocked, and goes on', async () => {
    const r = await run(slowAndFast, { checkpointTimeout: 250, processingCost: { slow: 100 } });
    expect(r.checkpoints).toEqual([
      '200 triggered 1',
      '400 triggered 2',
      `450 failed 1: ${EXPIRED(250)} (expired)`,
      '500 completed 2',
      '600 triggered 3',
      '600 completed 3',
      // The final checkpoint, at the end of the input (A5 leaves the map at 800).
      '800 triggered 4',
      '800 completed 4',
    ]);
    // b5..b8 waited behind barrier 1 on the union's fast channel until it was aborted at 450; the
    // slow map's records leave it at 500, when its 500 ms of work are done.
    expect(r.emitted).toEqual([
      'b0@0', 'b1@50', 'b2@100', 'b3@150', 'b4@200',
      'b5@450', 'b6@450', 'b7@450', 'b8@450',
      'A0@500', 'A1@500', 'A2@500', 'A3@500', 'A4@500',
      'b9@500', 'b10@500', 'b11@550', 'A5@800',
    ]);
    const aligned = r.trace.filter((e) => e.type === 'barrierAligned' && e.operator === 'union');
    // Checkpoint 1 never aligned there; 2 did once the slow channel's barrier came, with b9 waiting behind it.
    expect(aligned).toEqual([
      { type: 'barrierAligned', pt: 500, operator: 'union', subtask: 0, checkpointId: 2, blockedRecords: 1 },
      { type: 'barrierAligned', pt: 600, operator: 'union', subtask: 0, checkpointId: 3, blockedRecords: 0 },
    ]);
    // The aborted checkpoint committed nothing: its records went with checkpoint 2.
    const commits = r.trace.filter((e) => e.type === 'sinkCommitted').map((e) => (e.type === 'sinkCommitted' ? `${e.transaction}:${e.records}` : ''));
    expect(commits).toEqual(['out#0@2:14', 'out#0@3:3', 'out#0@4:1']);
    expect(r.visible).toEqual(r.emitted.map((x) => x.split('@')[0]));
  });

  it('a checkpoint completing exactly at the timeout is in time; one ms less and it expires', async () => {
    const inTime = await run(chain, { checkpointTimeout: 300, processingCost: { slow: 100 } });
    expect(inTime.checkpoints).toEqual(['200 triggered 1', '400 triggered 2', '500 completed 1', '500 completed 2', '500 triggered 3', '500 completed 3']);
    const late = await run(chain, { checkpointTimeout: 299, processingCost: { slow: 100 } });
    expect(late.checkpoints).toEqual(['200 triggered 1', '400 triggered 2', `499 failed 1: ${EXPIRED(299)} (expired)`, '500 completed 2', '500 triggered 3', '500 completed 3']);
    expect(late.visible).toEqual([0, 10, 20, 30, 40]);
    expect(late.emitted).toEqual(['0@500', '10@500', '20@500', '30@500', '40@500']);
  });

  it('unaligned checkpoints overtake the queued input, so the same slow job checkpoints in time', async () => {
    const r = await run(slowAndFast, { checkpointTimeout: 250, processingCost: { slow: 100 }, checkpointMode: 'unaligned' });
    expect(r.checkpoints.filter((c) => c.includes('failed'))).toEqual([]);
    expect(r.checkpoints.slice(0, 4)).toEqual(['200 triggered 1', '200 completed 1', '400 triggered 2', '400 completed 2']);
  });

  it('never fires without a processing cost: barriers then align at the time they are injected', async () => {
    const r = await run(slowAndFast, { checkpointTimeout: 1 });
    expect(r.checkpoints).toEqual(['200 triggered 1', '200 completed 1', '400 triggered 2', '400 completed 2', '600 triggered 3', '600 completed 3', '700 triggered 4', '700 completed 4']);
  });

  it('with timeouts, a processing cost and crashes, exactly-once output is the failure-free output', async () => {
    const readings = Array.from({ length: 60 }, (_, i) => ({ value: { k: `k${i % 3}`, i }, timestamp: i * 20, arrival: i * 20 }));
    const build: PipelineBuilder = (p) => {
      p.fromRecords(readings, { uid: 'src', partitions: 2 })
        .keyBy((r) => r.k)
        .process<string>({
          processElement(r, ctx) {
            const n = ctx.state.value<number>('n');
            n.update((n.value() ?? 0) + 1);
            ctx.output(`${r.i}:${n.value()}`);
          },
        }, { parallelism: 2 })
        .uid('count')
        .sinkTo('out', { guarantee: 'exactlyOnce', uid: 'out' });
    };
    const common = { jobId: 'j', checkpointInterval: 100, checkpointTimeout: 120, processingCost: { count: 45 } } as const;
    for (const checkpointMode of ['aligned', 'unaligned'] as const) {
      const refStore = new MemoryDurableStore();
      let refExpired = 0;
      const ref = await runDurable(build, { ...common, checkpointMode, store: refStore, onTrace: (e) => void (e.type === 'checkpointFailed' && e.expired && refExpired++) });
      expect(ref.finished).toBe(true);
      if (checkpointMode === 'aligned') expect(refExpired).toBeGreaterThan(0);
      const expected = (await refStore.sinkRead('out')).map((w) => w.value).sort();
      expect(expected).toHaveLength(60);
      for (const at of [[350], [710, 1_333], [505, 905, 1_210]]) {
        const store = new MemoryDurableStore();
        const r = await runDurable(build, { ...common, checkpointMode, store, crashes: { atProcessingTimes: at } });
        expect(r.finished).toBe(true);
        expect(r.attempts).toBe(at.length + 1);
        expect((await store.sinkRead('out')).map((w) => w.value).sort(), `${checkpointMode} crashes at ${at}`).toEqual(expected);
      }
    }
  });
});
