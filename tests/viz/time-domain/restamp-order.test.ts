import { describe, expect, it } from 'vitest';
import { RestampOrder } from '../../../src/viz/time-domain/draw-records-canvas.ts';

function all(order: RestampOrder, batch: number): number[] {
  const out: number[] = [];
  const buffer = new Int32Array(batch);
  for (;;) {
    const n = order.take(batch, buffer);
    if (n === 0) return out;
    out.push(...buffer.subarray(0, n));
  }
}

describe('RestampOrder', () => {
  it('takes a thin sample over the whole run first, then fills in pass by pass', () => {
    expect(all(new RestampOrder(10, 4), 3)).toEqual([0, 3, 6, 9, 1, 4, 7, 2, 5, 8]);
  });

  it('takes every record exactly once', () => {
    const order = new RestampOrder(100_003, 16_384);
    expect(order.stride).toBe(7);
    const taken = all(order, 1024);
    expect(taken.length).toBe(100_003);
    expect(new Set(taken).size).toBe(100_003);
    expect(order.done).toBe(true);
  });

  it('takes records in order when they fit in one pass', () => {
    expect(all(new RestampOrder(5), 2)).toEqual([0, 1, 2, 3, 4]);
    expect(all(new RestampOrder(0), 2)).toEqual([]);
  });
});
