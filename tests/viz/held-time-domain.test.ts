import { describe, expect, it } from 'vitest';
import { HeldTimeDomain } from '../../src/viz/held-time-domain.ts';

const live = (endT: number, startT = 0) => ({ attempts: [{ startT }], endT, finished: false });

describe('HeldTimeDomain', () => {
  it('holds a live run\'s end a quarter of its span ahead, steps only when the run outgrows it, and ends exactly at a finished run\'s end', () => {
    const d = new HeldTimeDomain();
    expect(d.of(live(1000))).toEqual([0, 1250]);
    expect(d.of(live(1200))).toEqual([0, 1250]);
    expect(d.of(live(1250))).toEqual([0, 1250]);
    expect(d.of(live(1300))).toEqual([0, 1625]);
    expect(d.of({ ...live(1400), finished: true })).toEqual([0, 1400]);
  });

  it('measures the span from the first attempt\'s start, and forgets the held end on reset', () => {
    const d = new HeldTimeDomain();
    expect(d.of(live(3000, 1000))).toEqual([1000, 3500]);
    expect(d.of(live(2000, 1000))).toEqual([1000, 3500]);
    d.reset();
    expect(d.of(live(2000, 1000))).toEqual([1000, 2250]);
  });

  it('gives an empty run a span of one', () => {
    expect(new HeldTimeDomain().of({ attempts: [], endT: 0, finished: true })).toEqual([0, 1]);
  });
});
