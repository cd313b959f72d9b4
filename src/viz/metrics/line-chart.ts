// A small line chart over timeline time, drawn with d3 into an <svg>: series (each with its own
// dash so colour is never the only cue), an optional "normal" band, a threshold line, alert
// spans and the playhead. Invariant: a draw updates the svg's elements in place to what a fresh
// draw of the same spec would make; what it keeps between draws (elements, thinnings) is
// looked up by the svg, never changes the picture.

import * as d3 from 'd3';
import { cssVar } from '../theme.ts';
import { clockTicks, formatClock } from './time-format.ts';
import { IncrementalThin, mapLinear, thinBand, thinLine, type LinearMap } from './thin-series.ts';
import { LinePath } from './line-path.ts';

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
  /** How many of `points` to draw (a playhead's cut; all when absent): no copy to clip. */
  readonly end?: number;
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
  /** How many of `band` to draw (all when absent). */
  readonly bandEnd?: number;
  readonly threshold?: number;
  /** Timeline spans during which the threshold was crossed. */
  readonly alerts?: readonly { readonly from: number; readonly to: number }[];
  readonly playheadT: number;
  readonly yFormat: (v: number) => string;
  readonly onSeek?: (t: number) => void;
  /**
   * A promise that the data grows like a live run's causal series: while `history` stays the
   * same from draw to draw of this svg, points before the last pixel column drawn are unchanged
   * (series and band by id), so their thinning is kept and only new points are thinned.
   * Absent: every draw thins from scratch.
   */
  readonly history?: string;
}

export const MARGIN = { top: 8, right: 12, bottom: 22, left: 52 } as const;

/** Dash patterns by series index: solid, dashed, dotted, dash-dot. */
export const DASHES = [undefined, '6 3', '2 3', '8 3 2 3'] as const;

/**
 * Dots a series needs: one per pixel (a crowd of dots on the same pixel draws as one). Only
 * `points[0, end)` are read.
 */
export function thinDots(points: readonly ChartPoint[], x: LinearMap, y: LinearMap, end = points.length): ChartPoint[] {
  const seen = new Set<number>();
  const out: ChartPoint[] = [];
  for (let i = 0; i < end; i++) {
    const p = points[i]!;
    if (!Number.isFinite(p.v)) continue;
    const id = Math.round(mapLinear(x, p.t)) * 65536 + Math.round(mapLinear(y, p.v));
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(p);
  }
  return out;
}

/** What a chart keeps between draws of one svg: its elements and its series' thinnings. */
interface ChartState {
  readonly g: SVGGElement;
  readonly grid: SVGGElement;
  readonly alerts: SVGGElement;
  /** Holders of the optional band, threshold, playhead and click target (each present or not). */
  readonly band: SVGGElement;
  readonly threshold: SVGGElement;
  readonly series: SVGGElement;
  readonly xAxis: SVGGElement;
  readonly yAxis: SVGGElement;
  readonly playhead: SVGGElement;
  readonly seek: SVGGElement;
  readonly thins: Map<string, IncrementalThin>;
  /** Each series' path text, kept while its scales and leading points stay. */
  readonly paths: Map<string, LinePath>;
  readonly bandThin: IncrementalThin;
  history: string | undefined;
  /** The x scale of the latest draw, for a click on the chart. */
  x: d3.ScaleLinear<number, number>;
  onSeek: ((t: number) => void) | undefined;
  /** What each axis was last drawn for. */
  readonly axes: { grid: string; x: string; y: string };
}

const states = new WeakMap<SVGSVGElement, ChartState>();

/**
 * The svg's chart elements, made once in paint order (grid, alert spans, band, threshold,
 * series, axes, playhead, click target); each optional one in a holder of its own.
 */
function chartState(svg: SVGSVGElement): ChartState {
  const known = states.get(svg);
  if (known && known.g.parentNode === svg && svg.childNodes.length === 1) return known;
  const root = d3.select(svg);
  root.selectAll('*').remove();
  const g = root.append('g');
  const holder = (cls?: string) => g.append('g').attr('class', cls ?? null).node()!;
  const state: ChartState = {
    g: g.node()!,
    grid: holder('bk-grid'),
    alerts: holder(),
    band: holder(),
    threshold: holder(),
    series: holder(),
    xAxis: holder(),
    yAxis: holder(),
    playhead: holder(),
    seek: holder(),
    thins: new Map(),
    paths: new Map(),
    bandThin: new IncrementalThin(),
    history: undefined,
    x: d3.scaleLinear(),
    onSeek: undefined,
    axes: { grid: '', x: '', y: '' },
  };
  states.set(svg, state);
  return state;
}

/** The one `tag` child of `holder` when `present` (made when missing), else none. */
function optional<E extends SVGElement>(holder: SVGGElement, tag: string, present: boolean): E | undefined {
  const el = d3
    .select(holder)
    .selectAll<E, number>(tag)
    .data(present ? [0] : [])
    .join((enter) => enter.append<E>(tag));
  return el.node() ?? undefined;
}

/** The attribute values this module last wrote, per element (reading a long `d` back copies it). */
const written = new WeakMap<Element, Map<string, string>>();

/** Sets an attribute only when it changes (a long path's `d` is not parsed again for nothing). */
function attr(el: Element, name: string, value: string | number | null): void {
  let known = written.get(el);
  if (!known) written.set(el, (known = new Map()));
  const text = value === null ? null : String(value);
  if (known.get(name) === text && (text === null) === !el.hasAttribute(name)) return;
  if (text === null) {
    known.delete(name);
    el.removeAttribute(name);
    return;
  }
  known.set(name, text);
  el.setAttribute(name, text);
}

/** Draws `spec` into `svg`, updating what an earlier draw made there. */
export function drawLineChart(svg: SVGSVGElement, spec: ChartSpec): void {
  const state = chartState(svg);
  if (spec.history === undefined || spec.history !== state.history) {
    for (const thin of state.thins.values()) thin.reset();
    state.bandThin.reset();
  }
  state.history = spec.history;
  attr(svg, 'width', spec.width);
  attr(svg, 'height', spec.height);
  const innerW = Math.max(10, spec.width - MARGIN.left - MARGIN.right);
  const innerH = Math.max(10, spec.height - MARGIN.top - MARGIN.bottom);
  const xDomain: [number, number] = spec.xDomain[1] > spec.xDomain[0] ? [spec.xDomain[0], spec.xDomain[1]] : [spec.xDomain[0], spec.xDomain[0] + 1];
  const x = d3.scaleLinear().domain(xDomain).range([0, innerW]);
  const xMap: LinearMap = { d0: xDomain[0], d1: xDomain[1], r0: 0, r1: innerW };
  const incremental = spec.history !== undefined;
  // Thinned first: a column keeps its lowest and highest point, so the y extent is the same.
  const thinned = spec.series.map((s) => {
    const end = Math.min(s.end ?? s.points.length, s.points.length);
    if (!incremental) return thinLine(s.points, xMap, innerW, end);
    let thin = state.thins.get(s.id);
    if (!thin) state.thins.set(s.id, (thin = new IncrementalThin()));
    return thin.thinLine(s.points, xMap, innerW, end);
  });
  for (const id of state.thins.keys()) if (!spec.series.some((s) => s.id === id)) state.thins.delete(id);
  for (const id of state.paths.keys()) if (!spec.series.some((s) => s.id === id)) state.paths.delete(id);
  const bandPoints = spec.band ?? [];
  const bandEnd = Math.min(spec.bandEnd ?? bandPoints.length, bandPoints.length);
  const band = incremental ? state.bandThin.thinBand(bandPoints, xMap, innerW, bandEnd) : thinBand(bandPoints, xMap, innerW, bandEnd);
  let yMax = 0;
  let yMin = 0;
  for (const points of thinned) {
    for (const p of points) {
      if (!Number.isFinite(p.v)) continue;
      if (p.v < yMin) yMin = p.v;
      if (p.v > yMax) yMax = p.v;
    }
  }
  for (const b of band) [yMin, yMax] = [Math.min(yMin, b.lo), Math.max(yMax, b.hi)];
  const hasThreshold = spec.threshold !== undefined && Number.isFinite(spec.threshold);
  if (hasThreshold) [yMin, yMax] = [Math.min(yMin, spec.threshold!), Math.max(yMax, spec.threshold!)];
  const y = d3.scaleLinear().domain([yMin, yMax > yMin ? yMax * 1.08 : yMin + 1]).nice(3).range([innerH, 0]);
  const yDomain = y.domain();
  const yMap: LinearMap = { d0: yDomain[0]!, d1: yDomain[1]!, r0: innerH, r1: 0 };

  attr(state.g, 'transform', `translate(${MARGIN.left},${MARGIN.top})`);
  // Axes are drawn again only when what they show changes (a domain step, a new width, new labels).
  const yTicks = y.ticks(3);
  const yKey = `${yDomain.join()}|${innerH}|${innerW}|${yTicks.map((v) => spec.yFormat(v)).join()}`;
  if (state.axes.grid !== yKey) {
    state.axes.grid = yKey;
    d3.select(state.grid)
      .call(d3.axisLeft(y).ticks(3).tickSize(-innerW).tickFormat(() => ''))
      .call((s) => s.select('.domain').remove());
  }
  d3.select(state.alerts)
    .selectAll<SVGRectElement, { readonly from: number; readonly to: number }>('rect')
    .data(spec.alerts ?? [])
    .join('rect')
    .each(function (a) {
      const x0 = x(Math.max(a.from, xDomain[0]));
      const x1 = x(Math.min(a.to, xDomain[1]));
      attr(this, 'x', x0);
      attr(this, 'width', Math.max(2, x1 - x0));
      attr(this, 'y', 0);
      attr(this, 'height', innerH);
      attr(this, 'fill', cssVar('dropped'));
      attr(this, 'fill-opacity', 0.12);
    });
  const bandPath = optional<SVGPathElement>(state.band, 'path', bandEnd > 1);
  if (bandPath) {
    const area = d3.area<BandPoint>().x((b) => x(b.t)).y0((b) => y(b.lo)).y1((b) => y(b.hi)).curve(d3.curveStepAfter);
    attr(bandPath, 'd', area(band as BandPoint[]));
    attr(bandPath, 'fill', cssVar('bandAlt'));
    attr(bandPath, 'stroke', 'none');
  }
  const thresholdLine = optional<SVGLineElement>(state.threshold, 'line', hasThreshold);
  if (thresholdLine) {
    attr(thresholdLine, 'x1', 0);
    attr(thresholdLine, 'x2', innerW);
    attr(thresholdLine, 'y1', y(spec.threshold!));
    attr(thresholdLine, 'y2', y(spec.threshold!));
    attr(thresholdLine, 'stroke', cssVar('dropped'));
    attr(thresholdLine, 'stroke-width', 1.5);
    attr(thresholdLine, 'stroke-dasharray', '4 3');
  }
  d3.select(state.series)
    .selectAll<SVGGElement, ChartSeries>(':scope > g')
    .data(spec.series, (s) => s.id)
    .join((enter) => enter.append('g').call((g) => g.append('path').attr('fill', 'none')))
    .each(function (s, i) {
      const path = this.firstElementChild as SVGPathElement;
      let text = state.paths.get(s.id);
      if (!text) state.paths.set(s.id, (text = new LinePath()));
      // As d3.line() (linear or step-after, gaps at non-finite values) writes it.
      attr(path, 'd', text.path(thinned[i]!, xMap, yMap, s.step === true));
      attr(path, 'stroke', s.color);
      attr(path, 'stroke-width', 1.75);
      attr(path, 'stroke-dasharray', s.dash ?? null);
      const end = Math.min(s.end ?? s.points.length, s.points.length);
      d3.select(this)
        .selectAll(':scope > g')
        .data(s.dots ? [s] : [])
        .join('g')
        .selectAll<SVGCircleElement, ChartPoint>('circle')
        .data(s.dots ? thinDots(s.points, xMap, yMap, end) : [])
        .join('circle')
        .each(function (p) {
          attr(this, 'cx', x(p.t));
          attr(this, 'cy', y(p.v));
          attr(this, 'r', 2.5);
          attr(this, 'fill', s.color);
        });
    });
  const xKey = `${xDomain.join()}|${innerW}|${innerH}`;
  if (state.axes.x !== xKey) {
    state.axes.x = xKey;
    d3.select(state.xAxis)
      .attr('transform', `translate(0,${innerH})`)
      .call(d3.axisBottom(x).tickValues(clockTicks(xDomain[0], xDomain[1], Math.max(2, Math.floor(innerW / 80)))).tickFormat((d) => formatClock(Number(d))).tickSizeOuter(0));
  }
  if (state.axes.y !== yKey) {
    state.axes.y = yKey;
    d3.select(state.yAxis).call(d3.axisLeft(y).ticks(3).tickFormat((d) => spec.yFormat(Number(d))).tickSizeOuter(0));
  }
  const playhead = optional<SVGLineElement>(state.playhead, 'line', spec.playheadT >= xDomain[0] && spec.playheadT <= xDomain[1]);
  if (playhead) {
    attr(playhead, 'class', 'bk-playhead');
    attr(playhead, 'x1', x(spec.playheadT));
    attr(playhead, 'x2', x(spec.playheadT));
    attr(playhead, 'y1', 0);
    attr(playhead, 'y2', innerH);
  }
  state.x = x;
  state.onSeek = spec.onSeek;
  const seek = optional<SVGRectElement>(state.seek, 'rect', spec.onSeek !== undefined);
  if (seek) {
    attr(seek, 'width', innerW);
    attr(seek, 'height', innerH);
    attr(seek, 'fill', 'transparent');
    if (seek.style.cursor !== 'crosshair') {
      seek.style.cursor = 'crosshair';
      // The handler reads the latest draw's scale and callback, so it is added once.
      d3.select(seek).on('click', (event: MouseEvent) => state.onSeek?.(Math.round(state.x.invert(d3.pointer(event)[0]))));
    }
  }
}
