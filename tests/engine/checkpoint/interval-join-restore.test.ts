// An interval join's buffers across a savepoint: every part records their kind, as Flink
// registers LEFT_BUFFER and RIGHT_BUFFER MapStateDescriptors; the same join restores its
// buffers; a uid that now names a window or a process function is refused (or, allowed, starts
// empty); a migration reshapes buffered records one at a time; parts without descriptors
// restore as before.

import { describe, expect, it } from 'vitest';
import { seconds, tumblingWindows, type PipelineBuilder } from '../../../src/engine/api/index.ts';
import { runDurable } from '../../../src/engine/checkpoint/job-driver.ts';
import { MemoryDurableStore } from '../../../src/engine/checkpoint/memory-store.ts';
import { snapshotOf, toSavepointFile, type RestoreOptions, type SavepointFile, type StateMigrations } from '../../../src/engine/checkpoint/savepoint.ts';
import { decodeSnapshot, encodeSnapshot } from '../../../src/engine/checkpoint/snapshot-codec.ts';
import { StateMigrationError } from '../../../src/engine/checkpoint/state-descriptors.ts';

interface Order {
  id: string;
  amount: number;
}
interface Payment {
  order: string;
}
/** Order i at 200 i ms of event time; its payment 300 ms later. */
const orders: Order[] = Array.from({ length: 10 }, (_, i) => ({ id: `o${i}`, amount: i + 1 }));
const payments: Payment[] = orders.map((o) => ({ order: o.id }));
const orderTime = (o: Order) => Number(o.id.slice(1)) * 200;

const ordersOf = (p: Parameters<PipelineBuilder>[0]) => p.fromArray(orders, { timestampOf: orderTime, uid: 'orders' });
const paymentsOf = (p: Parameters<PipelineBuilder>[0]) =>
  p.fromArray(payments, { timestampOf: (x) => Number(x.order.slice(1)) * 200 + 300, uid: 'payments' }).keyBy((x) => x.order);

/** Version 1: each order paired with its payment within 500 ms. */
const joined: PipelineBuilder = (p) => {
  ordersOf(p)
    .keyBy((o) => o.id)
    .intervalJoin(paymentsOf(p))
    .between(0, 500)
    .process<string>((o, _pay, ctx) => ctx.output(`${o.id} ${o.amount} paid after ${ctx.rightTimestamp - ctx.leftTimestamp}`))
    .uid('pairs')
    .sink('out');
};

/** The uid "pairs" given to a window summing the orders. */
const windowed: PipelineBuilder = (p) => {
  ordersOf(p)
    .keyBy((o) => o.id)
    .window(tumblingWindows(seconds(1)))
    .sum((o) => o.amount)
    .uid('pairs')
    .sink('out');
};

/** The uid "pairs" given to a process function. */
const processed: PipelineBuilder = (p) => {
  ordersOf(p)
    .keyBy((o) => o.id)
    .process<string>({ processElement: (o, ctx) => ctx.output(o.id) })
    .uid('pairs')
    .sink('out');
};

/** Version 2: orders are in cents now; the join function reads `cents`. */
const inCents: PipelineBuilder = (p) => {
  ordersOf(p)
    .map((o) => ({ id: o.id, cents: o.amount * 100 }))
    .keyBy((o) => o.id)
    .intervalJoin(paymentsOf(p))
    .between(0, 500)
    .process<string>((o, _pay, ctx) => ctx.output(`${o.id} ${o.cents} cents paid after ${ctx.rightTimestamp - ctx.leftTimestamp}`))
    .uid('pairs')
    .sink('out');
};

async function savepointOf(build: PipelineBuilder, at: number): Promise<{ file: SavepointFile; before: string[] }> {
  const r = await runDurable(build, { store: new MemoryDurableStore(), jobId: 'shop', checkpointInterval: 500, stopWithSavepointAt: at });
  return { file: r.savepoint!, before: r.records.map((x) => String(x.value)) };
}

const resume = (build: PipelineBuilder, file: SavepointFile, options: RestoreOptions = {}) =>
  runDurable(build, { store: new MemoryDurableStore(), jobId: 'shop-v2', checkpointInterval: 500, restart: { kind: 'none' }, fromSavepoint: { file, options } });

const ALL_PAIRS = orders.map((o) => `${o.id} ${o.amount} paid after 300`);

const refusal = (now: string) =>
  'savepoint: operator "pairs": state "interval-join-left" was kept by an interval join (interval join buffer) ' +
  `and the operator now under that uid is ${now}, which never reads it. ` +
  'Give the operator a new .uid(...) so it starts empty, or allow dropping its old state (allowNonRestoredState / --allow-non-restored-state), which starts it empty';

describe('interval join buffers across a savepoint', () => {
  it('records the kind of both buffers in each join subtask part', async () => {
    const { file } = await savepointOf(joined, 1050);
    const part = file.parts.find((p) => p.name === 'pairs#0')!;
    expect(decodeSnapshot<{ descriptors?: unknown }>(part.data).descriptors).toEqual({
      'interval-join-left': 'interval join buffer',
      'interval-join-right': 'interval join buffer',
    });
  });

  it('restores the buffers into the same join: every pair is emitted once, across the savepoint', async () => {
    const { file, before } = await savepointOf(joined, 1050);
    // Order o4 (at 800) is buffered at the savepoint; its payment (at 1100) comes after it.
    expect(before).not.toContain('o4 5 paid after 300');
    const after = await resume(joined, file);
    expect(after.finished).toBe(true);
    expect(after.records.map((x) => String(x.value))).toContain('o4 5 paid after 300');
    expect([...before, ...after.records.map((x) => String(x.value))].sort()).toEqual([...ALL_PAIRS].sort());
  });

  it('refuses the join\'s uid given to a window, naming the uid, the state, both kinds and the ways out', async () => {
    const { file } = await savepointOf(joined, 1050);
    const error = await resume(windowed, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateMigrationError);
    expect((error as Error).message).toBe(refusal('a window (window sum)'));
  });

  it('refuses the join\'s uid given to a process function', async () => {
    const { file } = await savepointOf(joined, 1050);
    await expect(resume(processed, file)).rejects.toThrow(refusal('another kind of operator (a process function, a map or a sink)'));
  });

  it('refuses a window\'s uid given to an interval join', async () => {
    const { file } = await savepointOf(windowed, 1050);
    await expect(resume(joined, file)).rejects.toThrow(
      'savepoint: operator "pairs": state "window-panes" was kept by a window (window sum) and the operator now under that uid is an interval join (interval join buffer), which never reads it.',
    );
  });

  it('with allowNonRestoredState, starts the window under the join\'s uid empty, as under a new uid', async () => {
    const { file } = await savepointOf(joined, 1050);
    const r = await resume(windowed, file, { allowNonRestoredState: true });
    expect(r.finished).toBe(true);
    // The orders source resumes after o5 (at 1000): the window sums only o6..o9, one per key.
    expect(r.records.map((x) => `${String(x.key)} ${String(x.value)}`)).toEqual(['o6 7', 'o7 8', 'o8 9', 'o9 10']);
  });

  it('reshapes buffered records one at a time with a migration of the buffer', async () => {
    const { file, before } = await savepointOf(joined, 1050);
    const seen: string[] = [];
    const migrations: StateMigrations = {
      pairs: {
        'interval-join-left': (old, ctx) => {
          const o = old as Order;
          seen.push(`${String(ctx.key)} at ${ctx.timestamp} from ${ctx.from}`);
          return 'amount' in o ? { id: o.id, cents: o.amount * 100 } : o;
        },
      },
    };
    const r = await resume(inCents, file, { migrations });
    // At the savepoint the left buffer held o2..o5: the watermark had not yet passed their cleanup times.
    expect(seen).toEqual([
      'o2 at 400 from interval join buffer',
      'o3 at 600 from interval join buffer',
      'o4 at 800 from interval join buffer',
      'o5 at 1000 from interval join buffer',
    ]);
    const after = r.records.map((x) => String(x.value));
    expect(after).toContain('o4 500 cents paid after 300');
    expect(after.some((v) => v.includes('undefined'))).toBe(false);
    expect(before.length + after.length).toBe(orders.length);
  });

  it('restores parts written before descriptors existed, unchecked, as before', async () => {
    const { file, before } = await savepointOf(joined, 1050);
    const parts = file.parts.map((p) => {
      if (!p.name.startsWith('pairs#')) return p;
      const { descriptors: _, ...rest } = decodeSnapshot<{ descriptors?: unknown }>(p.data);
      return { name: p.name, data: encodeSnapshot(rest) };
    });
    const old = toSavepointFile(file.jobId, { ...snapshotOf(file), parts });
    const r = await resume(joined, old);
    expect([...before, ...r.records.map((x) => String(x.value))].sort()).toEqual([...ALL_PAIRS].sort());
  });
});
