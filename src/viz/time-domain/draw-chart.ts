// Draws the time-domain chart into its SVG: axes, window bands and strip, pane bars, the
// watermark step line, crash and restore rules, and the playhead (record dots: svg-records.ts
// or the canvas). Invariant: nothing after the playhead is drawn; redrawing is idempotent.

import { symbol, symbolCircle, symbolTimes, symbolTriangle, type Selection } from 'd3';
import type { PaneFiring, RunModel, WatermarkPoint } from '../run-model.ts';
import { cssVar, seriesVar, type ThemeToken } from '../theme.ts';
import type { ChartFrame } from './chart-frame.ts';
import { formatSpan, formatTime, timeTicks } from './format-time.ts';
import { estimateTextWidth, thinLabels } from './label-layout.ts';
import { RecordKind } from './marks.ts';
import type { WindowLayout } from './window-bands.ts';
import { valueText } from './explain.ts';
import type { PaneGroups } from './pane-groups.ts';
import { RetainedLayer } from './retained-layer.ts';

type Svg = Selection<SVGSVGElement, unknown, null, undefined>;
type G = RetainedLayer;

export interface DrawInput {
  readonly model: RunModel;
  readonly frame: ChartFrame;
  readonly playheadT: number;
  readonly layout: WindowLayout;
  readonly watermark: readonly WatermarkPoint[];
  readonly watermarkLabel: string;
  readonly kinds: Uint8Array;
  readonly recordCount: number;
  readonly paneCount: number;
  readonly stacks: readonly number[];
  /** The first `paneCount` panes' moments and groups (`PaneGroups.update` done by the caller). */
  readonly paneGroups: PaneGroups;
  readonly focused: number | null;
}

export const PANE_HEIGHT = 15;
const PANE_GAP = 3;
/** Bars thinner than this carry no label (their tooltip still does). */
const LABEL_MIN_HEIGHT = 11;
/** Pane bars drawn one by one up to this many; past it, one bar per firing moment and window. */
const PANE_MERGE_ABOVE = 2000;
/** Bars too thin for labels are merged from this many: a few hundred DOM bars per redraw are already a long task. */
const PANE_MERGE_THIN_ABOVE = 200;

/**
 * The height of one stacked pane row, so that stacks at consecutive firing times do not overlap:
 * the full height when there is room, else the smallest gap between firing times (pixels, sorted
 * ascending) shared by the deepest stack, never below 3 pixels.
 * @example paneRowHeight([100, 123, 146], 3) // 7.67
 */
export function paneRowHeight(firingYs: readonly number[], maxDepth: number): number {
  let gap = Number.POSITIVE_INFINITY;
  for (let i = 1; i < firingYs.length; i++) gap = Math.min(gap, firingYs[i]! - firingYs[i - 1]!);
  return paneRowHeightForGap(gap, maxDepth);
}

/** `paneRowHeight` from the smallest gap between firing times, in pixels. */
export function paneRowHeightForGap(gap: number, maxDepth: number): number {
  return Math.max(3, Math.min(PANE_HEIGHT + PANE_GAP, gap / Math.max(1, maxDepth)));
}
const TIMING_TOKEN: Record<PaneFiring['pane']['timing'], ThemeToken> = { EARLY: 'paneEarly', ON_TIME: 'paneOnTime', LATE: 'paneLate' };
const TIMING_DASH: Record<PaneFiring['pane']['timing'], string> = { EARLY: '4 2', ON_TIME: '', LATE: '1.5 2' };
export const KIND_TOKEN: Record<RecordKind, ThemeToken> = { 0: 'onTime', 1: 'late', 2: 'late', 3: 'dropped' };

/** The SVG path of a record's shape (circle, hollow triangle, triangle, cross). */
export function recordPath(kind: RecordKind, size = 56): string {
  const shape = kind === RecordKind.OnTime ? symbolCircle : kind === RecordKind.Dropped ? symbolTimes : symbolTriangle;
  return symbol(shape, kind === RecordKind.Dropped ? size * 1.1 : size)() ?? '';
}

/** Whether a kind's shape is drawn as an outline (hollow triangle, cross) rather than filled. */
export function isHollow(kind: RecordKind): boolean {
  return kind === RecordKind.LateCounted || kind === RecordKind.Dropped;
}

/** Layers under the record canvas (background) and over it. */
const BACK_LAYERS = ['grid', 'bands', 'behind', 'fade'] as const;
const FRONT_LAYERS = ['strip', 'axes', 'panes', 'watermark', 'rules', 'playhead', 'records', 'focus', 'labels'] as const;
type Layer = (typeof BACK_LAYERS)[number] | (typeof FRONT_LAYERS)[number];
export type ChartLayers = Record<Layer, G>;

/**
 * Creates the layer groups once, background layers in `back` (under the record canvas) and the
 * rest in `front`, and the clip paths (`clipId` in front, `clipId-back` in back).
 */
export function chartLayers(back: Svg, front: Svg, clipId: string): ChartLayers {
  back.append('defs').html(`<clipPath id="${clipId}-back"><rect></rect></clipPath>`);
  front.append('defs').html(
    `<clipPath id="${clipId}"><rect></rect></clipPath>` +
      `<pattern id="${clipId}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" style="stroke:${cssVar('crash')};stroke-width:1.5;opacity:.35"></line></pattern>`,
  );
  const layers = {} as ChartLayers;
  for (const name of BACK_LAYERS) layers[name] = new RetainedLayer(back.append('g').attr('class', `td-layer-${name}`).attr('clip-path', `url(#${clipId}-back)`).node()!);
  for (const name of FRONT_LAYERS) {
    const g = front.append('g').attr('class', `td-layer-${name}`);
    if (name !== 'axes' && name !== 'strip' && name !== 'labels' && name !== 'playhead') g.attr('clip-path', `url(#${clipId})`);
    layers[name] = new RetainedLayer(g.node()!);
  }
  return layers;
}

/** Redraws every layer for `input`. */
export function drawChart(back: Svg, front: Svg, layers: ChartLayers, clipId: string, input: DrawInput): void {
  const { frame: f } = input;
  for (const [svg, id] of [[back, `${clipId}-back`], [front, clipId]] as const) {
    svg.attr('width', f.width).attr('height', f.height).attr('viewBox', `0 0 ${f.width} ${f.height}`);
    svg.select(`#${id} rect`).attr('x', f.left).attr('y', f.top - 1).attr('width', f.right - f.left).attr('height', f.bottom - f.top + 1);
  }
  // Every layer's elements are kept and updated in place (the records layer by drawSvgRecords).
  const drawn = Object.entries(layers).filter(([name]) => name !== 'records').map(([, g]) => g);
  for (const g of drawn) g.begin();
  const ph = Math.min(f.bottom, Math.max(f.top, f.y(input.playheadT)));
  drawAxes(layers.grid, layers.axes, input, ph);
  drawWindows(layers.bands, layers.strip, input, ph);
  drawWatermark(layers.behind, layers.watermark, layers.labels, input, ph);
  drawPanes(layers.panes, input);
  drawRules(layers.rules, layers.labels, input, clipId);
  drawFocus(layers.focus, input);
  // The future, faded: below the playhead only the grid and bands' tails show through.
  if (ph < f.bottom) layers.fade.append('rect').attr('class', 'td-future').attr('x', f.left).attr('y', ph).attr('width', f.right - f.left).attr('height', f.bottom - ph);
  layers.playhead.append('line').attr('class', 'td-playhead-line').attr('x1', f.left - 6).attr('x2', f.right).attr('y1', ph).attr('y2', ph);
  // A playhead zoomed out of view is pinned to the edge, with an arrow to say where it is.
  const rawPh = f.y(input.playheadT);
  const tag = `${rawPh < f.top ? '↑ ' : ''}${formatTime(input.playheadT)}${rawPh > f.bottom ? ' ↓' : ''}`;
  const w = estimateTextWidth(tag, 11) + 10;
  layers.playhead.append('rect').attr('class', 'td-playhead-tag').attr('x', f.left - 8 - w).attr('y', ph - 9).attr('width', w).attr('height', 18).attr('rx', 4);
  layers.playhead.append('text').attr('class', 'td-playhead-text').attr('x', f.left - 8 - w / 2).attr('y', ph + 4).attr('text-anchor', 'middle').text(tag);
  for (const g of drawn) g.end();
}

/** The event-time axis's title, at the left of its tick labels' row. */
const EVENT_TIME_TITLE = 'event time →';

function drawAxes(grid: G, axes: G, { frame: f }: DrawInput, ph: number): void {
  const xTicks = timeTicks(f.x.domain()[0]!, f.x.domain()[1]!, Math.max(2, Math.floor((f.right - f.left) / 90)));
  const yTicks = timeTicks(f.y.domain()[0]!, f.y.domain()[1]!, Math.max(2, Math.floor((f.bottom - f.top) / 48)));
  // The axis title shares the tick labels' row at the left: a label that would run into it is
  // left out (its tick and grid line stay). Bold text runs wider than the estimate.
  const titleEnd = 6 + estimateTextWidth(EVENT_TIME_TITLE, 10.5) * 1.1 + 4;
  for (const v of xTicks) {
    const x = f.x(v);
    grid.append('line').attr('class', 'td-grid').attr('x1', x).attr('x2', x).attr('y1', f.top).attr('y2', f.bottom);
    axes.append('line').attr('class', 'td-tick').attr('x1', x).attr('x2', x).attr('y1', 20).attr('y2', 25);
    const label = formatTime(v);
    if (x - estimateTextWidth(label, 10.5) / 2 >= titleEnd) axes.append('text').attr('class', 'td-tick-label').attr('x', x).attr('y', 15).attr('text-anchor', 'middle').text(label);
  }
  for (const v of yTicks) {
    const y = f.y(v);
    grid.append('line').attr('class', 'td-grid').attr('x1', f.left).attr('x2', f.right).attr('y1', y).attr('y2', y);
    axes.append('line').attr('class', 'td-tick').attr('x1', f.left - 5).attr('x2', f.left).attr('y1', y).attr('y2', y);
    // The playhead's own tag replaces a tick label it would cover.
    if (Math.abs(y - ph) > 11) axes.append('text').attr('class', 'td-tick-label').attr('x', f.left - 8).attr('y', y + 4).attr('text-anchor', 'end').text(formatTime(v));
  }
  axes.append('line').attr('class', 'td-axis').attr('x1', f.left).attr('x2', f.right).attr('y1', 25).attr('y2', 25);
  axes.append('line').attr('class', 'td-axis').attr('x1', f.left).attr('x2', f.left).attr('y1', f.top).attr('y2', f.bottom);
  axes.append('text').attr('class', 'td-axis-title').attr('x', 6).attr('y', 15).text(EVENT_TIME_TITLE);
  axes
    .append('text')
    .attr('class', 'td-axis-title')
    .attr('transform', `translate(10, ${f.top + 2}) rotate(90)`)
    .text('processing time →');
}

function drawWindows(bands: G, strip: G, input: DrawInput, ph: number): void {
  const { frame: f, layout } = input;
  const visible = layout.bands.filter((b) => b.appearT <= input.playheadT);
  const boxes: { x: number; y: number; width: number; height: number; priority: number; text: string }[] = [];
  for (const [i, b] of visible.entries()) {
    const x0 = Math.max(f.left, f.x(b.start));
    const x1 = Math.min(f.right, f.x(b.end));
    if (x1 <= x0) continue;
    const y0 = f.y(b.appearT);
    const y1 = Math.min(ph, b.doneT === undefined ? ph : f.y(b.doneT));
    const colour = layout.perKey ? seriesVar(b.lane) : cssVar(i % 2 ? 'bandAlt' : 'band');
    bands
      .append('rect')
      .attr('class', layout.perKey ? 'td-band td-band-key' : 'td-band')
      .attr('x', x0)
      .attr('y', y0)
      .attr('width', x1 - x0)
      .attr('height', Math.max(0, y1 - y0))
      .style(layout.perKey ? 'stroke' : 'fill', colour);
    const ly = f.stripTop + b.lane * f.laneHeight;
    strip
      .append('rect')
      .attr('class', 'td-strip-window')
      .attr('x', x0)
      .attr('y', ly + 2)
      .attr('width', x1 - x0)
      .attr('height', f.laneHeight - 4)
      .attr('rx', 3)
      .style('stroke', layout.perKey ? seriesVar(b.lane) : cssVar('accent'));
    const text = formatSpan(b.start, b.end);
    const width = estimateTextWidth(text, 10);
    if (width + 6 < x1 - x0) boxes.push({ x: x0 + 4, y: ly, width, height: f.laneHeight, priority: 0, text });
  }
  for (const i of thinLabels(boxes)) {
    const b = boxes[i]!;
    strip.append('text').attr('class', 'td-strip-label').attr('x', b.x).attr('y', b.y + f.laneHeight / 2 + 3.5).text(b.text);
  }
  layout.lanes.forEach((lane, i) => {
    const y = f.stripTop + i * f.laneHeight + f.laneHeight / 2 + 3.5;
    strip.append('text').attr('class', 'td-lane-label').attr('x', f.left - 8).attr('y', y).attr('text-anchor', 'end').style('fill', layout.perKey ? seriesVar(i) : cssVar('muted')).text(layout.perKey ? truncate(lane, 12) : 'windows');
  });
}

function truncate(text: string, n: number): string {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

/** The watermark's step line, the region behind it (event times it has passed) and its value tags. */
function drawWatermark(behind: G, line: G, labels: G, input: DrawInput, ph: number): void {
  const { frame: f, model } = input;
  const points = input.watermark.filter((p) => p.t <= input.playheadT);
  if (points.length === 0) return;
  const clampX = (w: number) => (w === Number.POSITIVE_INFINITY ? f.right + 2 : w === Number.NEGATIVE_INFINITY ? f.left : Math.max(f.left, Math.min(f.right + 2, f.x(w))));
  const attemptEnd = (t: number) => {
    const next = model.attempts.find((a) => a.startT > t);
    return next ? Math.min(ph, f.y(next.startT)) : ph;
  };
  let d = '';
  let area = '';
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    const next = points[i + 1];
    const y0 = f.y(p.t);
    const end = attemptEnd(p.t);
    const y1 = next && f.y(next.t) <= end ? f.y(next.t) : end;
    if (p.watermark === Number.NEGATIVE_INFINITY) continue;
    const x = clampX(p.watermark);
    const prev = points[i - 1];
    const joined = prev && prev.watermark !== Number.NEGATIVE_INFINITY && attemptEnd(prev.t) >= y0 - 0.01 && d !== '';
    d += joined ? ` H${x} V${y1}` : ` M${x},${y0} V${y1}`;
    area += ` M${f.left},${y0} H${x} V${y1} H${f.left} Z`;
  }
  behind.append('path').attr('class', 'td-behind').attr('d', area);
  line.append('path').attr('class', 'td-watermark').attr('d', d.trim());
  // Where a step leaves the plot to the right, say how far it went.
  const tags: { x: number; y: number; width: number; height: number; priority: number; text: string }[] = [];
  // The last step is the current value, which has its own tag.
  for (const p of points.slice(0, -1)) {
    if (p.watermark === Number.NEGATIVE_INFINITY || (p.watermark !== Number.POSITIVE_INFINITY && f.x(p.watermark) <= f.right)) continue;
    const y = f.y(p.t);
    if (y < f.top || y > ph) continue;
    const text = `${formatTime(p.watermark)} →`;
    const width = estimateTextWidth(text, 10);
    tags.push({ x: f.right - width - 2, y: y - 13, width, height: 11, priority: 0, text });
  }
  // The current value, placed first so step tags give way to it.
  const last = points[points.length - 1]!;
  const current = last.watermark;
  const beyond = current === Number.POSITIVE_INFINITY || f.x(current) > f.right;
  const mainText = `${input.watermarkLabel}: ${formatTime(current)}${beyond ? ' →' : ''}`;
  const mainWidth = estimateTextWidth(mainText, 10.5) + 4;
  const mainX = beyond ? f.right - mainWidth - 2 : Math.min(f.right - mainWidth, Math.max(f.left + 4, f.x(current) + 6));
  // Just under the playhead, in the (empty) future, when there is room; else just above it.
  const mainY = ph + 16 <= f.bottom ? ph + 3 : ph - 15;
  tags.push({ x: mainX, y: mainY, width: mainWidth, height: 12, priority: 1, text: mainText });
  for (const i of thinLabels(tags)) {
    const b = tags[i]!;
    const cls = b.priority === 1 ? 'td-watermark-tag' : 'td-watermark-step';
    labels.append('text').attr('class', cls).attr('x', b.x + b.width).attr('y', b.y + 9).attr('text-anchor', 'end').text(b.text);
  }
}

function drawPanes(g: G, input: DrawInput): void {
  const { frame: f, model, paneGroups: groups } = input;
  const boxes: { x: number; y: number; width: number; height: number; priority: number; text: string; i: number }[] = [];
  // Bars end at the time they fired and stack upwards, the first firing of a moment on top, so
  // nothing is drawn below the playhead. The scale is linear: the smallest gap between firing
  // times is the smallest gap between their rows.
  const [d0, d1] = f.y.domain() as [number, number];
  const [r0, r1] = f.y.range() as [number, number];
  const pxPerMs = d1 === d0 ? 0 : Math.abs((r1 - r0) / (d1 - d0));
  const row = paneRowHeightForGap(groups.minGap * pxPerMs, groups.maxDepth);
  const gap = Math.min(PANE_GAP, row / 4);
  const height = row - gap;
  const xSpan = (p: PaneFiring): [number, number] => [
    Math.max(f.left, Number.isFinite(p.window.start) ? f.x(p.window.start) : f.left),
    Math.min(f.right, Number.isFinite(p.window.end) ? f.x(p.window.end) : f.right),
  ];
  const bar = (i: number, x0: number, x1: number, y: number, h: number) => {
    const p = model.panes[i]!;
    const token = TIMING_TOKEN[p.pane.timing];
    g.append('rect')
      .attr('class', `td-pane${p.retraction ? ' td-retraction' : ''}`)
      .attr('data-pane', i)
      .attr('x', x0)
      .attr('y', y)
      .attr('width', x1 - x0)
      .attr('height', h)
      .attr('rx', Math.min(3, h / 2))
      .style('fill', cssVar(token))
      .style('stroke', cssVar(token))
      .style('stroke-dasharray', TIMING_DASH[p.pane.timing] || 'none');
    g.append('rect').attr('class', 'td-pane-cap').attr('x', x0).attr('y', y).attr('width', 3).attr('height', h).style('fill', cssVar(token));
  };
  // Past a couple of thousand bars (SVG slows down), the panes of one moment with the same
  // window and timing (a thousand keys firing at once) become one bar over their stack: the same
  // block on screen, a few marks per firing instead of thousands, and no labels to thin. The
  // groups are kept from draw to draw, so this walks groups, not panes.
  const many = input.paneCount > PANE_MERGE_ABOVE || (height < LABEL_MIN_HEIGHT && input.paneCount > PANE_MERGE_THIN_ABOVE);
  if (many) {
    for (const m of groups.groups) {
      const [x0, x1] = xSpan(m.pane);
      if (x1 <= x0) continue;
      const base = f.y(m.t) - groups.depthAt(m.t) * row + gap;
      bar(m.first, x0, x1, base + m.minStack * row, (m.maxStack - m.minStack) * row + height);
    }
    return;
  }
  for (let i = 0; i < input.paneCount; i++) {
    const p = model.panes[i]!;
    const [x0, x1] = xSpan(p);
    if (x1 <= x0) continue;
    const y = f.y(p.t) - (groups.depthAt(p.t) - input.stacks[i]!) * row + gap;
    bar(i, x0, x1, y, height);
    const key = p.key === undefined ? '' : `${String(p.key)} `;
    const text = `${key}= ${valueText(p.value)}${p.retraction ? ' (retract)' : ''} · ${p.pane.timing} #${p.pane.index}`;
    const short = `${key}= ${valueText(p.value)}`;
    const room = x1 - x0 - 10;
    const chosen = height < LABEL_MIN_HEIGHT ? '' : [text, short, valueText(p.value)].find((c) => estimateTextWidth(c, 10.5) <= room) ?? '';
    if (chosen) boxes.push({ x: x0 + 7, y, width: estimateTextWidth(chosen, 10.5), height, priority: p.pane.timing === 'EARLY' ? 0 : 1, text: chosen, i });
  }
  for (const k of thinLabels(boxes, 0)) {
    const b = boxes[k]!;
    g.append('text').attr('class', 'td-pane-label').attr('data-pane', b.i).attr('x', b.x).attr('y', b.y + b.height / 2 + 3.6).text(b.text);
  }
}

function drawRules(g: G, labels: G, input: DrawInput, clipId: string): void {
  const { frame: f, model } = input;
  const boxes: { x: number; y: number; width: number; height: number; priority: number; text: string; cls: string }[] = [];
  for (const c of model.crashes) {
    if (c.t > input.playheadT) continue;
    const y = f.y(c.t);
    const next = model.attempts.find((a) => a.startT > c.t);
    const y1 = next ? Math.min(f.y(next.startT), f.y(input.playheadT)) : y;
    if (y1 > y) g.append('rect').attr('x', f.left).attr('y', y).attr('width', f.right - f.left).attr('height', y1 - y).style('fill', `url(#${clipId}-hatch)`);
    g.append('line').attr('class', 'td-crash').attr('x1', f.left).attr('x2', f.right).attr('y1', y).attr('y2', y);
    const text = `✕ crash at ${formatTime(c.t)}: ${truncate(c.reason, 48)}`;
    boxes.push({ x: f.right - estimateTextWidth(text, 10.5) - 4, y: y - 14, width: estimateTextWidth(text, 10.5), height: 12, priority: 2, text, cls: 'td-crash-label' });
  }
  for (const r of model.restores) {
    if (r.t > input.playheadT) continue;
    const y = f.y(r.t);
    g.append('line').attr('class', 'td-restore').attr('x1', f.left).attr('x2', f.right).attr('y1', y).attr('y2', y);
    const text = `↻ attempt ${r.attempt} restored ${r.checkpointId === null ? 'from the start' : `checkpoint ${r.checkpointId}`}`;
    boxes.push({ x: f.right - estimateTextWidth(text, 10.5) - 4, y: y + 3, width: estimateTextWidth(text, 10.5), height: 12, priority: 1, text, cls: 'td-restore-label' });
  }
  for (const i of thinLabels(boxes)) {
    const b = boxes[i]!;
    labels.append('text').attr('class', b.cls).attr('x', b.x).attr('y', b.y + 10).text(b.text);
  }
}

function drawFocus(g: G, input: DrawInput): void {
  const i = input.focused;
  if (i === null || i >= input.recordCount) return;
  const x = input.frame.x(input.model.records.get(i, 'eventTime'));
  const y = input.frame.y(input.model.records.get(i, 't'));
  g.append('circle').attr('class', 'td-focus-ring').attr('cx', x).attr('cy', y).attr('r', 9);
}
