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
  return new EventTimeExtent().domain(model);
}

/**
 * `eventTimeDomain`, kept up to date as a model grows: each call takes in only the records,
 * panes and late or dropped records added since the last (the model's lists only grow). The
 * same domain as `eventTimeDomain` at every step; another model, or a shorter list, starts over.
 */
export class EventTimeExtent {
  private model: RunModel | undefined;
  private records = 0;
  private panes = 0;
  private late = 0;
  private lo = Number.POSITIVE_INFINITY;
  private hi = Number.NEGATIVE_INFINITY;

  domain(model: RunModel): [number, number] {
    if (model !== this.model || model.records.length < this.records || model.panes.length < this.panes || model.lateAndDropped.length < this.late) {
      this.model = model;
      this.records = this.panes = this.late = 0;
      this.lo = Number.POSITIVE_INFINITY;
      this.hi = Number.NEGATIVE_INFINITY;
    }
    const take = (v: number) => {
      if (!Number.isFinite(v)) return;
      if (v < this.lo) this.lo = v;
      if (v > this.hi) this.hi = v;
    };
    const et = model.records.column('eventTime');
    const raw = model.records.raw();
    for (let i = this.records; i < model.records.length; i++) take(raw[i * model.records.stride + et]!);
    for (let i = this.panes; i < model.panes.length; i++) {
      take(model.panes[i]!.window.start);
      take(model.panes[i]!.window.end);
    }
    for (let i = this.late; i < model.lateAndDropped.length; i++) take(model.lateAndDropped[i]!.eventTime);
    this.records = model.records.length;
    this.panes = model.panes.length;
    this.late = model.lateAndDropped.length;
    const { lo, hi } = this;
    if (lo > hi) return [0, 60_000];
    if (lo === hi) return [lo - 30_000, hi + 30_000];
    const pad = (hi - lo) * 0.04;
    return [lo - pad, hi + pad];
  }
}

/**
 * A domain for a run that is still growing: `held` while it still holds `exact`, else `exact`
 * grown by half its span on the side that outgrew `held`. Held scales let the record canvas
 * stamp only new records; the chart rescales a few times over a run instead of every frame.
 * @example heldDomain([0, 100], [0, 120]) // [0, 180]
 */
export function heldDomain(held: readonly [number, number] | undefined, exact: [number, number]): [number, number] {
  if (!held) return exact;
  if (held[0] <= exact[0] && held[1] >= exact[1]) return [held[0], held[1]];
  const grow = (exact[1] - exact[0]) / 2;
  return [exact[0] < held[0] ? exact[0] - grow : held[0], exact[1] > held[1] ? exact[1] + grow : held[1]];
}

/** The processing-time extent: the first attempt's start to the latest time seen. */
export function processingTimeDomain(model: RunModel): [number, number] {
  const start = model.attempts[0]?.startT ?? 0;
  const end = Math.max(model.endT, start + 1);
  const pad = (end - start) * 0.04;
  return [start - pad, end + pad];
}

/**
 * Lays the chart out in a `width` × `height` box, over `domains` when given (held domains of a
 * growing run), else over the whole run.
 */
export function chartFrame(model: RunModel, layout: WindowLayout, width: number, height: number, domains?: { readonly x: [number, number]; readonly y: [number, number] }): ChartFrame {
  const lanes = Math.max(1, layout.lanes.length);
  const laneHeight = LANE;
  const stripTop = AXIS + 4;
  const top = stripTop + lanes * laneHeight + 8;
  const left = layout.perKey ? 84 : 68;
  const right = Math.max(left + 40, width - 56);
  const bottom = Math.max(top + 40, height - 14);
  const x = scaleLinear().domain(domains?.x ?? eventTimeDomain(model)).range([left, right]);
  const y = scaleLinear().domain(domains?.y ?? processingTimeDomain(model)).range([top, bottom]);
  return { width, height, left, top, right, bottom, stripTop, laneHeight, x, y };
}
