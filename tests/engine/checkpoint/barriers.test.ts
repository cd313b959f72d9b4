// Checkpoints as barriers through a whole job. Periodic checkpoints meet no in-flight records
// (they run when every inbox is empty), so here checkpoints are also triggered in the middle of a
// drain, between two scheduler steps, while records travel: barriers from one input then reach a
// subtask before records still on their way on another. Whatever the moment and the mode,
// restoring the checkpoint and running on must give exactly the uninterrupted output.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildPipeline, boundedOutOfOrderness, slidingWindows, type PipelineBuilder } from '../../../src/engine/api/index.ts';
import type { CheckpointMode } from '../../../src/engine/checkpoint/checkpoint-coordinator.ts';
import { subtaskPart, type JobSnapshot } from '../../../src/engine/checkpoint/job-snapshot.ts';
import { decodePart } from '../../../src/engine/checkpoint/part-data.ts';
import { seededRandom } from '../../../src/engine/random/random.ts';
import { Job } from '../../../src/engine/runtime/job.ts';
import type { OperatorSubtaskSnapshot } from '../../../src/engine/runtime/subtask-snapshot.ts';
import { toJson } from '../../../src/engine/trace/json.ts';
import type { TraceEvent } from '../../../src/engine/trace/trace-event.ts';

interface Reading {
  meter: string;
  kwh: number;
  at: number;
}
interface Price {
  meter: string;
  cents: number;
  at: number;
}

// Three readings every 10 ms for 400 ms; a price change every 40 ms until 200 ms.
const readings: Reading[] = Array.from({ length: 120 }, (_, i) => ({ meter: `m${i % 5}`, kwh: (i % 7) + 1, at: 10 * Math.floor(i / 3) }));
const prices: Price[] = Array.from({ length: 6 }, (_, i) => ({ meter: `m${i % 5}`, cents: 20 + i, at: 40 * i }));

/**
 * Readings take two hops (parse, enrich) before the keyed `bill` operator; prices go to it
 * directly. Every operator has parallelism 2 except the sink, so barriers from the price source
 * reach `bill` while readings sent before them are still two hops away.
 */
const billing: PipelineBuilder = (p) => {
  p.setParallelism(2);
  const meters = p.fromArray(readings, { name: 'meters', uid: 'meters', partitions: 2, timestampOf: (r) => r.at, arrivalOf: (r) => r.at });
  const tariff = p.fromArray(prices, { name: 'prices', uid: 'prices', partitions: 2, timestampOf: (r) => r.at, arrivalOf: (r) => r.at });
  meters
    .map((r) => ({ ...r, wh: r.kwh * 1000 }), { name: 'parse', uid: 'parse' })
    .filter((r) => r.wh > 0, { name: 'enrich', uid: 'enrich' })
    .connect(tariff)
    .keyBy(
      (r) => r.meter,
      (q) => q.meter,
    )
    .process<string>(
      {
        processElement1(r, ctx) {
          const total = ctx.state.value<number>('total');
          total.update((total.value() ?? 0) + r.kwh * (ctx.state.value<number>('price').value() ?? 10));
          ctx.output(`${r.meter}@${r.at}=${total.value()}`);
        },
        processElement2(q, ctx) {
          ctx.state.value<number>('price').update(q.cents);
        },
      },
      { name: 'bill', uid: 'bill' },
    )
    .sink('bills', { parallelism: 1 });
};

interface Run {
  records: string[];
  trace: TraceEvent[];
  snapshots: JobSnapshot[];
  steps: number;
}

/** Runs to the end, calling `atStep` after every scheduler step; completes checkpoints as they are raised. */
function run(build: PipelineBuilder, mode: CheckpointMode, atStep: (job: Job, step: number) => void = () => {}, from?: JobSnapshot, interval = 0): Run {
  const p = buildPipeline(build);
  const trace: TraceEvent[] = [];
  const job = new Job(p.plan, { random: seededRandom(0), seed: 0, trace: (e) => trace.push(e) });
  job.setCheckpointMode(mode);
  if (interval > 0) job.enableCheckpoints(interval);
  if (from) job.restore(from, 1);
  else job.start();
  const snapshots: JobSnapshot[] = [];
  const persist = (): void => {
    for (const r of job.ioRequests.splice(0)) {
      if (r.kind !== 'persistCheckpoint') continue;
      snapshots.push(r.snapshot);
      job.completeCheckpoint(r.snapshot);
    }
  };
  let steps = 0;
  while (!job.isFinished && job.scheduler.step()) {
    persist();
    atStep(job, ++steps);
    persist();
  }
  job.runToEnd();
  return { records: p.records.map((r) => toJson(r)), trace, snapshots, steps };
}

/** Triggers one checkpoint at the first step after which `when` holds. */
function triggerWhen(when: (job: Job, step: number) => boolean): (job: Job, step: number) => void {
  let done = false;
  return (job, step) => {
    if (done || !when(job, step)) return;
    done = true;
    job.triggerCheckpoint();
  };
}

const queued = (job: Job, operator: string) => job.metrics().some((m) => m.operator === operator && m.queued > 0);
const part = (s: JobSnapshot, name: string) => decodePart<OperatorSubtaskSnapshot>(s.parts.find((p) => p.name === name)!.data);
const sorted = (xs: readonly string[]) => [...xs].sort();

/**
 * Restores `s`, runs to the end, and checks exactly-once: what the sink emitted before its
 * snapshot, then what the restored job emits, is the uninterrupted output (in the same order
 * when `sameOrder`; unaligned in-flight records may be replayed in another interleaving).
 */
function expectExactlyOnce(build: PipelineBuilder, mode: CheckpointMode, s: JobSnapshot, full: readonly string[], sameOrder: boolean): Run {
  const before = part(s, subtaskPart('sink-bills', 0)).counters.recordsIn;
  const restored = run(build, mode, undefined, s);
  const combined = [...full.slice(0, before), ...restored.records];
  if (sameOrder) expect(combined).toEqual(full);
  else expect(sorted(combined)).toEqual(sorted(full));
  return restored;
}

/**
 * The consistent-cut invariant: on every edge into `operator`, what the senders had sent at their
 * snapshots is what the receivers had taken in at theirs, plus the channel state they stored.
 */
function expectConsistentCut(s: JobSnapshot, operator: string, senders: readonly string[]): void {
  // Sources keep `recordsOut` at the top of their part, operator subtasks in `counters`.
  const sentBy = (name: string): number => {
    const d = decodePart<{ recordsOut?: number; counters?: { recordsOut: number } }>(s.parts.find((p) => p.name === name)!.data);
    return d.recordsOut ?? d.counters!.recordsOut;
  };
  let sent = 0;
  for (const uid of senders) for (const i of [0, 1]) sent += sentBy(subtaskPart(uid, i));
  let received = 0;
  for (const i of [0, 1]) {
    const sub = part(s, subtaskPart(operator, i));
    received += sub.counters.recordsIn;
    for (const el of sub.channelState ?? []) if (el.kind === 'records') received += el.values.length;
  }
  expect(received, `records into ${operator}`).toBe(sent);
}

function expectCutEverywhere(s: JobSnapshot): void {
  expectConsistentCut(s, 'parse', ['meters']);
  expectConsistentCut(s, 'enrich', ['parse']);
  expectConsistentCut(s, 'bill', ['enrich', 'prices']);
}

describe('checkpoint barriers at a quiescent moment', () => {
  it('give the same snapshots as snapshotting every subtask directly, aligned or unaligned', () => {
    for (const mode of ['aligned', 'unaligned'] as const) {
      const p = buildPipeline(billing);
      const direct = new Map<number, JobSnapshot>();
      const persisted: JobSnapshot[] = [];
      const trace = (e: TraceEvent): void => {
        // Traced inside triggerCheckpoint, before any barrier: the job's state at the trigger.
        if (e.type === 'checkpointTriggered') direct.set(e.checkpointId, job.snapshot(e.checkpointId));
      };
      const job: Job = new Job(p.plan, { random: seededRandom(0), seed: 0, trace });
      job.setCheckpointMode(mode);
      job.enableCheckpoints(25);
      job.start();
      while (!job.isFinished && job.scheduler.step()) {
        for (const r of job.ioRequests.splice(0)) if (r.kind === 'persistCheckpoint') persisted.push(r.snapshot);
      }
      expect(persisted.length).toBeGreaterThan(10);
      for (const s of persisted) expect(s, `${mode} checkpoint ${s.checkpointId}`).toEqual(direct.get(s.checkpointId));
    }
  });

  it('restore to a replay of the uninterrupted run, trace included, in either mode', () => {
    const quiet = (e: TraceEvent) => e.type !== 'checkpointTriggered' && e.type !== 'checkpointCompleted' && e.type !== 'jobStarted' && e.type !== 'jobRestored';
    for (const mode of ['aligned', 'unaligned'] as const) {
      const full = run(billing, mode, undefined, undefined, 30);
      expect(full.snapshots.length).toBeGreaterThan(10);
      for (const s of full.snapshots) {
        const restored = run(billing, mode, undefined, s, 30);
        const completed = full.trace.findIndex((e) => e.type === 'checkpointCompleted' && e.checkpointId === s.checkpointId);
        expect(restored.trace.filter(quiet).map((e) => toJson(e)), `${mode} checkpoint ${s.checkpointId}`).toEqual(full.trace.slice(completed + 1).filter(quiet).map((e) => toJson(e)));
        expect(restored.records).toEqual(full.records.slice(full.records.length - restored.records.length));
      }
    }
  });

  it('are traced from injection to acknowledgement; finished sources send none but acknowledge', () => {
    const r = run(billing, 'aligned', undefined, undefined, 100);
    expect(r.snapshots.map((s) => [s.checkpointId, s.time])).toEqual([
      [1, 100],
      [2, 200],
      [3, 300],
    ]);
    const of = (id: number) => r.trace.filter((e) => 'checkpointId' in e && e.checkpointId === id);
    // Before 200 ms both sources run: 4 source subtasks inject; every operator subtask gets a
    // barrier on each of its channels (parse, enrich: 2 each; bill: 4) and aligns.
    const first = of(1);
    expect(first.filter((e) => e.type === 'barrierInjected')).toHaveLength(4);
    expect(first.filter((e) => e.type === 'barrierReceived')).toHaveLength(2 * 2 + 2 * 2 + 2 * 4 + 2);
    expect(first.filter((e) => e.type === 'barrierAligned').every((e) => e.type === 'barrierAligned' && e.blockedRecords === 0)).toBe(true);
    expect(first.filter((e) => e.type === 'checkpointAcknowledged')).toHaveLength(4 + 2 + 2 + 2 + 1);
    expect(first.map((e) => e.type).at(-1)).toBe('checkpointCompleted');
    // At 300 ms the prices have ended: their subtasks acknowledge without a barrier, and their
    // ended channels into bill count as aligned.
    const third = of(3);
    expect(third.filter((e) => e.type === 'barrierInjected').map((e) => e.type === 'barrierInjected' && e.source)).toEqual(['meters', 'meters']);
    expect(third.filter((e) => e.type === 'checkpointAcknowledged' && e.operator === 'prices')).toHaveLength(2);
    expect(third.filter((e) => e.type === 'barrierReceived' && e.operator === 'bill').map((e) => e.type === 'barrierReceived' && e.channel).sort()).toEqual([0, 0, 1, 1]);
    expect(third.filter((e) => e.type === 'barrierAligned' && e.operator === 'bill')).toHaveLength(2);
  });
});

describe('a checkpoint triggered while records are in flight', () => {
  const full = run(billing, 'aligned').records;

  it('aligned: bill takes in the readings still on their way after the price barriers, then snapshots them', () => {
    // After the first step that leaves readings queued at parse: the price sources' barriers
    // reach bill at once; the readings have two hops to go.
    const r = run(billing, 'aligned', triggerWhen((job) => queued(job, 'parse')));
    expect(r.records).toEqual(full);
    expect(r.snapshots).toHaveLength(1);
    const s = r.snapshots[0]!;
    const t = r.trace;
    let lateReadings = 0;
    for (const i of [0, 1]) {
      const isBill = (e: TraceEvent) => 'operator' in e && e.operator === 'bill' && 'subtask' in e && e.subtask === i;
      // bill's channels 0-1 come from enrich, 2-3 from prices.
      const priceBarrier = t.findIndex((e) => isBill(e) && e.type === 'barrierReceived' && e.channel >= 2);
      const lastBarrier = t.reduce((last, e, k) => (isBill(e) && e.type === 'barrierReceived' ? k : last), -1);
      const aligned = t.findIndex((e) => isBill(e) && e.type === 'barrierAligned');
      expect(priceBarrier).toBeGreaterThan(-1);
      expect(t[lastBarrier]).toMatchObject({ type: 'barrierReceived' });
      expect(aligned).toBe(lastBarrier + 1);
      // Readings sent before the barriers reach bill after the price barriers: the price channels
      // wait while they are processed (state writes), before the alignment.
      lateReadings += t.filter((e, k) => isBill(e) && e.type === 'stateUpdated' && e.state === 'total' && k > priceBarrier && k < aligned).length;
    }
    expect(lateReadings).toBeGreaterThan(0);
    // Nothing is sent after a barrier while the checkpoint is in progress (sources only emit at
    // timed events, and it completes before the clock moves): no record ever waits behind one.
    // tests/engine/runtime/barrier-aligner.test.ts feeds a subtask records behind a barrier.
    for (const e of t) if (e.type === 'barrierAligned') expect(e.blockedRecords).toBe(0);
    // Every record a source sent before its barrier is in exactly one subtask's state.
    expectCutEverywhere(s);
    for (const sub of [0, 1, 2, 3].map((k) => s.parts[k]!)) expect(decodePart<OperatorSubtaskSnapshot>(sub.data).channelState).toBeUndefined();
    // The job is quiescent once the last subtask acknowledged: the restored run replays the
    // rest of the uninterrupted one exactly, in order.
    const restored = expectExactlyOnce(billing, 'aligned', s, full, true);
    const quiet = (e: TraceEvent) => !/^(checkpoint|barrier|job)/.test(e.type);
    const completed = t.findIndex((e) => e.type === 'checkpointCompleted');
    expect(restored.trace.filter(quiet).map((e) => toJson(e))).toEqual(t.slice(completed + 1).filter(quiet).map((e) => toJson(e)));
  });

  it('unaligned: the barrier overtakes the queued readings, which bill stores as channel state', () => {
    // Trigger when readings wait in bill's own inbox.
    const r = run(billing, 'unaligned', triggerWhen((job) => queued(job, 'bill')));
    expect(r.records).toEqual(full);
    const s = r.snapshots[0]!;
    const inFlight = [0, 1].flatMap((i) => part(s, subtaskPart('bill', i)).channelState ?? []);
    expect(inFlight.filter((e) => e.kind === 'records').length).toBeGreaterThan(0);
    // The stored records are readings (from enrich, channels 0-1) that bill had not processed:
    // its state counts none of them.
    for (const el of inFlight) if (el.kind === 'records') expect(el.channel).toBeLessThan(2);
    const aligned = r.trace.filter((e) => e.type === 'barrierAligned' && e.operator === 'bill');
    expect(aligned.map((e) => e.type === 'barrierAligned' && e.channelStateRecords).reduce((a, b) => Number(a) + Number(b), 0)).toBe(
      inFlight.reduce((n, e) => n + (e.kind === 'records' ? e.values.length : 0), 0),
    );
    // The sink got bill's barrier before bill's output for the overtaken readings.
    const sinkBarrier = r.trace.findIndex((e) => e.type === 'barrierReceived' && e.operator === 'bills');
    const billAck = r.trace.findIndex((e) => e.type === 'checkpointAcknowledged' && e.operator === 'bill');
    const billWrites = r.trace.map((e, k) => (e.type === 'stateUpdated' && e.operator === 'bill' ? k : -1)).filter((k) => k > billAck);
    expect(sinkBarrier).toBeLessThan(billWrites[0]!);
    expectCutEverywhere(s);
    const restored = expectExactlyOnce(billing, 'unaligned', s, full, false);
    expect(restored.records.length).toBeGreaterThan(0);
  });

  it('restored from an unaligned checkpoint, a subtask processes its channel state before anything else', () => {
    const r = run(billing, 'unaligned', triggerWhen((job) => queued(job, 'bill')));
    const s = r.snapshots[0]!;
    const p = buildPipeline(billing);
    const job = new Job(p.plan, { random: seededRandom(0), seed: 0, trace: undefined });
    job.setCheckpointMode('unaligned');
    job.restore(s, 1);
    const stored = (i: number) => (part(s, subtaskPart('bill', i)).channelState ?? []).reduce((n, e) => n + (e.kind === 'records' ? e.values.length : 0), 0);
    const queuedNow = job.metrics().filter((m) => m.operator === 'bill').map((m) => m.queued);
    expect(queuedNow).toEqual([stored(0), stored(1)]);
  });

  it('gives exactly-once output wherever the checkpoint falls, in either mode', () => {
    const steps = run(billing, 'aligned').steps;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: steps - 1 }), fc.constantFrom<CheckpointMode>('aligned', 'unaligned'), (at, mode) => {
        const r = run(billing, mode, triggerWhen((_, step) => step === at));
        expect(r.records).toEqual(full);
        if (r.snapshots.length === 0) return; // the job ended before the checkpoint could complete
        const s = r.snapshots[0]!;
        expectCutEverywhere(s);
        expectExactlyOnce(billing, mode, s, full, mode === 'aligned');
      }),
      { numRuns: 60 },
    );
  });

  it('gives exactly-once output for windows over generated, late and idle data', () => {
    const windows: PipelineBuilder = (p) => {
      p.setParallelism(2);
      const events = p.generator(
        {
          partitions: [{ speed: 1 }, { speed: 0.5, idle: [{ from: 300, to: 600 }] }, { speed: 2 }],
          rate: { kind: 'steady', perSecond: 400 },
          count: 300,
          keys: { count: 5 },
          delay: { kind: 'uniform', min: 0, max: 200, late: { fraction: 0.05, extra: 500 } },
          value: (g) => ({ key: g.key, n: g.index }),
        },
        { watermarks: boundedOutOfOrderness(100) },
      );
      events.keyBy((e) => e.key).window(slidingWindows(400, 100)).sum((e) => e.n).sink('bills', { parallelism: 1 });
    };
    const reference = run(windows, 'aligned');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: reference.steps - 1 }), fc.constantFrom<CheckpointMode>('aligned', 'unaligned'), (at, mode) => {
        const r = run(windows, mode, triggerWhen((_, step) => step === at));
        if (r.snapshots.length === 0) return;
        expectExactlyOnce(windows, mode, r.snapshots[0]!, reference.records, mode === 'aligned');
      }),
      { numRuns: 30 },
    );
  });
});
