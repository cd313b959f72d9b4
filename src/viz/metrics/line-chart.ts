// A small line chart over timeline time, drawn with d3 into an <svg>: series (each with its own
// dash so colour is never the only cue), an optional "normal" band, a threshold line, alert
// spans and the playhead. Invariant: redrawn whole from its spec; holds no state of its own.

import * as d3 from 'd3';
import { cssVar } from '../theme.ts';
import { clockTicks, formatClock } from './time-format.ts';

export interface ChartPoint {
  readonly t: number;
  readonly v: number;
}

export interface ChartSeries {
  readonly id: string;
  readonly label: string;
  readonly points: readonly ChartPoint[];
  /** A CSS colour (a theme `var()`). */
  readonly color: string;
  /** SVG dash array; series after the first get one so colour is not the only cue. */
  readonly dash?: string;
  /** Hold each value until the next point (sampled counters) instead of joining points. */
  readonly step?: boolean;
  /** Draw a dot per point (sparse series such as sink output). */
  readonly dots?: boolean;
}

export interface BandPoint {
  readonly t: number;
  readonly lo: number;
  readonly hi: number;
}

export interface ChartSpec {
  readonly width: number;
  readonly height: number;
  readonly xDomain: readonly [number, number];
  readonly series: readonly ChartSeries[];
  readonly band?: readonly BandPoint[];
  readonly threshold?: number;
  /** Timeline spans during which the threshold was crossed. */
  readonly alerts?: readonly { readonly from: number; readonly to: number }[];
  readonly playheadT: number;
  readonly yFormat: (v: number) => string;
  readonly onSeek?: (t: number) => void;
}

export const MARGIN = { top: 8, right: 12, bottom: 22, left: 52 } as const;

/** Dash patterns by series index: solid, dashed, dotted, dash-dot. */
export const DASHES = [undefined, '6 3', '2 3', '8 3 2 3'] as const;

/**
 * The points a line needs at this width: past four points per pixel column, each column keeps
 * its first, lowest, highest and last point (in time order), which draws the same line with
 * far fewer vertices; a long run's series stays a short path.
 */
export function thinLine(points: readonly ChartPoint[], x: (t: number) => number, width: number): readonly ChartPoint[] {
  if (points.length <= 4 * Math.max(1, width)) return points;
  const out: ChartPoint[] = [];
  let column = Number.NaN;
  let first = 0;
  let lo = 0;
  let hi = 0;
  let last = 0;
  const flush = () => {
    for (const i of [first, lo, hi, last].sort((a, b) => a - b)) if (out.at(-1) !== points[i]) out.push(points[i]!);
  };
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    const c = Math.round(x(p.t));
    if (c !== column || !Number.isFinite(p.v)) {
      if (i > 0) flush();
      column = Number.isFinite(p.v) ? c : Number.NaN;
      first = lo = hi = last = i;
      continue;
    }
    if (p.v < points[lo]!.v) lo = i;
    if (p.v > points[hi]!.v) hi = i;
    last = i;
  }
  if (points.length > 0) flush();
  return out;
}

/** A band at this width: past two points per pixel column, one per column spanning its extremes. */
export function thinBand(band: readonly BandPoint[], x: (t: number) => number, width: number): BandPoint[] {
  if (band.length <= 2 * Math.max(1, width)) return band as BandPoint[];
  const out: BandPoint[] = [];
  let column = Number.NaN;
  for (const b of band) {
    const c = Math.round(x(b.t));
    const last = out.at(-1);
    if (last && c === column) out[out.length - 1] = { t: last.t, lo: Math.min(last.lo, b.lo), hi: Math.max(last.hi, b.hi) };
    else out.push(b);
    column = c;
  }
  return out;
}

/** Dots a series needs: one per pixel (a crowd of dots on the same pixel draws as one). */
export function thinDots(points: readonly ChartPoint[], x: (t: number) => number, y: (v: number) => number): ChartPoint[] {
  const seen = new Set<number>();
  const out: ChartPoint[] = [];
  for (const p of points) {
    if (!Number.isFinite(p.v)) continue;
    const id = Math.round(x(p.t)) * 65536 + Math.round(y(p.v));
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(p);
  }
  return out;
}

/** Draws `spec` into `svg`, replacing what was there. */
export function drawLineChart(svg: SVGSVGElement, spec: ChartSpec): void {
  const root = d3.select(svg);
  root.selectAll('*').remove();
  root.attr('width', spec.width).attr('height', spec.height);
  const innerW = Math.max(10, spec.width - MARGIN.left - MARGIN.right);
  const innerH = Math.max(10, spec.height - MARGIN.top - MARGIN.bottom);
  const x = d3.scaleLinear().domain(spec.xDomain[1] > spec.xDomain[0] ? spec.xDomain : [spec.xDomain[0], spec.xDomain[0] + 1]).range([0, innerW]);
  let yMax = 0;
  let yMin = 0;
  for (const s of spec.series) for (const p of s.points) if (Number.isFinite(p.v)) [yMin, yMax] = [Math.min(yMin, p.v), Math.max(yMax, p.v)];
  for (const b of spec.band ?? []) [yMin, yMax] = [Math.min(yMin, b.lo), Math.max(yMax, b.hi)];
  if (spec.threshold !== undefined && Number.isFinite(spec.threshold)) [yMin, yMax] = [Math.min(yMin, spec.threshold), Math.max(yMax, spec.threshold)];
  const y = d3.scaleLinear().domain([yMin, yMax > yMin ? yMax * 1.08 : yMin + 1]).nice(3).range([innerH, 0]);
  const g = root.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
  g.append('g')
    .attr('class', 'bk-grid')
    .call(d3.axisLeft(y).ticks(3).tickSize(-innerW).tickFormat(() => ''))
    .call((s) => s.select('.domain').remove());
  for (const a of spec.alerts ?? []) {
    const x0 = x(Math.max(a.from, spec.xDomain[0]));
    const x1 = x(Math.min(a.to, spec.xDomain[1]));
    g.append('rect').attr('x', x0).attr('width', Math.max(2, x1 - x0)).attr('y', 0).attr('height', innerH).attr('fill', cssVar('dropped')).attr('fill-opacity', 0.12);
  }
  if (spec.band && spec.band.length > 1) {
    const area = d3.area<BandPoint>().x((b) => x(b.t)).y0((b) => y(b.lo)).y1((b) => y(b.hi)).curve(d3.curveStepAfter);
    g.append('path').attr('d', area(thinBand(spec.band, x, innerW))).attr('fill', cssVar('bandAlt')).attr('stroke', 'none');
  }
  if (spec.threshold !== undefined && Number.isFinite(spec.threshold)) {
    g.append('line').attr('x1', 0).attr('x2', innerW).attr('y1', y(spec.threshold)).attr('y2', y(spec.threshold)).attr('stroke', cssVar('dropped')).attr('stroke-width', 1.5).attr('stroke-dasharray', '4 3');
  }
  const line = d3.line<ChartPoint>().defined((p) => Number.isFinite(p.v)).x((p) => x(p.t)).y((p) => y(p.v));
  for (const s of spec.series) {
    g.append('path').attr('d', line.curve(s.step ? d3.curveStepAfter : d3.curveLinear)(thinLine(s.points, x, innerW) as ChartPoint[])).attr('fill', 'none').attr('stroke', s.color).attr('stroke-width', 1.75).attr('stroke-dasharray', s.dash ?? null);
    if (s.dots) {
      g.append('g')
        .selectAll('circle')
        .data(thinDots(s.points, x, y))
        .join('circle')
        .attr('cx', (p) => x(p.t))
        .attr('cy', (p) => y(p.v))
        .attr('r', 2.5)
        .attr('fill', s.color);
    }
  }
  g.append('g')
    .attr('transform', `translate(0,${innerH})`)
    .call(d3.axisBottom(x).tickValues(clockTicks(x.domain()[0]!, x.domain()[1]!, Math.max(2, Math.floor(innerW / 80)))).tickFormat((d) => formatClock(Number(d))).tickSizeOuter(0));
  g.append('g').call(d3.axisLeft(y).ticks(3).tickFormat((d) => spec.yFormat(Number(d))).tickSizeOuter(0));
  if (spec.playheadT >= spec.xDomain[0] && spec.playheadT <= spec.xDomain[1]) {
    g.append('line').attr('class', 'bk-playhead').attr('x1', x(spec.playheadT)).attr('x2', x(spec.playheadT)).attr('y1', 0).attr('y2', innerH);
  }
  const onSeek = spec.onSeek;
  if (onSeek) {
    g.append('rect')
      .attr('width', innerW)
      .attr('height', innerH)
      .attr('fill', 'transparent')
      .style('cursor', 'crosshair')
      .on('click', (event: MouseEvent) => onSeek(Math.round(x.invert(d3.pointer(event)[0]))));
  }
}
