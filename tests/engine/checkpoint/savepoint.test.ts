// Savepoints: stop a job with a savepoint, change its code, and resume; operators are matched
// by uid, new ones start empty, orphaned state is refused unless allowed, old state can be
// migrated or fixed in place with the state processor, and damaged files are refused.

import { describe, expect, it } from 'vitest';
import { InputError, runPipeline, type PipelineBuilder } from '../../../src/engine/api/index.ts';
import { runDurable } from '../../../src/engine/checkpoint/job-driver.ts';
import { MemoryDurableStore } from '../../../src/engine/checkpoint/memory-store.ts';
import { parseSavepointFile, type SavepointFile } from '../../../src/engine/checkpoint/savepoint.ts';
import { StateProcessor } from '../../../src/engine/checkpoint/state-processor.ts';

interface Order {
  customer: string;
  amount: number;
  n: number;
}
const orders: Order[] = Array.from({ length: 60 }, (_, n) => ({ customer: ['ann', 'bob', 'cy'][n % 3]!, amount: (n % 5) + 1, n }));

/** Version 1: a running total per customer, kept in keyed state. */
const v1: PipelineBuilder = (p) => {
  p.fromArray(orders, { timestampOf: (o) => o.n * 100, uid: 'orders' })
    .keyBy((o) => o.customer)
    .process<string>({
      processElement(o, ctx) {
        const t = ctx.state.value<number>('total');
        const total = (t.value() ?? 0) + o.amount;
        t.update(total);
        ctx.output(`${ctx.key}=${total}`);
      },
    })
    .uid('totals')
    .sink('out');
};

/** Version 2: the same totals, then a new stateless formatting step. */
const v2: PipelineBuilder = (p) => {
  p.fromArray(orders, { timestampOf: (o) => o.n * 100, uid: 'orders' })
    .keyBy((o) => o.customer)
    .process<string>({
      processElement(o, ctx) {
        const t = ctx.state.value<number>('total');
        const total = (t.value() ?? 0) + o.amount;
        t.update(total);
        ctx.output(`${ctx.key}=${total}`);
      },
    })
    .uid('totals')
    .map((s) => `total ${s}`)
    .sink('out');
};

async function stopAt(build: PipelineBuilder, pt: number): Promise<{ file: SavepointFile; before: string[] }> {
  const r = await runDurable(build, { store: new MemoryDurableStore(), jobId: 'shop', checkpointInterval: 1000, stopWithSavepointAt: pt });
  expect(r.savepoint).toBeDefined();
  return { file: r.savepoint!, before: r.records.map((x) => String(x.value)) };
}

const values = (records: readonly { value: unknown }[]) => records.map((r) => String(r.value));

describe('savepoints', () => {
  it('stop with a savepoint, change the code, and resume where it stopped', async () => {
    const { file, before } = await stopAt(v1, 2500);
    // Orders 0..25 (timestamps up to 2500) were processed before the savepoint.
    expect(before).toEqual(values(runPipeline(v1).records).slice(0, 26));
    const resumed = await runDurable(v2, { store: new MemoryDurableStore(), jobId: 'shop-v2', checkpointInterval: 1000, fromSavepoint: { file } });
    expect(resumed.finished).toBe(true);
    // The totals continue from the saved state, through the new formatting step.
    expect(values(resumed.records)).toEqual(values(runPipeline(v2).records).slice(26));
  });

  it('refuses state of an operator the new code no longer has, unless allowed', async () => {
    const { file } = await stopAt(v1, 2500);
    const renamed: PipelineBuilder = (p) => {
      p.fromArray(orders, { timestampOf: (o) => o.n * 100, uid: 'orders' })
        .keyBy((o) => o.customer)
        .process<string>({ processElement: (o, ctx) => ctx.output(o.customer) })
        .uid('counts-v2')
        .sink('out');
    };
    await expect(runDurable(renamed, { store: new MemoryDurableStore(), jobId: 'x', checkpointInterval: 1000, fromSavepoint: { file } })).rejects.toThrow(
      /state for operator\(s\) "totals" that the pipeline no longer has/,
    );
    const r = await runDurable(renamed, {
      store: new MemoryDurableStore(),
      jobId: 'x',
      checkpointInterval: 1000,
      fromSavepoint: { file, options: { allowNonRestoredState: true } },
    });
    // The new operator starts empty; the source still resumes from its saved offset.
    expect(values(r.records)).toEqual(orders.slice(26).map((o) => o.customer));
  });

  it('migrates state whose shape changed', async () => {
    const { file } = await stopAt(v1, 2500);
    const v3: PipelineBuilder = (p) => {
      p.fromArray(orders, { timestampOf: (o) => o.n * 100, uid: 'orders' })
        .keyBy((o) => o.customer)
        .process<string>({
          processElement(o, ctx) {
            const t = ctx.state.value<{ sum: number; orders: number }>('total');
            const cur = t.value() ?? { sum: 0, orders: 0 };
            const next = { sum: cur.sum + o.amount, orders: cur.orders + 1 };
            t.update(next);
            ctx.output(`${ctx.key}=${next.sum}/${next.orders}`);
          },
        })
        .uid('totals')
        .sink('out');
    };
    const r = await runDurable(v3, {
      store: new MemoryDurableStore(),
      jobId: 'v3',
      checkpointInterval: 1000,
      // The old state had only the sum; the orders seen up to n = 25 were 9 for ann and bob, 8 for cy.
      fromSavepoint: { file, options: { migrations: { totals: { total: (sum, c) => ({ sum, orders: c.key === 'cy' ? 8 : 9 }) } } } },
    });
    // n = 26 (cy, amount 2), 27 (ann, 3), 28 (bob, 4), on top of the sums 23, 27 and 26.
    expect(values(r.records).slice(0, 3)).toEqual(['cy=25/9', 'ann=30/10', 'bob=30/10']);
  });

  it('fixes state in place with the state processor instead of replaying', async () => {
    const { file } = await stopAt(v1, 2500);
    const sp = new StateProcessor(parseSavepointFile(JSON.stringify(file)));
    expect(sp.operators()).toEqual(['totals']);
    // Orders 0..25: ann 9 orders (27), bob 9 (26), cy 8 (23).
    expect(sp.entries('totals', 'total').map((e) => [e.key, e.value])).toEqual([
      ['ann', 27],
      ['bob', 26],
      ['cy', 23],
    ]);
    // A refund of 10 for ann that the pipeline never saw.
    const fixed = sp.update('totals', 'total', (v, e) => (e.key === 'ann' ? (v as number) - 10 : v)).write();
    const r = await runDurable(v1, { store: new MemoryDurableStore(), jobId: 'fix', checkpointInterval: 1000, fromSavepoint: { file: fixed } });
    // n = 27 is ann's next order (amount 3): 27 - 10 + 3.
    expect(values(r.records)[1]).toBe('ann=20');
  });

  it('reads back its own file and refuses damaged or foreign ones with a clear message', async () => {
    const { file } = await stopAt(v1, 2500);
    const text = JSON.stringify(file);
    expect(parseSavepointFile(text, 'sp.json').savepointId).toBe(file.savepointId);
    expect(() => parseSavepointFile(text.replace('"total', '"tota1'), 'sp.json')).toThrow('sp.json: the savepoint is damaged or was edited');
    expect(() => parseSavepointFile('{"steps": []}', 'input.json')).toThrow(InputError);
    expect(() => parseSavepointFile('{"steps": []}', 'input.json')).toThrow('not a Brook savepoint');
    expect(() => parseSavepointFile('not json', 'x.json')).toThrow('x.json: not a savepoint: the file is not JSON');
  });
});
