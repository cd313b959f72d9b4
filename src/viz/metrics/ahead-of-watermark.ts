// Records read ahead of the watermark, per source partition, kept up to date as a run grows:
// each update walks only the record dots and watermark steps added since the last one.
// Invariant: after every update the series equal a walk over the whole model from the start
// (everything before the model's previous end is settled; the moment at its end is re-walked).
// A partition's points array is kept and extended in place (no copy per update).

import type { RunModel, WatermarkPoint } from '../run-model.ts';
import type { ChartPoint } from './line-chart.ts';
import type { MetricSeries } from './metrics-series.ts';
import { attemptAt } from './sample-at.ts';

/**
 * Event times read and not yet passed by the watermark, least first: a binary min-heap, so a
 * long run with thousands pending costs a logarithm per record, not a shift of the array.
 */
class PendingTimes {
  constructor(private readonly heap: number[] = []) {}

  get size(): number {
    return this.heap.length;
  }

  copy(): PendingTimes {
    return new PendingTimes(this.heap.slice());
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

/** Where the walk over one partition stands. */
interface Cursor {
  i: number;
  j: number;
  attempt: number;
  watermark: number;
  pending: PendingTimes;
  /**
   * The partition's points: the settled ones (times before the model's end when they were
   * walked), then the moment at the end, which the next update walks again.
   */
  readonly points: ChartPoint[];
}

/** One source partition: its record rows (offsets into the record columns) and its walk. */
interface Partition {
  readonly rows: number[];
  cursor: Cursor | undefined;
  /** How many of the cursor's points are settled. */
  settled: number;
}

/**
 * Per source partition: records read from it whose event time its watermark has not yet
 * passed, after every arrival and watermark step. Not a broker's consumer lag (the trace does
 * not know the log's end offset): it shows how far reading runs ahead of event-time progress.
 * Counts record dots; a restart starts the count again.
 */
export class AheadOfWatermark {
  private model: RunModel | undefined;
  private recordsSeen = 0;
  private readonly partitions = new Map<number, Partition>();

  /** Whether the last update took in every record dot of its model (see `update`'s `maxRecords`). */
  get complete(): boolean {
    return this.model !== undefined && this.recordsSeen === this.model.records.length;
  }

  /**
   * The series of `model` as it is now, partitions in source then partition order.
   * @param maxRecords Record dots to take in at most (a long catch-up is split over calls):
   *   when some are left (`complete` false), the series stop before the first record left out,
   *   as they were at that moment; the next call goes on from there.
   */
  update(model: RunModel, maxRecords = Number.POSITIVE_INFINITY): MetricSeries[] {
    if (model !== this.model || model.records.length < this.recordsSeen) {
      this.model = model;
      this.recordsSeen = 0;
      this.partitions.clear();
    }
    const r = model.records;
    const raw = r.raw();
    const cS = r.column('source');
    const cP = r.column('partition');
    const stop = Math.min(r.length, this.recordsSeen + maxRecords);
    for (let i = this.recordsSeen, row = i * r.stride; i < stop; i++, row += r.stride) {
      const id = raw[row + cS]! * 65536 + raw[row + cP]!;
      const part = this.partitions.get(id);
      if (part) part.rows.push(row);
      else this.partitions.set(id, { rows: [row], cursor: undefined, settled: 0 });
    }
    this.recordsSeen = stop;
    // Records come in time order: everything before the first left out is taken in.
    const until = stop < r.length ? Math.min(model.endT, raw[stop * r.stride + r.column('t')]!) : undefined;
    const out: MetricSeries[] = [];
    for (const [id, part] of [...this.partitions.entries()].sort((a, b) => a[0] - b[0])) {
      const s = Math.floor(id / 65536);
      const p = id % 65536;
      const name = model.sources[s] ?? `source ${s}`;
      const marks = model.watermarks.get(`${name}#${p}`) ?? [];
      out.push({ id: `${name}/${p}`, label: `${name}/${p}`, points: this.walk(model, part, marks, until) });
    }
    return out;
  }

  /**
   * Walks a partition's new arrivals and watermark steps: those before the model's end are
   * settled into its cursor; the moment at the end (more of it may come with the next delta)
   * is walked on a copy of the cursor, its points appended after the settled ones and dropped
   * again by the next update. With `until`, only times before it are walked (all settled).
   */
  private walk(model: RunModel, part: Partition, marks: readonly WatermarkPoint[], until?: number): ChartPoint[] {
    const raw = model.records.raw();
    const r = model.records;
    const cT = r.column('t');
    const cE = r.column('eventTime');
    const cA = r.column('attempt');
    const list = part.rows;
    part.cursor ??= { i: 0, j: 0, attempt: list.length > 0 ? raw[list[0]! + cA]! : 1, watermark: Number.NEGATIVE_INFINITY, pending: new PendingTimes(), points: [] };
    const step = (c: Cursor, until: number): void => {
      while (c.i < list.length || c.j < marks.length) {
        // Arrivals first at a shared time: a watermark step covers records read in the same instant.
        const t = Math.min(c.i < list.length ? raw[list[c.i]! + cT]! : Number.POSITIVE_INFINITY, marks[c.j]?.t ?? Number.POSITIVE_INFINITY);
        if (t >= until) return;
        const running = attemptAt(model.attempts, t)?.attempt ?? c.attempt;
        if (running !== c.attempt) {
          c.attempt = running;
          c.pending.clear();
          c.watermark = Number.NEGATIVE_INFINITY;
        }
        while (c.i < list.length && raw[list[c.i]! + cT] === t) {
          const row = list[c.i]!;
          if (raw[row + cA] === c.attempt && raw[row + cE]! > c.watermark) c.pending.push(raw[row + cE]!);
          c.i++;
        }
        while (c.j < marks.length && marks[c.j]!.t === t) c.watermark = Math.max(c.watermark, marks[c.j++]!.watermark);
        c.pending.dropUpTo(c.watermark);
        const last = c.points.at(-1);
        if (last && last.t === t) c.points[c.points.length - 1] = { t, v: c.pending.size };
        else c.points.push({ t, v: c.pending.size });
      }
    };
    const settled = part.cursor;
    // The previous end's moment is walked again with what came since.
    settled.points.length = part.settled;
    step(settled, until ?? model.endT);
    part.settled = settled.points.length;
    if (until !== undefined || settled.i >= list.length && settled.j >= marks.length) return settled.points;
    // Times at or after the end: none replaces a settled point (those are all before it).
    const tail: Cursor = { ...settled, pending: settled.pending.copy() };
    step(tail, Number.POSITIVE_INFINITY);
    return settled.points;
  }
}
