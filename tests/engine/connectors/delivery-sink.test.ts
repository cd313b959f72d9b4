// DeliverySink, checked against Flink's sink functions: appends per batch for at-most-once and
// at-least-once, upserts by primary key, and two-phase commit for exactly-once
// (TwoPhaseCommitSinkFunction: pre-commit at the snapshot, commit on checkpoint completion,
// recoverAndCommit on restore, the last transaction committed at the end of a bounded input).
// The operator is driven by hand with a context that records its I/O requests; a pipeline test
// shows `sinkTo` output in `records` exactly as `sink` shows it.

import { describe, expect, it } from 'vitest';
import {
  buildPipeline,
  PipelineDefinitionError,
  type DataStream,
  runPipeline,
  testStream,
  tumblingWindows,
  UserCodeError,
  type DeliverySinkOptions,
  type Pipeline,
  type SinkRecord,
} from '../../../src/engine/api/index.ts';
import type { IoRequest } from '../../../src/engine/checkpoint/io-request.ts';
import { compareToReference, sinkWritesAsRecords } from '../../../src/engine/checkpoint/delivery-report.ts';
import type { SinkWrite } from '../../../src/engine/checkpoint/durable-store.ts';
import { CollectingSink } from '../../../src/engine/connectors/collecting-sink.ts';
import { DeliverySink, transactionId } from '../../../src/engine/connectors/delivery-sink.ts';
import { seededRandom } from '../../../src/engine/random/random.ts';
import { Job } from '../../../src/engine/runtime/job.ts';
import type { OperatorContext } from '../../../src/engine/runtime/operator.ts';
import { RecordBatch, type Key, type WindowedMeta } from '../../../src/engine/runtime/record-batch.ts';
import { HeapKeyedStateBackend } from '../../../src/engine/state/state-backend.ts';
import { TimerService } from '../../../src/engine/time/timer-service.ts';
import type { TraceEvent } from '../../../src/engine/trace/trace-event.ts';
import type { PaneInfo } from '../../../src/engine/windows/pane-info.ts';
import type { Window } from '../../../src/engine/windows/window.ts';

/** A hand-made host: a settable processing time, and arrays of the I/O requests and trace events. */
function host(subtask = 0, tracing = false) {
  const io: IoRequest[] = [];
  const trace: TraceEvent[] = [];
  let now = 0;
  const ctx: OperatorContext = {
    operatorName: 'out',
    subtask,
    parallelism: 2,
    output: {
      emit: () => {},
      emitBatch: () => {},
      emitSide: () => {},
    },
    timers: new TimerService(),
    state: new HeapKeyedStateBackend(),
    random: seededRandom(0),
    watermark: () => 0,
    outputWatermark: () => 0,
    processingTime: () => now,
    countDropped: () => {},
    io: { request: (r) => void io.push(r) },
    tracing,
    trace: (e) => void trace.push(e),
  };
  return {
    ctx,
    io,
    trace,
    setNow: (t: number) => {
      now = t;
    },
    /** Forgets the requests seen so far. */
    take: (): IoRequest[] => io.splice(0, io.length),
  };
}

function batch(...records: { value: unknown; timestamp: number; key?: Key; meta?: WindowedMeta }[]): RecordBatch {
  const b = new RecordBatch();
  for (const r of records) b.push(r.value, r.timestamp, r.key, r.meta);
  return b;
}

function open(options: DeliverySinkOptions, subtask = 0, tracing = false) {
  const records: SinkRecord[] = [];
  const sink = new DeliverySink('out', options, records);
  const h = host(subtask, tracing);
  sink.open(h.ctx);
  return { sink, records, ...h };
}

const pane: PaneInfo = { timing: 'ON_TIME', index: 0, onTimeIndex: 0, isFirst: true, isLast: false };
const late: PaneInfo = { timing: 'LATE', index: 1, onTimeIndex: 1, isFirst: false, isLast: true };
const win: Window = { start: 0, end: 10 };

describe('at-most-once and at-least-once', () => {
  for (const guarantee of ['atMostOnce', 'atLeastOnce'] as const) {
    it(`${guarantee}: one sinkAppend per batch, with the record key`, () => {
      const s = open({ guarantee });
      s.sink.processBatch(batch({ value: 1, timestamp: 5, key: 'a' }, { value: 2, timestamp: 6, key: 'b' }));
      s.sink.processBatch(batch({ value: 3, timestamp: 7 }));
      expect(s.io).toEqual([
        { kind: 'sinkAppend', sink: 'out', records: [{ key: 'a', value: 1, timestamp: 5 }, { key: 'b', value: 2, timestamp: 6 }] },
        { kind: 'sinkAppend', sink: 'out', records: [{ key: null, value: 3, timestamp: 7 }] },
      ]);
    });
  }

  it('raises nothing for an empty batch and nothing at snapshot, completion or finish', () => {
    const s = open({ guarantee: 'atLeastOnce' });
    s.sink.processBatch(new RecordBatch());
    expect(s.sink.snapshotState(1)).toEqual([]);
    s.sink.notifyCheckpointComplete(1);
    s.sink.finish();
    expect(s.io).toEqual([]);
  });

  it('writes under the primary key when one is given', () => {
    const s = open({ guarantee: 'atLeastOnce', primaryKey: (v) => `id-${(v as { id: number }).id}` });
    s.sink.processBatch(batch({ value: { id: 7 }, timestamp: 1, key: 'k' }));
    expect(s.io).toEqual([{ kind: 'sinkAppend', sink: 'out', records: [{ key: 'id-7', value: { id: 7 }, timestamp: 1 }] }]);
  });

  it('keeps the window, pane and retraction of window results', () => {
    const s = open({ guarantee: 'atMostOnce' });
    s.sink.processBatch(
      batch(
        { value: 10, timestamp: 9, key: 'a', meta: { window: win, pane } },
        { value: 10, timestamp: 9, key: 'a', meta: { window: win, pane: late, retraction: true } },
      ),
    );
    expect(s.io).toEqual([
      {
        kind: 'sinkAppend',
        sink: 'out',
        records: [
          { key: 'a', value: 10, timestamp: 9, window: { start: 0, end: 10 }, pane },
          { key: 'a', value: 10, timestamp: 9, window: { start: 0, end: 10 }, pane: late, retraction: true },
        ],
      },
    ]);
  });
});

describe('upsert', () => {
  it('raises one sinkUpsert per batch, keyed by the primary key', () => {
    const s = open({ guarantee: 'upsert', primaryKey: (v) => (v as { id: string }).id });
    s.sink.processBatch(batch({ value: { id: 'x', n: 1 }, timestamp: 1 }, { value: { id: 'x', n: 2 }, timestamp: 2 }));
    expect(s.take()).toEqual([
      {
        kind: 'sinkUpsert',
        sink: 'out',
        records: [
          { key: 'x', value: { id: 'x', n: 1 }, timestamp: 1 },
          { key: 'x', value: { id: 'x', n: 2 }, timestamp: 2 },
        ],
      },
    ]);
  });

  it('gives the primary key the record key, timestamp, window and pane', () => {
    const s = open({ guarantee: 'upsert', primaryKey: (_v, r) => `${r.key}@${r.window === 'global' ? 'global' : r.window?.start}/${r.pane?.index}` });
    s.sink.processBatch(batch({ value: 3, timestamp: 9, key: 'a', meta: { window: win, pane } }));
    const [request] = s.io;
    expect(request?.kind === 'sinkUpsert' && request.records[0]?.key).toBe('a@0/0');
  });

  it('leaves out retractions: the next upsert replaces the value (Flink upsert sinks drop UPDATE_BEFORE)', () => {
    const s = open({ guarantee: 'upsert', primaryKey: (_v, r) => String(r.key) });
    s.sink.processBatch(batch({ value: 1, timestamp: 9, key: 'a', meta: { window: win, pane: late, retraction: true } }));
    expect(s.io).toEqual([]);
    expect(s.records).toHaveLength(1); // still part of the job's output
    s.sink.processBatch(
      batch({ value: 1, timestamp: 9, key: 'a', meta: { window: win, pane: late, retraction: true } }, { value: 2, timestamp: 9, key: 'a', meta: { window: win, pane: late } }),
    );
    expect(s.io).toEqual([
      { kind: 'sinkUpsert', sink: 'out', records: [{ key: 'a', value: 2, timestamp: 9, window: { start: 0, end: 10 }, pane: late }] },
    ]);
  });

  it('reports a primary key function that throws or returns a non-key as a UserCodeError', () => {
    const throws = open({ guarantee: 'upsert', primaryKey: () => { throw new Error('boom'); } });
    expect(() => throws.sink.processBatch(batch({ value: 1, timestamp: 1 }))).toThrow(UserCodeError);
    const bad = open({ guarantee: 'upsert', primaryKey: (v) => (v as { id: string }).id });
    expect(() => bad.sink.processBatch(batch({ value: {}, timestamp: 1 }))).toThrow(/primary key must be a string or a finite number, got undefined/);
    const nan = open({ guarantee: 'upsert', primaryKey: () => Number.NaN });
    expect(() => nan.sink.processBatch(batch({ value: 1, timestamp: 1 }))).toThrow(/got NaN/);
  });

  it('is rejected without a primary key, and so is an unknown guarantee', () => {
    const records: SinkRecord[] = [];
    expect(() => new DeliverySink('t', { guarantee: 'upsert' } as unknown as DeliverySinkOptions, records)).toThrow(PipelineDefinitionError);
    expect(() => new DeliverySink('t', { guarantee: 'exactly-once' } as unknown as DeliverySinkOptions, records)).toThrow(/needs a delivery guarantee/);
  });
});

describe('exactly-once (two-phase commit)', () => {
  it('buffers records and raises nothing until a checkpoint', () => {
    const s = open({ guarantee: 'exactlyOnce' });
    s.sink.processBatch(batch({ value: 1, timestamp: 1, key: 'a' }));
    s.sink.processBatch(batch({ value: 2, timestamp: 2, key: 'b' }));
    expect(s.io).toEqual([]);
  });

  it('pre-commits at the snapshot under a deterministic id, commits on completion', () => {
    const s = open({ guarantee: 'exactlyOnce' }, 1);
    s.sink.processBatch(batch({ value: 1, timestamp: 1, key: 'a' }));
    s.sink.processBatch(batch({ value: 2, timestamp: 2, key: 'b' }));
    expect(s.sink.snapshotState(3)).toEqual(['out#1@3']);
    expect(transactionId('out', 1, 3)).toBe('out#1@3');
    expect(s.take()).toEqual([
      { kind: 'sinkAbort', sink: 'out', transaction: 'out#1@3' },
      {
        kind: 'sinkStage',
        sink: 'out',
        transaction: 'out#1@3',
        records: [{ key: 'a', value: 1, timestamp: 1 }, { key: 'b', value: 2, timestamp: 2 }],
      },
    ]);
    // A new transaction started: a record after the barrier is not in the staged one.
    s.sink.processBatch(batch({ value: 3, timestamp: 3, key: 'a' }));
    s.sink.notifyCheckpointComplete(3);
    expect(s.take()).toEqual([{ kind: 'sinkCommit', sink: 'out', transaction: 'out#1@3' }]);
    expect(s.sink.snapshotState(4)).toEqual(['out#1@4']);
    expect(s.take()).toEqual([
      { kind: 'sinkAbort', sink: 'out', transaction: 'out#1@4' },
      { kind: 'sinkStage', sink: 'out', transaction: 'out#1@4', records: [{ key: 'a', value: 3, timestamp: 3 }] },
    ]);
  });

  it('stages nothing for an empty transaction, and a completion with nothing pending commits nothing', () => {
    const s = open({ guarantee: 'exactlyOnce' });
    expect(s.sink.snapshotState(1)).toEqual([]);
    s.sink.notifyCheckpointComplete(1);
    expect(s.io).toEqual([]);
  });

  it('keeps transactions pending until a checkpoint at or after theirs completes, then commits them oldest first', () => {
    const s = open({ guarantee: 'exactlyOnce' });
    for (const n of [1, 2, 3]) {
      s.sink.processBatch(batch({ value: n, timestamp: n }));
      expect(s.sink.snapshotState(n)).toEqual([1, 2, 3].filter((m) => m <= n).map((m) => `out#0@${m}`));
    }
    s.take();
    // Checkpoint 1 was aborted (say), 2 completes: 1's records are before 2's barrier, so both commit.
    s.sink.notifyCheckpointComplete(2);
    expect(s.take()).toEqual([
      { kind: 'sinkCommit', sink: 'out', transaction: 'out#0@1' },
      { kind: 'sinkCommit', sink: 'out', transaction: 'out#0@2' },
    ]);
    expect(s.sink.snapshotState(4)).toEqual(['out#0@3']);
    // A late or repeated notification commits nothing more.
    s.sink.notifyCheckpointComplete(2);
    expect(s.io).toEqual([]);
    s.sink.notifyCheckpointComplete(4);
    expect(s.take()).toEqual([{ kind: 'sinkCommit', sink: 'out', transaction: 'out#0@3' }]);
  });

  it('restore commits the transactions the checkpoint lists (recoverAndCommit), and only those', () => {
    // First attempt: checkpoint 5 stages a transaction, then the job crashes before its commit.
    const first = open({ guarantee: 'exactlyOnce' });
    first.sink.processBatch(batch({ value: 1, timestamp: 1 }));
    const state = first.sink.snapshotState(5);
    first.sink.processBatch(batch({ value: 2, timestamp: 2 }));
    first.sink.snapshotState(6); // staged, but checkpoint 6 never completes
    // Second attempt: a fresh operator restored from checkpoint 5.
    const second = open({ guarantee: 'exactlyOnce' });
    second.sink.restoreState(state, 5);
    expect(second.take()).toEqual([{ kind: 'sinkCommit', sink: 'out', transaction: 'out#0@5' }]);
    // Nothing is pending any more: completing a later checkpoint commits only new transactions.
    second.sink.notifyCheckpointComplete(5);
    expect(second.io).toEqual([]);
    // The replay pre-commits 6 again: the leftover of the first attempt is aborted before it is reused.
    second.sink.processBatch(batch({ value: 2, timestamp: 2 }));
    expect(second.sink.snapshotState(6)).toEqual(['out#0@6']);
    expect(second.take().map((r) => `${r.kind} ${'transaction' in r ? r.transaction : ''}`)).toEqual(['sinkAbort out#0@6', 'sinkStage out#0@6']);
  });

  it('restore then completion: committing the same transaction twice is harmless', () => {
    // The first attempt committed 5 and crashed before checkpoint 6; restoring 5 commits it again.
    const first = open({ guarantee: 'exactlyOnce' });
    first.sink.processBatch(batch({ value: 1, timestamp: 1 }));
    const state = first.sink.snapshotState(5);
    first.sink.notifyCheckpointComplete(5);
    const second = open({ guarantee: 'exactlyOnce' });
    second.sink.restoreState(state, 5);
    const commits = [...first.take(), ...second.take()].filter((r) => r.kind === 'sinkCommit');
    expect(commits).toEqual([
      { kind: 'sinkCommit', sink: 'out', transaction: 'out#0@5' },
      { kind: 'sinkCommit', sink: 'out', transaction: 'out#0@5' },
    ]);
    // Applied to a store whose commit of an unknown or committed transaction is a no-op, the
    // records appear once.
    expect(applyToStore([...stagedBy(state, [{ key: null, value: 1, timestamp: 1 }]), ...commits]).get('out')).toEqual([
      { key: null, value: 1, timestamp: 1 },
    ]);
  });

  it('restore before open commits once open gives it a context', () => {
    const records: SinkRecord[] = [];
    const sink = new DeliverySink('out', { guarantee: 'exactlyOnce' }, records);
    sink.restoreState(['out#0@7', 'out#1@7'], 7);
    const h = host();
    sink.open(h.ctx);
    expect(h.io).toEqual([
      { kind: 'sinkCommit', sink: 'out', transaction: 'out#0@7' },
      { kind: 'sinkCommit', sink: 'out', transaction: 'out#1@7' },
    ]);
  });

  it('rejects a state that is not a list of transaction ids', () => {
    const s = open({ guarantee: 'exactlyOnce' });
    expect(() => s.sink.restoreState({ pending: [] }, 1)).toThrow(/expected a list of transaction ids/);
    expect(() => s.sink.restoreState([1], 1)).toThrow(TypeError);
  });

  it('finish commits nothing: the final checkpoint pre-commits the last records and its completion commits them', () => {
    const s = open({ guarantee: 'exactlyOnce' });
    s.sink.processBatch(batch({ value: 1, timestamp: 1 }));
    s.sink.snapshotState(1);
    s.sink.processBatch(batch({ value: 2, timestamp: 2 }));
    s.take();
    // Flink's end of input (FLIP-147): committing here, outside a checkpoint, would repeat on a replay.
    s.sink.finish();
    expect(s.take()).toEqual([]);
    // The final checkpoint (2): transaction 1 is still pending, transaction 2 is pre-committed.
    expect(s.sink.snapshotState(2)).toEqual(['out#0@1', 'out#0@2']);
    expect(s.take()).toEqual([
      { kind: 'sinkAbort', sink: 'out', transaction: 'out#0@2' },
      { kind: 'sinkStage', sink: 'out', transaction: 'out#0@2', records: [{ key: null, value: 2, timestamp: 2 }] },
    ]);
    s.sink.notifyCheckpointComplete(2);
    expect(s.take()).toEqual([
      { kind: 'sinkCommit', sink: 'out', transaction: 'out#0@1' },
      { kind: 'sinkCommit', sink: 'out', transaction: 'out#0@2' },
    ]);
  });

  it('finish with an empty last transaction stages nothing', () => {
    const s = open({ guarantee: 'exactlyOnce' });
    s.sink.finish();
    expect(s.io).toEqual([]);
  });
});

describe('collected output', () => {
  it('collects the same records and trace events as CollectingSink, in every mode', () => {
    const input = () =>
      batch(
        { value: 1, timestamp: 5, key: 'a' },
        { value: 2, timestamp: 6 },
        { value: 3, timestamp: 9, key: 'b', meta: { window: win, pane } },
        { value: 3, timestamp: 9, key: 'b', meta: { window: win, pane: late, retraction: true } },
      );
    const reference: SinkRecord[] = [];
    const collecting = new CollectingSink('out', reference);
    const h = host(0, true);
    h.setNow(42);
    collecting.open(h.ctx);
    collecting.processBatch(input());
    for (const options of [
      { guarantee: 'atMostOnce' },
      { guarantee: 'atLeastOnce' },
      { guarantee: 'exactlyOnce' },
      { guarantee: 'upsert', primaryKey: (v: unknown) => String(v) },
    ] as DeliverySinkOptions[]) {
      const s = open(options, 0, true);
      s.setNow(42);
      s.sink.processBatch(input());
      expect(s.records).toEqual(reference);
      expect(s.trace).toEqual(h.trace);
    }
    expect(h.trace.map((e) => e.type)).toEqual(['sinkRecord', 'sinkRecord', 'sinkRecord', 'sinkRecord']);
  });
});

describe('DataStream.sinkTo', () => {
  interface Ev {
    user: string;
    n: number;
  }
  const spec = testStream<Ev>()
    .advanceWatermarkTo(0)
    .addElements({ value: { user: 'a', n: 1 }, timestamp: 1 }, { value: { user: 'b', n: 2 }, timestamp: 2 }, { value: { user: 'a', n: 3 }, timestamp: 12 })
    .advanceWatermarkToInfinity();

  const build = (end: (s: DataStream<Ev>) => void) => (p: Pipeline) => {
    end(p.testStream(spec));
  };

  it('shows its records in `records`, exactly as sink() does', () => {
    const windowed = (out: (s: DataStream<number>) => void) =>
      build((s) => out(s.keyBy((e) => e.user).window(tumblingWindows(10)).sum((e) => e.n)));
    const plain = runPipeline(windowed((s) => s.sink('totals')));
    for (const guarantee of ['atMostOnce', 'atLeastOnce', 'exactlyOnce'] as const) {
      const delivered = runPipeline(windowed((s) => s.sinkTo('totals', { guarantee })));
      expect(delivered.records).toEqual(plain.records);
    }
    const upserted = runPipeline(windowed((s) => s.sinkTo('totals', { guarantee: 'upsert', primaryKey: (_v, r) => `${r.key}@${r.window === 'global' ? 'global' : r.window?.start}` })));
    expect(upserted.records).toEqual(plain.records);
    expect(plain.records.length).toBe(3);
  });

  it('raises writes that hold exactly the collected records (at-least-once and exactly-once, parallelism 2)', () => {
    for (const guarantee of ['atLeastOnce', 'exactlyOnce'] as const) {
      const p = buildPipeline(
        build((s) =>
          s
            .keyBy((e) => e.user)
            .reduce((a, b) => ({ user: a.user, n: a.n + b.n }))
            .sinkTo('events', { guarantee, parallelism: 2 }),
        ),
      );
      const job = new Job(p.plan, { random: seededRandom(0), seed: 0, trace: undefined });
      job.start();
      job.runToEnd();
      // The final checkpoint at the end of input (as the durable driver takes it), completed at once.
      job.triggerCheckpoint();
      while (job.checkpointsInProgress > 0 && job.scheduler.step()) {
        /* deliver the barriers */
      }
      const persisted = job.ioRequests.find((r) => r.kind === 'persistCheckpoint');
      if (persisted?.kind === 'persistCheckpoint') job.completeCheckpoint(persisted.snapshot);
      const store = applyToStore(job.ioRequests);
      const [report] = compareToReference(p.records, sinkWritesAsRecords('events', store.get('events') ?? []));
      expect(report).toMatchObject({ sink: 'events', expected: 3, actual: 3, exact: true });
      if (guarantee === 'exactlyOnce') {
        // Only the final checkpoint (1) ran: each subtask with records pre-commits at it and commits when it completes.
        const ids = (kind: IoRequest['kind']) => job.ioRequests.flatMap((r) => (r.kind === kind && 'transaction' in r ? [r.transaction] : []));
        expect(ids('sinkStage').length).toBeGreaterThan(0);
        for (const id of ids('sinkStage')) expect(id).toMatch(/^events#[01]@1$/);
        expect(ids('sinkCommit')).toEqual(ids('sinkStage'));
      }
    }
  });

  it('claims its name like sink() and checks its options when the pipeline is built', () => {
    expect(() => buildPipeline(build((s) => {
      s.sink('out');
      s.sinkTo('out', { guarantee: 'atLeastOnce' });
    }))).toThrow(/two sinks are called "out"/);
    expect(() => buildPipeline(build((s) => s.sinkTo('out', { guarantee: 'upsert' } as never)))).toThrow(/needs a primaryKey/);
  });

  it('takes a uid and a parallelism', () => {
    const p = buildPipeline(build((s) => s.sinkTo('out', { guarantee: 'atMostOnce', uid: 'out-v1', parallelism: 3 })));
    const node = p.plan.nodes.find((n) => n.name === 'out');
    expect(node).toMatchObject({ kind: 'sink', uid: 'out-v1', parallelism: 3 });
  });
});

/** The sinkStage requests of `state`'s transactions, each holding `records` (what the first attempt staged). */
function stagedBy(state: unknown, records: SinkWrite[]): IoRequest[] {
  return (state as string[]).map((transaction) => ({ kind: 'sinkStage', sink: 'out', transaction, records }));
}

/**
 * A minimal model of a sink store, as docs/durability.md describes it: appends and commits are
 * visible, staged records are not; aborting or committing an unknown transaction does nothing.
 */
function applyToStore(requests: readonly IoRequest[]): Map<string, SinkWrite[]> {
  const visible = new Map<string, SinkWrite[]>();
  const staged = new Map<string, SinkWrite[]>();
  const out = (sink: string) => {
    let list = visible.get(sink);
    if (list === undefined) visible.set(sink, (list = []));
    return list;
  };
  for (const r of requests) {
    switch (r.kind) {
      case 'sinkAppend':
      case 'sinkUpsert':
        out(r.sink).push(...r.records);
        break;
      case 'sinkStage':
        staged.set(`${r.sink}/${r.transaction}`, [...(staged.get(`${r.sink}/${r.transaction}`) ?? []), ...r.records]);
        break;
      case 'sinkCommit':
        out(r.sink).push(...(staged.get(`${r.sink}/${r.transaction}`) ?? []));
        staged.delete(`${r.sink}/${r.transaction}`);
        break;
      case 'sinkAbort':
        staged.delete(`${r.sink}/${r.transaction}`);
        break;
    }
  }
  return visible;
}
