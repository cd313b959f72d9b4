// A pipeline the store-RPC tests share: 48,000 records over 6 s of event time on 24,000 keys, a
// running total per key in a ValueState (a checkpoint part large enough to be binary chunks),
// output exactly once.

import type { PipelineBuilder } from '../../src/engine/api/index.ts';

export const runningTotals: PipelineBuilder = (p) => {
  const records = Array.from({ length: 48_000 }, (_, i) => ({ key: i % 24_000, value: 1 + (i % 7), timestamp: Math.floor(i / 8) }));
  p.fromArray(records, { timestampOf: (r) => r.timestamp })
    .keyBy((r) => r.key)
    .process<{ key: number; total: number }>({
      processElement(r, ctx) {
        const total = ctx.state.value<number>('total');
        total.update((total.value() ?? 0) + r.value);
        ctx.output({ key: r.key, total: total.value()! });
      },
    })
    .sinkTo('totals', { guarantee: 'exactlyOnce' });
};
