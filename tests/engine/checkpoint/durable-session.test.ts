// The steppable durable session: however its run is cut into calls it gives runDurable's trace
// and output byte for byte; a session simply dropped mid-run (a killed worker) is recovered by a
// new one from the store alone; checkpoints and savepoints can be taken while it runs; failures
// follow the restart strategy inside the session.

import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { boundedOutOfOrderness, sessionWindows, tumblingWindows, type PipelineBuilder, type TraceEvent } from '../../../src/engine/api/index.ts';
import { DurableSession, type AdvanceLimit, type SessionOptions } from '../../../src/engine/checkpoint/durable-session.ts';
import type { DurableStore } from '../../../src/engine/checkpoint/durable-store.ts';
import { runDurable, type DurableRunOptions } from '../../../src/engine/checkpoint/job-driver.ts';
import { MemoryDurableStore } from '../../../src/engine/checkpoint/memory-store.ts';
import { toJson } from '../../../src/engine/trace/json.ts';

interface Reading {
  meter: string;
  kwh: number;
  seq: number;
}

/** 120 readings of 4 meters arriving every 50 ms (some out of order): exactly-once window sums, sessions and an echo. */
function pipeline(options: { failOnceAt?: number; poisonAt?: number } = {}): PipelineBuilder {
  const readings = Array.from({ length: 120 }, (_, i) => ({
    value: { meter: `m${i % 4}`, kwh: (i % 7) + 1, seq: i },
    timestamp: Math.max(0, i * 50 - ((i * 37) % 120)),
    arrival: i * 50,
  }));
  let failed = false;
  return (p) => {
    const s = p.fromRecords<Reading>(readings, { uid: 'readings', watermarks: boundedOutOfOrderness(150) });
    s.keyBy((r) => r.meter).window(tumblingWindows(1000)).sum((r) => r.kwh).uid('sums').sinkTo('sums', { guarantee: 'exactlyOnce' });
    s.keyBy((r) => r.meter).window(sessionWindows(120)).count().uid('sessions').sink('sessions');
    s.map((r) => {
      if (r.seq === options.poisonAt) throw new Error(`cannot parse reading ${r.seq}`);
      if (r.seq === options.failOnceAt && !failed) {
        failed = true;
        throw new Error(`transient failure at reading ${r.seq}`);
      }
      return r.seq;
    })
      .uid('echo')
      .sink('echo');
  };
}

/** The sessions' options; each block below runs once with full and once with incremental checkpoints. */
let base: { readonly jobId: 'meters'; readonly seed: 7; readonly checkpointInterval: 1000; readonly incremental: boolean } = { jobId: 'meters', seed: 7, checkpointInterval: 1000, incremental: false };

/** Runs the pipeline with runDurable on a fresh store: trace lines, plain records, what the exactly-once sink holds. */
async function reference(build: PipelineBuilder, options: Partial<DurableRunOptions> = {}) {
  const store = new MemoryDurableStore();
  const trace: string[] = [];
  const r = await runDurable(build, { ...base, store, ...options, onTrace: (e) => trace.push(toJson(e)) });
  return { result: r, trace, records: r.records.map((x) => toJson(x)), sums: await store.sinkRead('sums') };
}

/** Opens a session with the test's defaults. */
function open(build: PipelineBuilder, store: DurableStore, options: Partial<SessionOptions> = {}, trace?: TraceEvent[]): Promise<DurableSession> {
  return DurableSession.open(build, { ...base, store, resume: false, ...options, ...(trace ? { onTrace: (e) => trace.push(e) } : {}) });
}

async function runToEnd(s: DurableSession): Promise<void> {
  while (!s.finished && s.failed === undefined) await s.advance();
}

describe.each([false, true])('DurableSession (incremental checkpoints: %s)', (incremental) => {
  beforeAll(() => {
    base = { ...base, incremental };
  });

  it('cut into random pieces of steps and times, gives runDurable\'s trace, records and sink contents byte for byte', async () => {
    const crashes = { atProcessingTimes: [2_130, 4_400], phases: [{ phase: 'afterPreCommit' as const, occurrence: 3 }, { phase: 'midSnapshotWrite' as const, occurrence: 5 }] };
    const ref = await reference(pipeline(), { crashes });
    expect(ref.result.attempts).toBe(5);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.record({ maxSteps: fc.integer({ min: 1, max: 40 }) }), fc.record({ dt: fc.integer({ min: 1, max: 700 }) })), { minLength: 1, maxLength: 30 }),
        async (pieces) => {
          const store = new MemoryDurableStore();
          const trace: string[] = [];
          const s = await DurableSession.open(pipeline(), { ...base, store, crashes, resume: 'continue', onTrace: (e) => trace.push(toJson(e)) });
          // Time pieces move a horizon that only grows, so pieces shorter than the gap to the next
          // event still get there (measured from the clock alone, they could wait forever).
          let horizon = s.now;
          for (let i = 0; !s.finished; i++) {
            const piece = pieces[i % pieces.length]!;
            if (!('maxSteps' in piece)) horizon = Math.max(horizon, s.now) + piece.dt;
            const limit: AdvanceLimit = 'maxSteps' in piece ? piece : { untilTime: horizon };
            const before = s.now;
            const r = await s.advance(limit);
            if ('maxSteps' in piece) expect(r.steps).toBeLessThanOrEqual(piece.maxSteps);
            // The clock goes back only when a crash restores an earlier checkpoint.
            if (r.pt < before) expect(s.attempt).toBeGreaterThan(1);
          }
          expect(trace).toEqual(ref.trace);
          expect(s.records.map((x) => toJson(x))).toEqual(ref.records);
          expect(await store.sinkRead('sums')).toEqual(ref.sums);
          expect(s.attempt).toBe(5);
        },
      ),
      { numRuns: 25 },
    );
  }, 60_000);

  it('advance with untilTime runs exactly the events due by then, and none after', async () => {
    const full = (await reference(pipeline())).trace.map((line) => JSON.parse(line) as TraceEvent);
    for (const until of [0, 49, 50, 999, 1000, 1001, 3_333]) {
      const trace: TraceEvent[] = [];
      const s = await open(pipeline(), new MemoryDurableStore(), {}, trace);
      const r = await s.advance({ untilTime: until });
      expect(trace, `until ${until}`).toEqual(full.filter((e) => e.pt <= until));
      expect(r.pt).toBe(Math.max(...trace.map((e) => e.pt)));
      expect(r.finished).toBe(false);
      // Once there, it does not move on.
      expect((await s.advance({ untilTime: until })).steps).toBe(0);
    }
  });

  it('a session dropped mid-run is recovered by a new one from the store alone, and exactly-once output is the failure-free one', async () => {
    const ref = await reference(pipeline());
    const store = new MemoryDurableStore();
    const first = await open(pipeline(), store);
    await first.advance({ untilTime: 3_520 });
    expect(first.now).toBe(3_500);
    // Killed: the object is simply dropped; only the store remains. Readers see what checkpoint 3 committed.
    const committed = await store.sinkRead('sums');
    expect(committed).toEqual(ref.sums.filter((w) => (w.window as { end: number }).end <= 2_000));

    const trace: TraceEvent[] = [];
    const second = await DurableSession.open(pipeline(), { ...base, store, resume: true, attempt: 2, onTrace: (e) => trace.push(e) });
    expect(second.now).toBe(3_000);
    expect(second.attempt).toBe(2);
    expect(second.restoredFrom).toBe(3);
    expect(trace.slice(0, 2).map((e) => e.type)).toEqual(['jobStarted', 'jobRestored']);
    expect(trace[1]).toEqual({ type: 'jobRestored', pt: 3_000, attempt: 2, checkpointId: 3 });
    await runToEnd(second);
    expect(second.finished).toBe(true);
    expect(await store.sinkRead('sums')).toEqual(ref.sums);
  });

  it('resumed on a store without a checkpoint, starts over and says so; a fresh start forgets the earlier run', async () => {
    const store = new MemoryDurableStore();
    const first = await open(pipeline(), store, { checkpointInterval: null });
    await first.advance({ untilTime: 2_500 });
    const trace: TraceEvent[] = [];
    const resumed = await DurableSession.open(pipeline(), { ...base, checkpointInterval: null, store, resume: true, attempt: 2, onTrace: (e) => trace.push(e) });
    expect(trace.slice(0, 2)).toEqual([expect.objectContaining({ type: 'jobStarted' }), { type: 'jobRestored', pt: 0, attempt: 2, checkpointId: null }]);
    await runToEnd(resumed);
    const ref = await reference(pipeline());
    expect(await store.sinkRead('sums')).toEqual(ref.sums);
    expect(await store.listCheckpoints('meters')).toHaveLength(1);

    // A fresh start deletes the job's checkpoints and its sinks' records first.
    const fresh = await open(pipeline(), store);
    expect(await store.listCheckpoints('meters')).toEqual([]);
    expect(await store.sinkRead('sums')).toEqual([]);
    await runToEnd(fresh);
    expect(await store.sinkRead('sums')).toEqual(ref.sums);
  });

  it('checkpointNow returns each checkpoint\'s id once it completed, without periodic checkpoints', async () => {
    const store = new MemoryDurableStore();
    const trace: TraceEvent[] = [];
    const s = await open(pipeline(), store, { checkpointInterval: null }, trace);
    await s.advance({ untilTime: 1_200 });
    expect(await s.checkpointNow()).toBe(1);
    await s.advance({ maxSteps: 7 });
    expect(await s.checkpointNow()).toBe(2);
    expect((await store.listCheckpoints('meters')).map((m) => m.checkpointId)).toEqual([2, 1]);
    expect(trace.filter((e) => e.type === 'checkpointCompleted').map((e) => (e.type === 'checkpointCompleted' ? e.checkpointId : 0))).toEqual([1, 2]);
    await runToEnd(s);
    // The final checkpoint is the third.
    expect(s.completedCheckpoints).toBe(3);
    expect(await store.sinkRead('sums')).toEqual((await reference(pipeline())).sums);
  });

  it('checkpointNow returns null when the store cannot take the checkpoint, and the job runs on', async () => {
    const store = new MemoryDurableStore();
    const s = await open(pipeline(), store, { checkpointInterval: null });
    await s.advance({ untilTime: 1_200 });
    store.failNext('writeCheckpoint', { name: 'QuotaExceededError', message: 'disk full' });
    expect(await s.checkpointNow()).toBeNull();
    expect(await s.checkpointNow()).toBe(2);
    await runToEnd(s);
    expect(s.finished).toBe(true);
  });

  it('takes a savepoint while running; the job runs on, and a new job started from it finishes the same output', async () => {
    const ref = await reference(pipeline());
    const store = new MemoryDurableStore();
    const s = await open(pipeline(), store);
    await s.advance({ untilTime: 2_600 });
    const sp = await s.savepoint();
    expect(sp.savepointId).toBe(3);
    expect(sp.time).toBe(2_600);
    expect(s.now).toBe(2_600);
    await runToEnd(s);
    expect(await store.sinkRead('sums')).toEqual(ref.sums);

    // What one job committed up to the savepoint, and what a new job started from it commits, make the whole output.
    const before = new MemoryDurableStore();
    const upTo = await open(pipeline(), before);
    await upTo.advance({ untilTime: 2_600 });
    expect(await upTo.savepoint()).toEqual(sp);
    const after = new MemoryDurableStore();
    const from = await DurableSession.open(pipeline(), { ...base, store: after, resume: false, fromSavepoint: { file: sp } });
    await runToEnd(from);
    expect([...(await before.sinkRead('sums')), ...(await after.sinkRead('sums'))]).toEqual(ref.sums);
  });

  it('restarts after a failure of user code within the session, as the restart strategy says', async () => {
    const ref = await reference(pipeline());
    const trace: TraceEvent[] = [];
    const store = new MemoryDurableStore();
    const s = await open(pipeline({ failOnceAt: 70 }), store, {}, trace);
    await runToEnd(s);
    expect(s.finished).toBe(true);
    expect(s.attempt).toBe(2);
    expect(s.failures.map((f) => [f.attempt, f.pt, f.reason])).toEqual([[1, 3_500, 'UserCodeError: the map function in operator "map" threw Error: transient failure at reading 70']]);
    expect(trace.filter((e) => e.type === 'jobRestored')).toEqual([{ type: 'jobRestored', pt: 3_000, attempt: 2, checkpointId: 3 }]);
    expect(s.downtime).toBe(1_000);
    expect(await store.sinkRead('sums')).toEqual(ref.sums);
  });

  it('reports failed once the restart strategy gives up', async () => {
    const s = await open(pipeline({ poisonAt: 70 }), new MemoryDurableStore(), { restart: { kind: 'fixedDelay', attempts: 2, delay: 10 } });
    const r = await s.advance();
    expect(r.finished).toBe(false);
    expect(s.failed?.reason).toBe('UserCodeError: the map function in operator "map" threw Error: cannot parse reading 70');
    expect(s.failures.map((f) => f.attempt)).toEqual([1, 2, 3]);
    expect((await s.advance()).steps).toBe(0);
  });

  it('traces each exactly-once transaction as pre-committed at its checkpoint and committed when it completes', async () => {
    const trace: TraceEvent[] = [];
    const s = await open(pipeline(), new MemoryDurableStore(), {}, trace);
    await s.advance({ untilTime: 3_000 });
    const commits = trace.filter((e) => e.type === 'sinkPreCommitted' || e.type === 'sinkCommitted' || e.type === 'checkpointCompleted');
    // Window panes are rewritten whole, so with incremental checkpoints every part here is full.
    // Sizes include each window operator's state descriptors (checkpoint/state-descriptors.ts).
    const plain = (e: TraceEvent) => toJson(e).replace(/,"kind":"full","fullSize":\d+/, '');
    if (incremental) expect(commits.filter((e) => e.type === 'checkpointCompleted').map((e) => e.type === 'checkpointCompleted' && e.kind)).toEqual(['full', 'full', 'full']);
    expect(commits.map(plain)).toEqual([
      '{"type":"checkpointCompleted","pt":1000,"checkpointId":1,"size":3914,"subtasks":8}',
      '{"type":"sinkPreCommitted","pt":2000,"sink":"sums","transaction":"sums#0@2","records":4}',
      '{"type":"checkpointCompleted","pt":2000,"checkpointId":2,"size":5326,"subtasks":8}',
      '{"type":"sinkCommitted","pt":2000,"sink":"sums","transaction":"sums#0@2","records":4}',
      '{"type":"sinkPreCommitted","pt":3000,"sink":"sums","transaction":"sums#0@3","records":4}',
      '{"type":"checkpointCompleted","pt":3000,"checkpointId":3,"size":5333,"subtasks":8}',
      '{"type":"sinkCommitted","pt":3000,"sink":"sums","transaction":"sums#0@3","records":4}',
    ]);
  });

  it('shows keyed state and pending timers per subtask as plain data, bounded', async () => {
    const s = await open(pipeline(), new MemoryDurableStore());
    await s.advance({ untilTime: 420 });
    const view = s.inspectState(2);
    expect(view.pt).toBe(400);
    expect(view.subtasks.map((v) => `${v.operatorId}#${v.subtask}`)).toEqual(['sums#0', 'sums-2#0', 'sessions#0', 'sink-sessions#0', 'echo#0', 'sink-echo#0']);
    const sums = view.subtasks[0]!;
    // Readings 0..8 arrived (m0 has 0, 4, 8; m1 has 1, 5): the open 1 s window of each meter.
    expect(sums.entries).toEqual([
      { state: 'window-panes', key: 'm0', window: { start: 0, end: 1000 }, value: expect.objectContaining({ acc: 1 + 5 + 2, size: 3 }) },
      { state: 'window-panes', key: 'm1', window: { start: 0, end: 1000 }, value: expect.objectContaining({ acc: 2 + 6, size: 2 }) },
    ]);
    expect(sums.totalEntries).toBe(4);
    expect(sums.timers).toEqual([
      { domain: 'eventTime', time: 999, key: 'm0', window: { start: 0, end: 1000 } },
      { domain: 'eventTime', time: 999, key: 'm1', window: { start: 0, end: 1000 } },
    ]);
    expect(sums.totalTimers).toBe(4);
    // Plain data: it survives JSON (and structured clone) unchanged.
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });
});
