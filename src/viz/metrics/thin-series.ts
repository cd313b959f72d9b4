// Thinning a chart's series to what its pixel columns can show, in plain arithmetic and
// incrementally: a growing series thins only its new points, keeping its finished columns.
// Invariant: an incremental thinning equals thinning the same points from scratch, as long as
// the points before the last column thinned are unchanged (a causal series of a growing run).

import type { BandPoint, ChartPoint } from './line-chart.ts';

/**
 * A linear scale's arithmetic, as d3's `scaleLinear().domain([d0, d1]).range([r0, r1])`
 * computes it (the same floating-point steps, so the same pixels), without its calls.
 */
export interface LinearMap {
  readonly d0: number;
  readonly d1: number;
  readonly r0: number;
  readonly r1: number;
}

/** `t` mapped by `m`, bit for bit as d3's linear scale (normalize, then interpolate). */
export function mapLinear(m: LinearMap, t: number): number {
  const u = (t - m.d0) / (m.d1 - m.d0);
  return m.r0 * (1 - u) + m.r1 * u;
}

/** Where a thinning stands: the flushed columns and the one still open (it may change). */
interface LineState {
  /** Thinned points of the columns before the open one. */
  readonly out: ChartPoint[];
  /** Index of the open column's first point; -1 before any point. */
  first: number;
  lo: number;
  hi: number;
  last: number;
  /** The open column (NaN for a point with no finite value, which stands alone). */
  column: number;
  /** Points scanned so far. */
  scanned: number;
  /**
   * The state just before the open column began (`out`'s length then, and the column before it,
   * still open): a rescan of the open column starts from there, because whether that column was
   * closed depends on the open column's first point (a point with no finite value closes it;
   * given a value later, it may belong to it). `earlier` is the same for the column before, so a
   * rescan that reopens that column knows where it began; either may be unknown (`valid` false),
   * and a rescan then starts over.
   */
  before: BeforeColumn;
  earlier: BeforeColumn;
}

/** A LineState's fields at the moment a column began (see LineState.before). */
interface BeforeColumn {
  valid: boolean;
  outLength: number;
  first: number;
  lo: number;
  hi: number;
  last: number;
  column: number;
}

const unknownBefore = (): BeforeColumn => ({ valid: false, outLength: 0, first: -1, lo: 0, hi: 0, last: 0, column: Number.NaN });

function freshLine(): LineState {
  return { out: [], first: -1, lo: 0, hi: 0, last: 0, column: Number.NaN, scanned: 0, before: unknownBefore(), earlier: unknownBefore() };
}

/** Appends the open column's first, lowest, highest and last point, in index order, once each. */
function flushLine(s: LineState, points: readonly ChartPoint[], out: ChartPoint[]): void {
  if (s.first < 0) return;
  // The four indices in order without a sort or an array: first <= lo, hi <= last.
  pushOnce(out, points[s.first]!);
  pushOnce(out, points[Math.min(s.lo, s.hi)]!);
  pushOnce(out, points[Math.max(s.lo, s.hi)]!);
  pushOnce(out, points[s.last]!);
}

function pushOnce(out: ChartPoint[], p: ChartPoint): void {
  if (out[out.length - 1] !== p) out.push(p);
}

/** Scans `points[s.scanned, end)` into `s`, flushing each column as the next one starts. */
function scanLine(s: LineState, points: readonly ChartPoint[], end: number, x: LinearMap): void {
  for (let i = s.scanned; i < end; i++) {
    const p = points[i]!;
    const finite = Number.isFinite(p.v);
    const c = finite ? Math.round(mapLinear(x, p.t)) : Number.NaN;
    if (s.first < 0 || !finite || c !== s.column) {
      // The open column's `before` becomes `earlier`; the old `earlier` is reused for the new one.
      const b = s.earlier;
      s.earlier = s.before;
      s.before = b;
      b.valid = true;
      b.outLength = s.out.length;
      b.first = s.first;
      b.lo = s.lo;
      b.hi = s.hi;
      b.last = s.last;
      b.column = s.column;
      flushLine(s, points, s.out);
      s.column = c;
      s.first = s.lo = s.hi = s.last = i;
      continue;
    }
    if (p.v < points[s.lo]!.v) s.lo = i;
    if (p.v > points[s.hi]!.v) s.hi = i;
    s.last = i;
  }
  s.scanned = end;
}

/**
 * The points a line needs over `width` pixel columns of `x`: past four points per column, each
 * column keeps its first, lowest, highest and last point (in time order), which draws the same
 * line with far fewer vertices. Only `points[0, end)` are read.
 * @example thinLine(points, { d0: 0, d1: 1000, r0: 0, r1: 100 }, 100)
 */
export function thinLine(points: readonly ChartPoint[], x: LinearMap, width: number, end = points.length): readonly ChartPoint[] {
  if (end <= 4 * Math.max(1, width)) return end === points.length ? points : points.slice(0, end);
  const s = freshLine();
  scanLine(s, points, end, x);
  flushLine(s, points, s.out);
  return s.out;
}

/** Where a band's thinning stands: the flushed columns and the open one. */
interface BandState {
  readonly out: BandPoint[];
  /** Index of the open column's first band point; -1 before any. */
  first: number;
  column: number;
  lo: number;
  hi: number;
  scanned: number;
}

function freshBand(): BandState {
  return { out: [], first: -1, column: Number.NaN, lo: 0, hi: 0, scanned: 0 };
}

/** Appends the open column: its first band point, or one at its time spanning its extremes. */
function flushBand(s: BandState, band: readonly BandPoint[], out: BandPoint[]): void {
  if (s.first < 0) return;
  const b = band[s.first]!;
  out.push(b.lo === s.lo && b.hi === s.hi ? b : { t: b.t, lo: s.lo, hi: s.hi });
}

function scanBand(s: BandState, band: readonly BandPoint[], end: number, x: LinearMap): void {
  for (let i = s.scanned; i < end; i++) {
    const b = band[i]!;
    const c = Math.round(mapLinear(x, b.t));
    if (s.first >= 0 && c === s.column) {
      s.lo = Math.min(s.lo, b.lo);
      s.hi = Math.max(s.hi, b.hi);
      continue;
    }
    flushBand(s, band, s.out);
    s.first = i;
    s.column = c;
    s.lo = b.lo;
    s.hi = b.hi;
  }
  s.scanned = end;
}

/**
 * A band over `width` pixel columns of `x`: past two points per column, one per column spanning
 * its extremes (at the column's first time). Only `band[0, end)` is read.
 */
export function thinBand(band: readonly BandPoint[], x: LinearMap, width: number, end = band.length): readonly BandPoint[] {
  if (end <= 2 * Math.max(1, width)) return end === band.length ? band : band.slice(0, end);
  const s = freshBand();
  scanBand(s, band, end, x);
  flushBand(s, band, s.out);
  return s.out;
}

/**
 * `thinLine` and `thinBand` kept between draws of one series: while the columns (domain and
 * width) stay and the points before the open column are unchanged, a draw scans only from the
 * open column's first point on. The caller says when that may not hold (`reset`), e.g. for
 * another run.
 */
export class IncrementalThin {
  private line = freshLine();
  private band = freshBand();
  private columns = '';

  /** Forgets what was thinned (the next draw thins from scratch). */
  reset(): void {
    this.line = freshLine();
    this.band = freshBand();
  }

  /** `thinLine(points, x, width, end)`, scanning only from the open column on. */
  thinLine(points: readonly ChartPoint[], x: LinearMap, width: number, end = points.length): readonly ChartPoint[] {
    this.keepColumns(x, width);
    if (end <= 4 * Math.max(1, width)) return end === points.length ? points : points.slice(0, end);
    const s = this.line;
    // The open column is scanned again (its points may have changed, or a playhead cut it), from
    // the state before it began; a cut before it starts over.
    if (s.first < 0 || end < s.first || !s.before.valid) this.line = freshLine();
    else {
      const b = s.before;
      s.scanned = s.first;
      s.out.length = b.outLength;
      s.first = b.first;
      s.lo = b.lo;
      s.hi = b.hi;
      s.last = b.last;
      s.column = b.column;
      // The reopened column's own `before` is `earlier`; the one before it is not known.
      s.before = s.earlier;
      s.earlier = b;
      b.valid = false;
    }
    const state = this.line;
    scanLine(state, points, end, x);
    // The open column goes into the copy returned, not into the kept columns.
    const kept = state.out.length;
    flushLine(state, points, state.out);
    const result = state.out.slice();
    state.out.length = kept;
    return result;
  }

  /** `thinBand(band, x, width, end)`, kept the same way as `thinLine`. */
  thinBand(band: readonly BandPoint[], x: LinearMap, width: number, end = band.length): readonly BandPoint[] {
    this.keepColumns(x, width);
    if (end <= 2 * Math.max(1, width)) return end === band.length ? band : band.slice(0, end);
    const s = this.band;
    if (s.first < 0 || end < s.first) this.band = freshBand();
    else {
      s.scanned = s.first;
      s.first = -1;
    }
    const state = this.band;
    scanBand(state, band, end, x);
    const kept = state.out.length;
    flushBand(state, band, state.out);
    const result = state.out.slice();
    state.out.length = kept;
    return result;
  }

  /** Thinnings are kept only over the same columns: another domain or width starts over. */
  private keepColumns(x: LinearMap, width: number): void {
    const key = `${x.d0}|${x.d1}|${x.r0}|${x.r1}|${width}`;
    if (key === this.columns) return;
    this.columns = key;
    this.reset();
  }
}
