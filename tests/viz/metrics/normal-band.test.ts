import { describe, expect, it } from 'vitest';
import { normalBand } from '../../../src/viz/metrics/normal-band.ts';
import type { BandPoint, ChartPoint } from '../../../src/viz/metrics/line-chart.ts';

/** The band by its definition: each window sorted afresh, deviations sorted afresh. */
function byDefinition(points: readonly ChartPoint[], window: number, minPoints: number, k: number): BandPoint[] {
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const mid = s.length >> 1;
    return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  };
  const out: BandPoint[] = [];
  for (let i = minPoints; i < points.length; i++) {
    const values = points.slice(Math.max(0, i - window), i).map((p) => p.v).filter(Number.isFinite);
    if (values.length < minPoints) continue;
    const m = median(values);
    const mad = median(values.map((v) => Math.abs(v - m)));
    out.push({ t: points[i]!.t, lo: m - k * mad, hi: m + k * mad });
  }
  return out;
}

describe('normalBand', () => {
  it('equals the median ± k·MAD of each window sorted afresh, gaps, repeats and spikes included', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const points: ChartPoint[] = Array.from({ length: 700 }, (_, t) => {
      const r = next();
      const v = r < 0.05 ? Number.NaN : r < 0.1 ? 1000 * next() : r < 0.3 ? 5 : Math.round(next() * 40) - 10;
      return { t, v };
    });
    for (const [window, minPoints, k] of [[60, 5, 3], [7, 3, 2], [1, 1, 3]] as const) {
      expect(normalBand(points, { window, minPoints, k })).toEqual(byDefinition(points, window, minPoints, k));
    }
  });

  it('extends a band from a later point exactly as the whole band has it', () => {
    const points: ChartPoint[] = Array.from({ length: 200 }, (_, t) => ({ t, v: (t * 37) % 23 }));
    const whole = normalBand(points);
    expect(normalBand(points, { from: 120 })).toEqual(whole.filter((b) => b.t >= 120));
  });
});
