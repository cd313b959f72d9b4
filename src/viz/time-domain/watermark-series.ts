// The watermark lines the time-domain chart can draw: one per source or operator, the minimum
// over its partitions or subtasks (what the slowest of them promises). Invariant: a restored
// attempt starts again from no watermark, so the minimum resets at every attempt's start.

import type { RunModel, WatermarkPoint } from '../run-model.ts';

export interface WatermarkSeries {
  /** The source or operator name (the part of the watermark key before `#`). */
  readonly id: string;
  readonly kind: 'source' | 'operator' | 'sink';
  /** How many subtasks or partitions the minimum is over. */
  readonly parallelism: number;
  /** The minimum watermark, one point per change, in timeline order. */
  readonly points: readonly WatermarkPoint[];
}

/** Splits `name#3` into the name and the subtask. */
function splitKey(key: string): [string, number] {
  const at = key.lastIndexOf('#');
  return at < 0 ? [key, 0] : [key.slice(0, at), Number(key.slice(at + 1))];
}

/** The attempt index (into `model.attempts`) that timeline time `t` belongs to. */
function attemptIndexAt(model: RunModel, t: number): number {
  let i = 0;
  while (i + 1 < model.attempts.length && model.attempts[i + 1]!.startT <= t) i++;
  return i;
}

/** The running minimum over several subtasks' step functions, restarting at attempt starts. */
function minimumOver(model: RunModel, lists: readonly (readonly WatermarkPoint[])[]): WatermarkPoint[] {
  const events: { t: number; sub: number; watermark: number }[] = [];
  lists.forEach((list, sub) => list.forEach((p) => events.push({ t: p.t, sub, watermark: p.watermark })));
  events.sort((a, b) => a.t - b.t);
  const current = lists.map(() => Number.NEGATIVE_INFINITY);
  const out: WatermarkPoint[] = [];
  let attempt = -1;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const a = attemptIndexAt(model, e.t);
    if (a !== attempt) {
      attempt = a;
      current.fill(Number.NEGATIVE_INFINITY);
    }
    current[e.sub] = e.watermark;
    // Fold every change at the same time into one point.
    if (i + 1 < events.length && events[i + 1]!.t === e.t) continue;
    const min = Math.min(...current);
    const last = out[out.length - 1];
    if (last && last.t === e.t) out[out.length - 1] = { t: e.t, watermark: min };
    else if (!last || last.watermark !== min || attemptIndexAt(model, last.t) !== a) out.push({ t: e.t, watermark: min });
  }
  return out;
}

/**
 * `minimumOver` kept up to date as its lists grow at their ends: each update folds only the
 * points added since, from the state it had before the last time it folded (the moment at the
 * lists' end, where more points of the same time may come). The same points as from scratch at
 * every step; a point earlier than that moment, or a list shorter than seen, folds it all again.
 */
export class MinimumFold {
  /** Per list, the index of its first point at `tailT` (or its length when it has none). */
  private tail: number[] = [];
  private tailT = Number.NEGATIVE_INFINITY;
  /** The fold as it stood before the points at `tailT`: each list's watermark, the attempt, the points out. */
  private settledCurrent: number[] = [];
  private settledAttempt = -1;
  private settledOut = 0;
  private readonly out: WatermarkPoint[] = [];

  /** The running minimum over `lists` (as `minimumOver`); a fresh array. */
  update(model: RunModel, lists: readonly (readonly WatermarkPoint[])[]): WatermarkPoint[] {
    if (lists.length !== this.tail.length || lists.some((l, sub) => l.length < this.tail[sub]!)) this.reset(lists.length);
    const events: { t: number; sub: number; k: number }[] = [];
    lists.forEach((list, sub) => {
      for (let k = this.tail[sub]!; k < list.length; k++) events.push({ t: list[k]!.t, sub, k });
    });
    if (events.length === 0) return this.out.slice();
    if (events.some((e) => e.t < this.tailT)) {
      this.reset(lists.length);
      return this.update(model, lists);
    }
    // Stable: at one time, list by list and in each list's order, as from scratch.
    events.sort((a, b) => a.t - b.t);
    const current = this.settledCurrent.slice();
    let attempt = this.settledAttempt;
    const out = this.out;
    out.length = this.settledOut;
    const lastT = events[events.length - 1]!.t;
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      if (e.t === lastT && (i === 0 || events[i - 1]!.t !== lastT)) {
        // The moment at the end: remembered as it is before it, to be folded again next time.
        this.settledCurrent = current.slice();
        this.settledAttempt = attempt;
        this.settledOut = out.length;
        this.tailT = lastT;
        this.tail = lists.map((l) => l.length);
        for (let j = i; j < events.length; j++) this.tail[events[j]!.sub] = Math.min(this.tail[events[j]!.sub]!, events[j]!.k);
      }
      const a = attemptIndexAt(model, e.t);
      if (a !== attempt) {
        attempt = a;
        current.fill(Number.NEGATIVE_INFINITY);
      }
      current[e.sub] = lists[e.sub]![e.k]!.watermark;
      if (i + 1 < events.length && events[i + 1]!.t === e.t) continue;
      const min = Math.min(...current);
      const last = out[out.length - 1];
      if (last && last.t === e.t) out[out.length - 1] = { t: e.t, watermark: min };
      else if (!last || last.watermark !== min || attemptIndexAt(model, last.t) !== a) out.push({ t: e.t, watermark: min });
    }
    return out.slice();
  }

  private reset(lists: number): void {
    this.tail = new Array<number>(lists).fill(0);
    this.tailT = Number.NEGATIVE_INFINITY;
    this.settledCurrent = new Array<number>(lists).fill(Number.NEGATIVE_INFINITY);
    this.settledAttempt = -1;
    this.settledOut = 0;
    this.out.length = 0;
  }
}

/** Every source's and operator's watermark series, sources first, then in job order. */
export function watermarkSeries(model: RunModel, fold: (id: string, lists: readonly (readonly WatermarkPoint[])[]) => WatermarkPoint[] = (_, lists) => minimumOver(model, lists)): WatermarkSeries[] {
  const groups = new Map<string, WatermarkPoint[][]>();
  for (const [key, points] of model.watermarks) {
    const [name, sub] = splitKey(key);
    const lists = groups.get(name) ?? [];
    lists[sub] = points;
    groups.set(name, lists);
  }
  const order = (name: string): number => {
    const i = model.operators.findIndex((o) => o.name === name);
    return model.sources.includes(name) ? -1 : i < 0 ? model.operators.length : i;
  };
  const kindOf = (name: string): WatermarkSeries['kind'] => {
    if (model.sources.includes(name)) return 'source';
    return model.operators.find((o) => o.name === name)?.kind ?? 'operator';
  };
  return [...groups.entries()]
    .sort(([a], [b]) => order(a) - order(b))
    .map(([id, lists]) => {
      const dense = Array.from(lists, (l) => l ?? []);
      return { id, kind: kindOf(id), parallelism: dense.length, points: fold(id, dense) };
    });
}

/**
 * The series to show first: the operator whose panes the chart draws (its watermark decides
 * what is late), else the last operator before the sinks, else the first series.
 */
export function defaultSeries(model: RunModel, series: readonly WatermarkSeries[]): WatermarkSeries | undefined {
  const counts = new Map<string, number>();
  for (const p of model.panes) counts.set(p.operator, (counts.get(p.operator) ?? 0) + 1);
  return pickSeries(series, counts);
}

function pickSeries(series: readonly WatermarkSeries[], counts: ReadonlyMap<string, number>): WatermarkSeries | undefined {
  const windowed = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const byPanes = series.find((s) => s.id === windowed);
  if (byPanes) return byPanes;
  const operators = series.filter((s) => s.kind === 'operator');
  return operators[operators.length - 1] ?? series[0];
}

/** The watermark of a series at timeline time `t` (−∞ before its first point or an attempt's first). */
export function watermarkAt(model: RunModel, points: readonly WatermarkPoint[], t: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.t <= t) lo = mid + 1;
    else hi = mid;
  }
  const p = points[lo - 1];
  if (!p || attemptIndexAt(model, p.t) !== attemptIndexAt(model, t)) return Number.NEGATIVE_INFINITY;
  return p.watermark;
}

/**
 * `watermarkSeries` and `defaultSeries`, kept as a model grows: the series are folded again only
 * when a watermark list, the attempts, sources or operators grew (else the same array comes
 * back), each from where its lists grew (`MinimumFold`: a live run's watermarks advance at every
 * frame, and folding every point again each time sorted thousands of points and made as much
 * garbage per frame), and the panes are counted per operator from where the last update stopped.
 * The same results as from scratch at every step; another model, other attempts, sources or
 * operators, or shorter lists, start over.
 */
export class WatermarkSeriesCache {
  private model: RunModel | undefined;
  private signature = '';
  private structure = '';
  private series: WatermarkSeries[] = [];
  private readonly folds = new Map<string, MinimumFold>();
  private panesSeen = 0;
  private readonly counts = new Map<string, number>();

  /** Every series, and the one to show first. */
  update(model: RunModel): { series: readonly WatermarkSeries[]; lateness: WatermarkSeries | undefined } {
    if (model !== this.model || model.panes.length < this.panesSeen) {
      this.model = model;
      this.signature = '';
      this.panesSeen = 0;
      this.counts.clear();
    }
    // A new attempt (a restart) may change which attempt earlier points fall in: fold all again.
    const structure = `${model.attempts.length}|${model.sources.length}|${model.operators.length}`;
    if (structure !== this.structure || this.signature === '') {
      this.structure = structure;
      this.folds.clear();
    }
    let points = 0;
    for (const list of model.watermarks.values()) points += list.length;
    const signature = `${model.watermarks.size}|${points}|${model.attempts.length}|${model.sources.length}|${model.operators.length}`;
    if (signature !== this.signature) {
      this.signature = signature;
      this.series = watermarkSeries(model, (id, lists) => {
        let fold = this.folds.get(id);
        if (!fold) this.folds.set(id, (fold = new MinimumFold()));
        return fold.update(model, lists);
      });
    }
    for (let i = this.panesSeen; i < model.panes.length; i++) {
      const op = model.panes[i]!.operator;
      this.counts.set(op, (this.counts.get(op) ?? 0) + 1);
    }
    this.panesSeen = model.panes.length;
    return { series: this.series, lateness: pickSeries(this.series, this.counts) };
  }
}
