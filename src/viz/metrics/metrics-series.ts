// The metrics panel's series, computed from the whole RunModel once per version (the view clips
// them at the playhead): throughput per operator, end-to-end latency per sink, event-time lag
// per operator, and records ahead of the watermark per source partition.
// Invariant: every point at time t uses only what had happened by t.

import type { RunModel } from '../run-model.ts';
import { metricsByOperatorId, subtaskKey } from '../dataflow/graph-model.ts';
import { attemptAt, lastIndexAtOrBefore } from './sample-at.ts';
import type { ChartPoint } from './line-chart.ts';
import { AheadOfWatermark } from './ahead-of-watermark.ts';

export interface MetricSeries {
  readonly id: string;
  readonly label: string;
  readonly points: readonly ChartPoint[];
}

/**
 * Records out per second of processing time, per operator (sinks: records in, what they
 * wrote), between consecutive metrics samples of the same attempt.
 */
export function throughputSeries(model: RunModel): MetricSeries[] {
  const points = new Map<string, ChartPoint[]>(model.operators.map((o) => [o.id, []]));
  for (let i = 1; i < model.metrics.length; i++) {
    const a = model.metrics[i - 1]!;
    const b = model.metrics[i]!;
    const attemptA = a.attempt ?? attemptAt(model.attempts, a.t)?.attempt;
    const attemptB = b.attempt ?? attemptAt(model.attempts, b.t)?.attempt;
    if (attemptA !== attemptB || b.t <= a.t) continue;
    const before = metricsByOperatorId(model.operators, a);
    const now = metricsByOperatorId(model.operators, b);
    for (const o of model.operators) {
      let delta = 0;
      for (let s = 0; s < o.parallelism; s++) {
        const x = now.get(subtaskKey(o.id, s));
        const y = before.get(subtaskKey(o.id, s));
        if (!x || !y) continue;
        delta += o.kind === 'sink' ? x.recordsIn - y.recordsIn : x.recordsOut - y.recordsOut;
      }
      points.get(o.id)!.push({ t: b.t, v: (Math.max(0, delta) / (b.t - a.t)) * 1000 });
    }
  }
  return model.operators.map((o) => ({ id: o.id, label: o.name, points: points.get(o.id)! }));
}

/** Per sink: processing time of arrival at the sink minus the record's event timestamp. */
export function latencySeries(model: RunModel): MetricSeries[] {
  const offsets = new Map(model.attempts.map((a) => [a.attempt, a.offset]));
  const bySink = new Map<string, ChartPoint[]>();
  for (const r of model.sinkOutput) {
    if (!Number.isFinite(r.timestamp)) continue;
    const pt = r.t - (offsets.get(r.attempt) ?? 0);
    const list = bySink.get(r.sink) ?? [];
    list.push({ t: r.t, v: pt - r.timestamp });
    bySink.set(r.sink, list);
  }
  return [...bySink.entries()].map(([sink, points]) => ({ id: sink, label: sink, points }));
}

/**
 * `latencySeries`, kept up to date as a model grows: each update takes in only the sink records
 * added since the last (a record's latency never changes), so a live run allocates points for
 * its new records only. The same series as `latencySeries` at every step; another model, or
 * fewer records, starts over.
 */
export class LatencySeries {
  private model: RunModel | undefined;
  private seen = 0;
  private readonly bySink = new Map<string, ChartPoint[]>();
  private series: MetricSeries[] = [];

  update(model: RunModel): MetricSeries[] {
    if (model !== this.model || model.sinkOutput.length < this.seen) {
      this.model = model;
      this.seen = 0;
      this.bySink.clear();
      this.series = [];
    }
    const offsets = new Map(model.attempts.map((a) => [a.attempt, a.offset]));
    for (let i = this.seen; i < model.sinkOutput.length; i++) {
      const r = model.sinkOutput[i]!;
      if (!Number.isFinite(r.timestamp)) continue;
      const pt = r.t - (offsets.get(r.attempt) ?? 0);
      let list = this.bySink.get(r.sink);
      if (!list) {
        this.bySink.set(r.sink, (list = []));
        this.series.push({ id: r.sink, label: r.sink, points: list });
      }
      list.push({ t: r.t, v: pt - r.timestamp });
    }
    this.seen = model.sinkOutput.length;
    return this.series;
  }
}

/** Per operator at each metrics sample: processing time minus its least subtask watermark. */
export function eventTimeLagSeries(model: RunModel): MetricSeries[] {
  const points = new Map<string, ChartPoint[]>(model.operators.map((o) => [o.id, []]));
  for (const sample of model.metrics) {
    const pt = sample.t - (attemptAt(model.attempts, sample.t)?.offset ?? 0);
    const byId = metricsByOperatorId(model.operators, sample);
    for (const o of model.operators) {
      let min = Number.POSITIVE_INFINITY;
      for (let s = 0; s < o.parallelism; s++) min = Math.min(min, byId.get(subtaskKey(o.id, s))?.watermark ?? Number.POSITIVE_INFINITY);
      if (Number.isFinite(min)) points.get(o.id)!.push({ t: sample.t, v: pt - min });
    }
  }
  return model.operators.map((o) => ({ id: o.id, label: o.name, points: points.get(o.id)! })).filter((s) => s.points.length > 0);
}

/**
 * Per source partition: records read from it whose event time its watermark has not yet
 * passed, after every arrival and watermark step (see `AheadOfWatermark`, which keeps this up
 * to date as a model grows).
 */
export function aheadOfWatermarkSeries(model: RunModel): MetricSeries[] {
  return new AheadOfWatermark().update(model);
}

/**
 * `points` (sorted by `t`) up to and including `playheadT`: the same array when the playhead
 * cuts none of them (it usually follows the run), so a live draw copies nothing.
 */
export function clipAt(points: readonly ChartPoint[], playheadT: number): readonly ChartPoint[] {
  const n = lastIndexAtOrBefore(points, playheadT) + 1;
  return n === points.length ? points : points.slice(0, n);
}
