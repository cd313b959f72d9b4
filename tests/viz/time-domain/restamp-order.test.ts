import { describe, expect, it } from 'vitest';
import { pictureTransform, RestampOrder } from '../../../src/viz/time-domain/record-picture.ts';

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

  it('says when its thin sample of the whole run is taken', () => {
    const order = new RestampOrder(10, 4);
    const buffer = new Int32Array(3);
    expect(order.firstPassDone).toBe(false);
    order.take(3, buffer);
    expect(order.firstPassDone).toBe(false);
    order.take(1, buffer);
    // 0, 3, 6, 9 taken; the second pass starts with the next take.
    expect(order.firstPassDone).toBe(false);
    order.take(1, buffer);
    expect([order.firstPassDone, buffer[0]]).toEqual([true, 1]);
  });
});

describe('pictureTransform', () => {
  const geometry = (x: [number, number, number, number], y: [number, number, number, number], ratio: number) => ({
    w: 100,
    h: 100,
    cellPx: 1,
    gw: 100,
    gh: 100,
    half: 3,
    side: 6,
    x: { d0: x[0], d1: x[1], r0: x[2], r1: x[3] },
    y: { d0: y[0], d1: y[1], r0: y[2], r1: y[3] },
    ratio,
    clip: { left: 0, top: 0, right: 100, bottom: 100 },
  });

  it('moves a dot drawn with the old scales to where the new scales put it', () => {
    const before = geometry([0, 100, 10, 90], [0, 1000, 20, 80], 1);
    const after = geometry([0, 200, 10, 90], [-500, 1500, 20, 80], 2);
    const m = pictureTransform(before, after)!;
    // Event time 50, processing time 250: (50, 35) before; (2·(10 + 20), 2·(20 + 22.5)) after.
    expect(m.sx * 50 + m.tx).toBeCloseTo(60, 10);
    expect(m.sy * 35 + m.ty).toBeCloseTo(85, 10);
    expect(m.sx).toBeCloseTo(1, 10);
    expect(m.sy).toBeCloseTo(1, 10);
  });

  it('is the identity for the same scales, and undefined for an empty domain', () => {
    const g = geometry([5, 25, 10, 90], [0, 10, 20, 80], 1.5);
    expect(pictureTransform(g, g)).toEqual({ sx: 1, tx: 0, sy: 1, ty: 0 });
    expect(pictureTransform(geometry([5, 5, 10, 90], [0, 10, 20, 80], 1), g)).toBeUndefined();
  });
});
