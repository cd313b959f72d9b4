import { describe, expect, it } from 'vitest';
import { thinDots } from '../../../src/viz/metrics/line-chart.ts';
import { thinBand, thinLine } from '../../../src/viz/metrics/thin-series.ts';
import { normalBand } from '../../../src/viz/metrics/normal-band.ts';

// One pixel per 10 ms of time, one per unit of value.
const x = { d0: 0, d1: 10, r0: 0, r1: 1 };
const y = { d0: 0, d1: 1, r0: 0, r1: 1 };

describe('line chart thinning', () => {
  it('leaves a line with a few points per pixel column as it is', () => {
    const points = [0, 10, 20].map((t) => ({ t, v: t }));
    expect(thinLine(points, x, 10)).toBe(points);
  });

  it('keeps the first, lowest, highest and last point of each column of a dense line, in time order', () => {
    // Two pixel columns of 30 points each (t 0 and t 100).
    const points = Array.from({ length: 60 }, (_, i) => ({ t: i < 30 ? 0 : 100, v: i < 30 ? [5, 9, 1, 4][i % 4]! : i }));
    const thinned = thinLine(points, x, 1);
    expect(thinned.map((p) => p.v)).toEqual([5, 9, 1, 9, 30, 59]);
  });

  it('draws one dot per pixel, the first that lands there', () => {
    const dots = thinDots([{ t: 0, v: 1 }, { t: 2, v: 1.2 }, { t: 30, v: 1 }, { t: 0, v: Number.NaN }], x, y);
    expect(dots).toEqual([{ t: 0, v: 1 }, { t: 30, v: 1 }]);
  });

  it('folds a dense band into one span per column', () => {
    const band = [0, 1, 2, 30].map((t, i) => ({ t, lo: -i, hi: i }));
    expect(thinBand(band, x, 1)).toEqual([{ t: 0, lo: -2, hi: 2 }, { t: 30, lo: -3, hi: 3 }]);
  });
});

describe('normal band from an index', () => {
  it('extends an earlier band with the same points a full computation gives', () => {
    const points = Array.from({ length: 40 }, (_, t) => ({ t, v: (t * 7) % 11 }));
    const full = normalBand(points);
    const first = normalBand(points.slice(0, 25));
    expect([...first, ...normalBand(points, { from: 25 })]).toEqual(full);
  });
});
