// The frame of the time-domain chart: plot rectangle, window strip and the two scales, event
// time across (left to right) and processing time down. Invariant: the unzoomed domains cover
// the whole run, not the playhead, so scrubbing hides marks without moving them.

import { scaleLinear, type ScaleLinear } from 'd3';
import type { RunModel } from '../run-model.ts';
import type { WindowLayout } from './window-bands.ts';

export interface ChartFrame {
  readonly width: number;
  readonly height: number;
  /** Plot rectangle in SVG pixels. */
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  /** The window strip between the event-time axis and the plot. */
  readonly stripTop: number;
  readonly laneHeight: number;
  readonly x: ScaleLinear<number, number>;
  readonly y: ScaleLinear<number, number>;
}

const AXIS = 26;
const LANE = 17;

/** The event-time extent worth showing: every record and every finite window, padded. */
export function eventTimeDomain(model: RunModel): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  const take = (v: number) => {
    if (!Number.isFinite(v)) return;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  };
  const et = model.records.column('eventTime');
  const raw = model.records.raw();
  for (let i = 0; i < model.records.length; i++) take(raw[i * model.records.stride + et]!);
  for (const p of model.panes) {
    take(p.window.start);
    take(p.window.end);
  }
  for (const e of model.lateAndDropped) take(e.eventTime);
  if (lo > hi) return [0, 60_000];
  if (lo === hi) return [lo - 30_000, hi + 30_000];
  const pad = (hi - lo) * 0.04;
  return [lo - pad, hi + pad];
}

/** The processing-time extent: the first attempt's start to the latest time seen. */
export function processingTimeDomain(model: RunModel): [number, number] {
  const start = model.attempts[0]?.startT ?? 0;
  const end = Math.max(model.endT, start + 1);
  const pad = (end - start) * 0.04;
  return [start - pad, end + pad];
}

/** Lays the chart out in a `width` × `height` box. */
export function chartFrame(model: RunModel, layout: WindowLayout, width: number, height: number): ChartFrame {
  const lanes = Math.max(1, layout.lanes.length);
  const laneHeight = LANE;
  const stripTop = AXIS + 4;
  const top = stripTop + lanes * laneHeight + 8;
  const left = layout.perKey ? 84 : 68;
  const right = Math.max(left + 40, width - 56);
  const bottom = Math.max(top + 40, height - 14);
  const x = scaleLinear().domain(eventTimeDomain(model)).range([left, right]);
  const y = scaleLinear().domain(processingTimeDomain(model)).range([top, bottom]);
  return { width, height, left, top, right, bottom, stripTop, laneHeight, x, y };
}
