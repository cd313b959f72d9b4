// A chart line's SVG path, written as d3.line() writes it (linear or step-after curve, gaps at
// non-finite values, three decimals) and kept between draws: a line that grew at its end writes
// only its new points. Invariant: the text equals d3.line()'s for the same points and scales.

import type { ChartPoint } from './line-chart.ts';
import { mapLinear, type LinearMap } from './thin-series.ts';

/** Points at a line's end that may change before the next draw (a thinning's open column). */
const UNSETTLED = 8;

/** Where writing a path stands after some points. */
interface Pen {
  text: string;
  /** Points of the current segment so far (0: between segments), counted up to 2. */
  drawn: number;
  x: number;
  y: number;
}

/** d3-path's rounding (digits 3), number to text as its template does. */
function round(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}

/** Writes one point as d3.line() does with `defined: finite value`. */
function write(pen: Pen, p: ChartPoint, x: LinearMap, y: LinearMap, step: boolean): void {
  if (!Number.isFinite(p.v)) {
    end(pen);
    return;
  }
  const px = mapLinear(x, p.t);
  const py = mapLinear(y, p.v);
  if (pen.drawn === 0) pen.text += `M${round(px)},${round(py)}`;
  else if (step) {
    // d3's step curve at t = 1: x1 = x0·(1 − t) + x·t.
    const x1 = pen.x * (1 - 1) + px * 1;
    pen.text += `L${round(x1)},${round(pen.y)}L${round(x1)},${round(py)}`;
  } else pen.text += `L${round(px)},${round(py)}`;
  pen.drawn = Math.min(2, pen.drawn + 1);
  pen.x = px;
  pen.y = py;
}

/** Ends a segment: one of a single point is closed (d3's `Z`). */
function end(pen: Pen): void {
  if (pen.drawn === 1) pen.text += 'Z';
  pen.drawn = 0;
}

/**
 * `d3.line().defined((p) => Number.isFinite(p.v)).x((p) => x(p.t)).y((p) => y(p.v))`'s path of
 * `points` (null when it draws nothing, as d3's), with `curveStepAfter` when `step`.
 */
export function linePath(points: readonly ChartPoint[], x: LinearMap, y: LinearMap, step: boolean): string | null {
  return new LinePath().path(points, x, y, step);
}

/**
 * `linePath` kept between draws of one line: when the scales are the same and the points up to
 * a kept mark are the same objects, only the points after it are written.
 */
export class LinePath {
  private key = '';
  /** The points written before the mark, and the pen there. */
  private marked: readonly ChartPoint[] = [];
  private pen: Pen = { text: '', drawn: 0, x: Number.NaN, y: Number.NaN };

  /** The path of `points` (see `linePath`). */
  path(points: readonly ChartPoint[], x: LinearMap, y: LinearMap, step: boolean): string | null {
    const key = `${x.d0}|${x.d1}|${x.r0}|${x.r1}|${y.d0}|${y.d1}|${y.r0}|${y.r1}|${step}`;
    let kept = key === this.key && this.marked.length <= points.length;
    for (let i = 0; kept && i < this.marked.length; i++) kept = this.marked[i] === points[i];
    if (!kept) {
      this.key = key;
      this.marked = [];
      this.pen = { text: '', drawn: 0, x: Number.NaN, y: Number.NaN };
    }
    const pen = { ...this.pen };
    // The mark moves up to where the line may still change.
    const mark = Math.max(this.marked.length, points.length - UNSETTLED);
    for (let i = this.marked.length; i < points.length; i++) {
      if (i === mark && mark > this.marked.length) {
        this.marked = points.slice(0, mark);
        this.pen = { ...pen };
      }
      write(pen, points[i]!, x, y, step);
    }
    end(pen);
    return pen.text === '' ? null : pen.text;
  }
}
