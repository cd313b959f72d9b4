// What "normal" looks like for a metric so far: at each point, the median of the values before
// it ± 3 median absolute deviations (robust: one spike does not widen the band for good).
// Invariant: causal — a point's band uses only earlier points, so scrubbing never changes it.

import type { BandPoint, ChartPoint } from './line-chart.ts';

/** The median of the sorted first `n` of `sorted` (no subarray made per point). */
function median(sorted: Float64Array, n: number): number {
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
 *
 * The window slides: its finite values are kept sorted, one value inserted and one removed per
 * point (no sort per point), and the MAD is read by merging the deviations on either side of
 * the median, which are already in order. Same numbers as sorting each window afresh.
 * @example normalBand([1, 2, 3, 4, 5, 100].map((v, t) => ({ t, v })), { minPoints: 5 }) // [{ t: 5, lo: 0, hi: 6 }]
 */
export function normalBand(points: readonly ChartPoint[], options: BandOptions = {}): BandPoint[] {
  const window = options.window ?? 60;
  const minPoints = options.minPoints ?? 5;
  const k = options.k ?? 3;
  const out: BandPoint[] = [];
  const first = Math.max(minPoints, options.from ?? 0);
  if (first >= points.length) return out;
  // The finite values of points[i - window, i), sorted; a typed array allocated once per call.
  const sorted = new Float64Array(Math.max(1, window));
  let n = 0;
  for (let j = Math.max(0, first - window); j < first; j++) {
    const v = points[j]!.v;
    if (Number.isFinite(v)) sorted[n++] = v;
  }
  sorted.subarray(0, n).sort();
  for (let i = first; i < points.length; i++) {
    if (i > first) {
      // Slide: points[i - 1] comes in, points[i - 1 - window] goes out.
      const gone = i - 1 - window >= 0 ? points[i - 1 - window]!.v : Number.NaN;
      if (Number.isFinite(gone)) n = remove(sorted, n, gone);
      const v = points[i - 1]!.v;
      if (Number.isFinite(v)) n = insert(sorted, n, v);
    }
    if (n < minPoints) continue;
    const m = median(sorted, n);
    const mad = medianDeviation(sorted, n, m);
    out.push({ t: points[i]!.t, lo: m - k * mad, hi: m + k * mad });
  }
  return out;
}

/** Inserts `v` into the sorted first `n` of `a`; returns the new count. */
function insert(a: Float64Array, n: number, v: number): number {
  let j = n;
  while (j > 0 && a[j - 1]! > v) {
    a[j] = a[j - 1]!;
    j--;
  }
  a[j] = v;
  return n + 1;
}

/** Removes one `v` from the sorted first `n` of `a`; returns the new count. */
function remove(a: Float64Array, n: number, v: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  if (lo >= n || a[lo] !== v) return n;
  a.copyWithin(lo, lo + 1, n);
  return n - 1;
}

/**
 * The median of |a[j] − m| over the sorted first `n` of `a`: the deviations below the split
 * (read downwards) and above it (read upwards) are each ascending, so merging them yields the
 * deviations in order up to the middle.
 */
function medianDeviation(a: Float64Array, n: number, m: number): number {
  // The first value not below the median, by binary search.
  let split = 0;
  let hi = n;
  while (split < hi) {
    const mid = (split + hi) >> 1;
    if (a[mid]! < m) split = mid + 1;
    else hi = mid;
  }
  let left = split - 1;
  let right = split;
  const want = n >> 1;
  let previous = 0;
  let current = 0;
  for (let taken = 0; taken <= want; taken++) {
    previous = current;
    const dl = left >= 0 ? Math.abs(a[left]! - m) : Number.POSITIVE_INFINITY;
    const dr = right < n ? Math.abs(a[right]! - m) : Number.POSITIVE_INFINITY;
    if (dl <= dr) {
      current = dl;
      left--;
    } else {
      current = dr;
      right++;
    }
  }
  return n % 2 ? current : (previous + current) / 2;
}
