// What "normal" looks like for a metric so far: at each point, the median of the values before
// it ± 3 median absolute deviations (robust: one spike does not widen the band for good).
// Invariant: causal — a point's band uses only earlier points, so scrubbing never changes it.

import type { BandPoint, ChartPoint } from './line-chart.ts';

function median(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  const mid = n >> 1;
  return n % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface BandOptions {
  /** How many earlier points to look back over (a rolling window). */
  readonly window?: number;
  /** Points needed before a band is drawn. */
  readonly minPoints?: number;
  /** Width in MADs either side of the median. */
  readonly k?: number;
  /**
   * Computes the band only for points from this index on (the band is causal, so the points
   * before keep the band an earlier call gave them: a growing series extends its band).
   */
  readonly from?: number;
}

/**
 * The band at each point from the `minPoints`-th on: median ± k·MAD of up to `window`
 * earlier values (MAD = median of |x − median|).
 * @example normalBand([1, 2, 3, 4, 5, 100].map((v, t) => ({ t, v })), { minPoints: 5 }) // [{ t: 5, lo: 0, hi: 6 }]
 */
export function normalBand(points: readonly ChartPoint[], options: BandOptions = {}): BandPoint[] {
  const window = options.window ?? 60;
  const minPoints = options.minPoints ?? 5;
  const k = options.k ?? 3;
  const out: BandPoint[] = [];
  // Scratch arrays reused for every point: a typed array sorts numerically without a comparator
  // and allocates nothing per point (a long run's band is thousands of points).
  const size = Math.max(0, Math.min(window, points.length));
  const values = new Float64Array(size);
  const deviations = new Float64Array(size);
  for (let i = Math.max(minPoints, options.from ?? 0); i < points.length; i++) {
    let n = 0;
    for (let j = Math.max(0, i - window); j < i; j++) {
      const v = points[j]!.v;
      if (Number.isFinite(v)) values[n++] = v;
    }
    if (n < minPoints) continue;
    const sorted = values.subarray(0, n).sort();
    const m = median(sorted);
    for (let j = 0; j < n; j++) deviations[j] = Math.abs(sorted[j]! - m);
    const mad = median(deviations.subarray(0, n).sort());
    out.push({ t: points[i]!.t, lo: m - k * mad, hi: m + k * mad });
  }
  return out;
}
