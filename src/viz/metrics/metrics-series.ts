// The metrics panel's series, computed from the whole RunModel once per version (the view clips
// them at the playhead): throughput per operator, end-to-end latency per sink, event-time lag
// per operator, and records ahead of the watermark per source partition.
// Invariant: every point at time t uses only what had happened by t.

import type { RunModel } from '../run-model.ts';
import { metricsByOperatorId, subtaskKey } from '../dataflow/graph-model.ts';
import { attemptAt } from './sample-at.ts';
import type { ChartPoint } from './line-chart.ts';

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
 * Event times read and not yet passed by the watermark, least first: a binary min-heap, so a
 * long run with thousands pending costs a logarithm per record, not a shift of the array.
 */
class PendingTimes {
  private readonly heap: number[] = [];

  get size(): number {
    return this.heap.length;
  }

  clear(): void {
    this.heap.length = 0;
  }

  push(v: number): void {
    const h = this.heap;
    let i = h.push(v) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent]! <= v) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = v;
  }

  /** Removes every time at or below `watermark`. */
  dropUpTo(watermark: number): void {
    const h = this.heap;
    while (h.length > 0 && h[0]! <= watermark) {
      const last = h.pop()!;
      if (h.length === 0) break;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const c = l + 1 < h.length && h[l + 1]! < h[l]! ? l + 1 : l;
        if (h[c]! >= last) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
  }
}

/**
 * Per source partition: records read from it whose event time its watermark has not yet
 * passed, after every arrival and watermark step. Not a broker's consumer lag (the trace does
 * not know the log's end offset): it shows how far reading runs ahead of event-time progress.
 * Counts record dots; a restart starts the count again.
 */
export function aheadOfWatermarkSeries(model: RunModel): MetricSeries[] {
  const r = model.records;
  const raw = r.raw();
  const [cT, cE, cS, cP, cA] = (['t', 'eventTime', 'source', 'partition', 'attempt'] as const).map((f) => r.column(f)) as [number, number, number, number, number];
  // Row offsets per source partition, read in place: a long run has a hundred thousand dots.
  const rows = new Map<number, number[]>();
  for (let i = 0, row = 0; i < r.length; i++, row += r.stride) {
    const id = raw[row + cS]! * 65536 + raw[row + cP]!;
    const list = rows.get(id);
    if (list) list.push(row);
    else rows.set(id, [row]);
  }
  const out: MetricSeries[] = [];
  for (const [id, list] of [...rows.entries()].sort((a, b) => a[0] - b[0])) {
    const s = Math.floor(id / 65536);
    const p = id % 65536;
    const name = model.sources[s] ?? `source ${s}`;
    const marks = model.watermarks.get(`${name}#${p}`) ?? [];
    const pending = new PendingTimes();
    const points: ChartPoint[] = [];
    let attempt = list.length > 0 ? raw[list[0]! + cA]! : 1;
    let watermark = Number.NEGATIVE_INFINITY;
    let i = 0;
    let j = 0;
    while (i < list.length || j < marks.length) {
      // Arrivals first at a shared time: a watermark step covers records read in the same instant.
      const t = Math.min(i < list.length ? raw[list[i]! + cT]! : Number.POSITIVE_INFINITY, marks[j]?.t ?? Number.POSITIVE_INFINITY);
      const running = attemptAt(model.attempts, t)?.attempt ?? attempt;
      if (running !== attempt) {
        attempt = running;
        pending.clear();
        watermark = Number.NEGATIVE_INFINITY;
      }
      while (i < list.length && raw[list[i]! + cT] === t) {
        const row = list[i]!;
        if (raw[row + cA] === attempt && raw[row + cE]! > watermark) pending.push(raw[row + cE]!);
        i++;
      }
      while (j < marks.length && marks[j]!.t === t) watermark = Math.max(watermark, marks[j++]!.watermark);
      pending.dropUpTo(watermark);
      const last = points.at(-1);
      if (last && last.t === t) points[points.length - 1] = { t, v: pending.size };
      else points.push({ t, v: pending.size });
    }
    out.push({ id: `${name}/${p}`, label: `${name}/${p}`, points });
  }
  return out;
}

/** `points` up to and including `playheadT`. */
export function clipAt(points: readonly ChartPoint[], playheadT: number): ChartPoint[] {
  let n = 0;
  while (n < points.length && points[n]!.t <= playheadT) n++;
  return points.slice(0, n);
}
