// The interval join against a brute-force join: with no watermarks (nothing is late, nothing is
// cleaned up before the end), it emits exactly the pairs of equal keys with
// lower <= right.ts - left.ts <= upper, each once, stamped max(left.ts, right.ts).

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { noWatermarks, runPipeline } from '../../../src/engine/api/index.ts';
import { arrivingRecords } from './arbitraries.ts';

describe('interval join', () => {
  it('emits exactly the pairs a brute-force join finds', () => {
    const bounds = fc.tuple(fc.integer({ min: -1500, max: 1500 }), fc.integer({ min: 0, max: 1500 })).map(([lo, width]) => [lo, lo + width] as const);
    fc.assert(
      fc.property(arrivingRecords(25), arrivingRecords(25), bounds, fc.integer({ min: 1, max: 3 }), (left, right, [lower, upper], parallelism) => {
        const out = runPipeline((p) => {
          p.setParallelism(parallelism);
          const l = p.fromRecords(left, { name: 'l', watermarks: noWatermarks() }).keyBy((x) => x.key);
          const r = p.fromRecords(right, { name: 'r', watermarks: noWatermarks() }).keyBy((x) => x.key);
          l.intervalJoin(r)
            .between(lower, upper)
            .process<string>((a, b, ctx) => ctx.output(`${a.id}-${b.id}`))
            .sink('pairs');
        }).records;
        const expected: string[] = [];
        const stamps = new Map<string, number>();
        for (const a of left) {
          for (const b of right) {
            const d = b.timestamp - a.timestamp;
            if (a.value.key !== b.value.key || d < lower || d > upper) continue;
            expected.push(`${a.value.id}-${b.value.id}`);
            stamps.set(`${a.value.id}-${b.value.id}`, Math.max(a.timestamp, b.timestamp));
          }
        }
        expect(out.map((x) => x.value as string).sort()).toEqual(expected.sort());
        for (const x of out) expect(x.timestamp).toBe(stamps.get(x.value as string));
      }),
      { numRuns: 200 },
    );
  });
});
