// Rescaling a savepoint: keyed state, timers and source partitions move to the subtasks a job at
// the new parallelism sends them to; list-style operator state (an exactly-once sink's
// pre-committed transactions) is split evenly and committed; what cannot be rescaled is refused
// with a message naming the operator; the trace says which operators changed parallelism.

import { describe, expect, it } from 'vitest';
import { boundedOutOfOrderness, buildPipeline, runPipeline, tumblingWindows, type PipelineBuilder, type TraceEvent } from '../../../src/engine/api/index.ts';
import { runDurable } from '../../../src/engine/checkpoint/job-driver.ts';
import { MemoryDurableStore } from '../../../src/engine/checkpoint/memory-store.ts';
import { rescaledOperators } from '../../../src/engine/checkpoint/rescale.ts';
import { fitSavepoint, snapshotOf, toSavepointFile, type SavepointFile } from '../../../src/engine/checkpoint/savepoint.ts';
import { decodeSnapshot, encodeSnapshot } from '../../../src/engine/checkpoint/snapshot-codec.ts';
import { decodePart } from '../../../src/engine/checkpoint/part-data.ts';
import { StateProcessor } from '../../../src/engine/checkpoint/state-processor.ts';
import { produceToTopic } from '../../../src/engine/checkpoint/topic-producer.ts';
import { seededRandom } from '../../../src/engine/random/random.ts';
import { Job } from '../../../src/engine/runtime/job.ts';
import { keyGroupOf, subtaskForKeyGroup } from '../../../src/engine/runtime/partitioner.ts';

interface Order {
  customer: string;
  amount: number;
  n: number;
}
const customers = ['ann', 'bob', 'cy', 'dan', 'eve', 'fay', 'gus'];
const orders: Order[] = Array.from({ length: 70 }, (_, n) => ({ customer: customers[n % 7]!, amount: (n % 5) + 1, n }));

/** A running total per customer in keyed state, and a reminder timer 250 ms after each order. */
const totals =
  (parallelism: number): PipelineBuilder =>
  (p) => {
    p.fromArray(orders, { timestampOf: (o) => o.n * 100, uid: 'orders' })
      .keyBy((o) => o.customer)
      .process<string>(
        {
          processElement(o, ctx) {
            const t = ctx.state.value<number>('total');
            t.update((t.value() ?? 0) + o.amount);
            ctx.timerService.registerEventTimeTimer(ctx.timestamp + 250);
            ctx.output(`${ctx.key}=${t.value()}`);
          },
          onTimer(time, ctx) {
            ctx.output(`${ctx.key} reminded at ${time}`);
          },
        },
        { parallelism, uid: 'totals' },
      )
      .sink('out');
  };

async function stopAt(build: PipelineBuilder, pt: number, store = new MemoryDurableStore()): Promise<{ file: SavepointFile; before: string[] }> {
  const r = await runDurable(build, { store, jobId: 'before', checkpointInterval: 1000, stopWithSavepointAt: pt });
  expect(r.savepoint).toBeDefined();
  return { file: r.savepoint!, before: r.records.map((x) => String(x.value)) };
}

let resumes = 0;

async function resume(build: PipelineBuilder, file: SavepointFile, store = new MemoryDurableStore()): Promise<{ after: string[]; trace: TraceEvent[] }> {
  const trace: TraceEvent[] = [];
  // A job id of its own: a store shared with an earlier resume must not hold this job's checkpoints.
  const r = await runDurable(build, { store, jobId: `after-${++resumes}`, checkpointInterval: 1000, fromSavepoint: { file }, onTrace: (e) => trace.push(e) });
  expect(r.finished).toBe(true);
  return { after: r.records.map((x) => String(x.value)), trace };
}

/** A job restored from a savepoint and not yet run, to look at its state. */
function restoredJob(build: PipelineBuilder, file: SavepointFile): Job {
  const job = new Job(buildPipeline(build).plan, { random: seededRandom(0), seed: 0, trace: undefined });
  const { snapshot, fresh } = fitSavepoint(snapshotOf(file), job.partNames());
  job.restore(snapshot, 1, new Set(fresh));
  return job;
}

const sorted = (xs: readonly string[]) => [...xs].sort();

describe('rescaling a savepoint', () => {
  it('keyed state continues at 4 subtasks and at 1 after a savepoint taken at 2', async () => {
    const { file, before } = await stopAt(totals(2), 3450);
    // Orders 0..34 were in (timestamps up to 3400): ann, bob, ... each had 5 orders.
    expect(sorted(before.filter((s) => s.includes('=')))).toEqual(sorted(runPipeline(totals(2)).records.map((r) => String(r.value)).filter((s) => s.includes('=')).slice(0, 35)));
    for (const p of [4, 1]) {
      const { after } = await resume(totals(p), file);
      // Totals continue from the saved state: order 35 is ann's 6th (amounts 1, 3, 5, 2, 4 before, then 1).
      expect(after.find((s) => s.startsWith('ann='))).toBe('ann=16');
      expect(sorted([...before, ...after])).toEqual(sorted(runPipeline(totals(p)).records.map((r) => String(r.value))));
    }
  });

  it("each new subtask keeps the old subtasks' state kinds, and says they tell TTLs apart only when all of theirs did", async () => {
    const { file } = await stopAt(totals(2), 3450);
    const partsOf = (f: SavepointFile) => f.parts.filter((p) => p.name.startsWith('totals#')).map((p) => decodeSnapshot<{ descriptors?: unknown; ttlRecorded?: unknown }>(p.data));
    // Restored at 4 and snapshotted before it runs: each new subtask's part is what the rescale gave it.
    const rescaled = (f: SavepointFile) =>
      restoredJob(totals(4), f)
        .snapshot(2)
        .parts.filter((p) => p.name.startsWith('totals#'))
        .map((p) => decodePart<{ descriptors?: unknown; ttlRecorded?: unknown }>(p.data));
    expect(partsOf(file).map((p) => [p.descriptors, p.ttlRecorded])).toEqual([[{ total: 'value state' }, true], [{ total: 'value state' }, true]]);
    expect(rescaled(file).map((p) => [p.descriptors, p.ttlRecorded])).toEqual(Array.from({ length: 4 }, () => [{ total: 'value state' }, true]));
    // One old subtask written before kinds told TTLs apart: none of the new ones says they do.
    const older = toSavepointFile(file.jobId, {
      ...snapshotOf(file),
      parts: file.parts.map((p) => {
        if (p.name !== 'totals#1') return p;
        const { ttlRecorded: _, ...rest } = decodeSnapshot<{ ttlRecorded?: unknown }>(p.data);
        return { name: p.name, data: encodeSnapshot(rest) };
      }),
    });
    expect(rescaled(older).map((p) => [p.descriptors, p.ttlRecorded])).toEqual(Array.from({ length: 4 }, () => [{ total: 'value state' }, undefined]));
  });

  it('after the restore each key is kept exactly once, on the subtask its key group maps to', async () => {
    const { file } = await stopAt(totals(2), 3450);
    for (const p of [3, 5, 1]) {
      const view = restoredJob(totals(p), file).inspectState(1000);
      const subtasks = view.subtasks.filter((s) => s.operatorId === 'totals');
      expect(subtasks.map((s) => s.subtask)).toEqual(Array.from({ length: p }, (_, i) => i));
      const entries = subtasks.flatMap((s) => s.entries.map((e) => ({ subtask: s.subtask, key: e.key as string, state: e.state, value: e.value })));
      expect(entries.map((e) => e.key).sort()).toEqual([...customers].sort());
      for (const e of entries) expect(e.subtask).toBe(subtaskForKeyGroup(keyGroupOf(e.key), p));
      expect(Object.fromEntries(entries.map((e) => [e.key, e.value]))).toEqual({ ann: 15, bob: 15, cy: 15, dan: 15, eve: 15, fay: 15, gus: 15 });
      // The pending reminders (orders 32 to 34; the watermark was 3399) moved with their keys.
      const timers = subtasks.flatMap((s) => s.timers.map((t) => ({ subtask: s.subtask, key: t.key as string, time: t.time })));
      expect(timers.map((t) => [t.key, t.time]).sort((a, b) => (a[1] as number) - (b[1] as number))).toEqual([
        ['eve', 3450],
        ['fay', 3550],
        ['gus', 3650],
      ]);
      for (const t of timers) expect(t.subtask).toBe(subtaskForKeyGroup(keyGroupOf(t.key), p));
    }
  });

  it('the restore is traced with each rescaled operator, from and to', async () => {
    const { file } = await stopAt(totals(2), 3450);
    const { trace } = await resume(totals(3), file);
    const restored = trace.find((e) => e.type === 'jobRestored');
    expect(restored).toMatchObject({ checkpointId: file.savepointId, rescaled: [{ operator: 'process', operatorId: 'totals', from: 2, to: 3 }] });
    // A restore at the same parallelism says nothing of rescaling.
    const same = (await resume(totals(2), file)).trace.find((e) => e.type === 'jobRestored');
    expect(same).not.toHaveProperty('rescaled');
  });

  it('a record that was late before the savepoint is still late right after it', async () => {
    // k1's order at 2500 moves the watermark to 2199 at the tick at 2600: window [0, 1000) is done.
    // The savepoint is taken at 2620; at 2650, before the next tick, an order from 100 arrives.
    const late = [
      { key: 'k1', ts: 0, at: 0 },
      { key: 'k2', ts: 500, at: 500 },
      { key: 'k1', ts: 2500, at: 2500 },
      { key: 'k1', ts: 100, at: 2650 },
      { key: 'k2', ts: 3000, at: 3000 },
    ];
    const windows =
      (parallelism: number): PipelineBuilder =>
      (p) => {
        const counts = p
          .fromArray(late, { timestampOf: (e) => e.ts, arrivalOf: (e) => e.at, watermarks: boundedOutOfOrderness(300), uid: 'orders' })
          .keyBy((e) => e.key)
          .window(tumblingWindows(1000), { parallelism, uid: 'windows' })
          .allowedLateness(500)
          .sideOutputLateData('late')
          .count();
        counts.map((n) => `count ${n}`).sink('counts');
        counts.getSideOutput<{ ts: number }>('late').map((e) => `late ${e.ts}`).sink('late');
      };
    const { file, before } = await stopAt(windows(2), 2620);
    expect(sorted(before)).toEqual(['count 1', 'count 1']);
    const { after } = await resume(windows(3), file);
    expect(after).toEqual(['late 100', 'count 1', 'count 1']);
  });

  it('a 4-partition topic read at parallelism 2 resumes at 4 and at 1 without losing or duplicating a record', async () => {
    const records = [];
    for (let i = 0; i < 30; i++) for (let part = 0; part < 4; part++) records.push({ key: `p${part}`, value: `${part}:${i}`, timestamp: i * 100 + part * 7, partition: part });
    const read =
      (parallelism: number): PipelineBuilder =>
      (p) => {
        p.fromTopic<string>('events', { uid: 'events', parallelism, watermarks: boundedOutOfOrderness(50) })
          .map((v) => v)
          .sink('out');
      };
    const store = new MemoryDurableStore();
    await produceToTopic(store, 'events', { partitions: 4 }, records);
    const { file, before } = await stopAt(read(2), 1450, store);
    // Offsets 0..14 of every partition (event times up to 1421) were read before the savepoint.
    expect(before).toHaveLength(60);
    for (const p of [4, 1]) {
      const { after, trace } = await resume(read(p), file, store);
      expect(sorted([...before, ...after])).toEqual(sorted(records.map((r) => r.value)));
      // Each partition resumes at its saved offset, 15, whichever subtask reads it now.
      const first = new Map<number, number>();
      for (const e of trace) if (e.type === 'recordArrived' && !first.has(e.partition)) first.set(e.partition, e.offset);
      expect([...first].sort()).toEqual([
        [0, 15],
        [1, 15],
        [2, 15],
        [3, 15],
      ]);
      expect(trace.find((e) => e.type === 'jobRestored')).toMatchObject({ rescaled: [{ operatorId: 'events', from: 2, to: p }] });
    }
  });

  it("an exactly-once sink's pre-committed transactions are split over the new subtasks and committed once", async () => {
    const sunk =
      (parallelism: number): PipelineBuilder =>
      (p) => {
        p.fromArray(orders, { timestampOf: (o) => o.n * 100, uid: 'orders' })
          .map((o) => `${o.customer}:${o.n}`)
          .setParallelism(parallelism)
          .uid('format')
          .sinkTo('billing', { guarantee: 'exactlyOnce', parallelism, uid: 'billing' });
      };
    const store = new MemoryDurableStore();
    const { file } = await stopAt(sunk(2), 3450, store);
    const pending = file.parts.filter((p) => p.name.startsWith('billing#')).map((p) => decodeSnapshot<{ operator: string[] }>(p.data).operator);
    // The stop's checkpoint pre-committed one transaction per subtask; it completed, so they are committed on restore too (again: a no-op).
    expect(pending.map((ids) => ids.length)).toEqual([1, 1]);
    const after = new MemoryDurableStore();
    await runDurable(sunk(3), { store: after, jobId: 'after', checkpointInterval: 1000, fromSavepoint: { file } });
    const committed = [...(await store.sinkRead('billing')), ...(await after.sinkRead('billing'))].map((w) => String(w.value));
    expect(sorted(committed)).toEqual(sorted(orders.map((o) => `${o.customer}:${o.n}`)));
  });

  it('refuses a parallelism above the 128 key groups, operator state that is not a list, and in-flight records', async () => {
    const layout = [{ uid: 'totals', name: 'process', kind: 'operator' as const, parallelism: 200, inputs: [] }];
    expect(() => rescaledOperators(['totals#0', 'totals#1'], layout)).toThrow(
      'savepoint: operator "process" cannot run at parallelism 200: keyed state is split into 128 key groups (the maximum parallelism), so at most 128 subtasks can own any of it',
    );
    const { file } = await stopAt(totals(2), 3450);
    const odd = toSavepointFile('odd', {
      ...snapshotOf(file),
      parts: file.parts.map((p) => (p.name.startsWith('totals#') ? { name: p.name, data: encodeSnapshot({ ...decodeSnapshot<object>(p.data), operator: { open: 'tx-9' } }) } : p)),
    });
    await expect(runDurable(totals(3), { store: new MemoryDurableStore(), jobId: 'x', checkpointInterval: 1000, fromSavepoint: { file: odd } })).rejects.toThrow(
      'savepoint: operator "process" keeps operator state that is not a list ({"open":"tx-9"}), so it cannot be redistributed to 3 subtasks',
    );
    // Records in flight of an unaligned checkpoint, as a subtask keeps them beside its state.
    const inFlight = toSavepointFile('unaligned', {
      ...snapshotOf(file),
      parts: file.parts.map((p) =>
        p.name === 'totals#1' ? { name: p.name, data: encodeSnapshot({ ...decodeSnapshot<object>(p.data), channelState: [{ kind: 'records', channel: 0, values: ['x'], timestamps: [0] }] }) } : p,
      ),
    });
    await expect(runDurable(totals(3), { store: new MemoryDurableStore(), jobId: 'y', checkpointInterval: 1000, fromSavepoint: { file: inFlight } })).rejects.toThrow(
      'savepoint: operator "process" was snapshotted with in-flight records (an unaligned checkpoint), which cannot be restored at another parallelism; take the savepoint with aligned checkpoints',
    );
  });

  it('the state processor reads a savepoint per operator, merged over its subtasks, with key groups', async () => {
    const { file } = await stopAt(totals(2), 3450);
    const sp = new StateProcessor(file);
    expect(sp.parallelismOf('totals')).toBe(2);
    const entries = sp.entries('totals', 'total');
    expect(entries.map((e) => e.key).sort()).toEqual([...customers].sort());
    for (const e of entries) {
      expect(e.keyGroup).toBe(keyGroupOf(e.key));
      expect(e.subtask).toBe(subtaskForKeyGroup(e.keyGroup, 2));
    }
  });
});
