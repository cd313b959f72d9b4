// What the time-domain chart draws at a playhead, as plain data: which record dots and how each
// fared, which pane firings, crashes and restores. Invariant: every list is cut at the playhead
// by timeline time, so scrubbing back shows exactly the past.

import { RecordStatus, type CrashMark, type PaneFiring, type RestoreMark, type RunModel, type WatermarkPoint } from '../run-model.ts';
import { KindJournal } from './kind-journal.ts';
import { watermarkAt } from './watermark-series.ts';

/** How a record dot is drawn (shape and colour both differ). */
export const RecordKind = {
  /** In its windows, before the watermark passed it. */
  OnTime: 0,
  /** Behind the watermark when it arrived, yet still within allowed lateness: counted in a LATE pane. */
  LateCounted: 1,
  /** Too late for its windows and sent to a side output. */
  SideOutput: 2,
  /** Too late (or its window closed) and dropped. */
  Dropped: 3,
} as const;
export type RecordKind = (typeof RecordKind)[keyof typeof RecordKind];

export const RECORD_KIND_LABELS: Record<RecordKind, string> = {
  [RecordKind.OnTime]: 'on time',
  [RecordKind.LateCounted]: 'late, counted',
  [RecordKind.SideOutput]: 'late → side output',
  [RecordKind.Dropped]: 'dropped',
};

/**
 * Every record's kind: the model's status, and for records the model counts as in their windows,
 * whether the window operator's watermark had already passed their event time on arrival.
 * When the watermark passed it at the very time it arrived, the order within that moment is
 * not in the model: the record counts as late when a LATE pane with its event time fired then
 * (the default trigger fires one at once for each late record).
 */
export function recordKinds(model: RunModel, lateness: readonly WatermarkPoint[] | undefined): Uint8Array {
  const n = model.records.length;
  const kinds = new Uint8Array(n);
  const latePanesAt = new Map<number, PaneFiring[]>();
  for (const p of model.panes) {
    if (p.pane.timing !== 'LATE') continue;
    const list = latePanesAt.get(p.t);
    if (list) list.push(p);
    else latePanesAt.set(p.t, [p]);
  }
  // Read the columns in place: this runs over every record at each model version.
  const r = model.records;
  const raw = r.raw();
  const [cStatus, cEvent, cT, cAttempt] = (['status', 'eventTime', 't', 'attempt'] as const).map((f) => r.column(f)) as [number, number, number, number];
  for (let i = 0, row = 0; i < n; i++, row += r.stride) {
    const status = raw[row + cStatus];
    if (status === RecordStatus.Dropped) kinds[i] = RecordKind.Dropped;
    else if (status === RecordStatus.Late) kinds[i] = RecordKind.SideOutput;
    else if (lateness && isLate(model, lateness, latePanesAt, raw[row + cEvent]!, raw[row + cT]!, raw[row + cAttempt]!)) kinds[i] = RecordKind.LateCounted;
    else kinds[i] = RecordKind.OnTime;
  }
  return kinds;
}

/**
 * `recordKinds`, kept up to date as a model grows: each update judges only the records that
 * arrived since the last one, those that arrived at or after the previous end of the timeline
 * (the watermark or a late pane of that very moment may have come in this delta), and those
 * whose status was marked since. The same kinds as `recordKinds` at every step; a different
 * model or watermark series starts over.
 */
export class RecordKindsBuilder {
  private model: RunModel | undefined;
  private seriesId: string | undefined;
  private kinds = new Uint8Array(1024);
  private count = 0;
  private endT = Number.NEGATIVE_INFINITY;
  private marksSeen = 0;
  private panesSeen = 0;
  private readonly latePanesAt = new Map<number, PaneFiring[]>();
  /** How many of all the records are of each kind (kept as records are judged). */
  readonly totals = new Uint32Array(4);
  /** Records judged before whose kind changed at a later update (a new epoch when starting over). */
  readonly journal = new KindJournal();

  /** Every record's kind (a view valid until the next update), judged against series `seriesId`'s points. */
  update(model: RunModel, seriesId: string | undefined, lateness: readonly WatermarkPoint[] | undefined): Uint8Array {
    const n = model.records.length;
    if (model !== this.model || seriesId !== this.seriesId || n < this.count || model.markedRecords.length < this.marksSeen || model.panes.length < this.panesSeen) {
      this.model = model;
      this.seriesId = seriesId;
      this.count = 0;
      this.endT = Number.NEGATIVE_INFINITY;
      this.marksSeen = 0;
      this.panesSeen = 0;
      this.latePanesAt.clear();
      this.totals.fill(0);
      this.journal.restart();
    }
    for (let i = this.panesSeen; i < model.panes.length; i++) {
      const p = model.panes[i]!;
      if (p.pane.timing !== 'LATE') continue;
      const list = this.latePanesAt.get(p.t);
      if (list) list.push(p);
      else this.latePanesAt.set(p.t, [p]);
    }
    this.panesSeen = model.panes.length;
    if (n > this.kinds.length) {
      const bigger = new Uint8Array(Math.max(n, this.kinds.length * 2));
      bigger.set(this.kinds.subarray(0, this.count));
      this.kinds = bigger;
    }
    const r = model.records;
    // Back to the first record of the previous end's moment: its judgement may have changed.
    const from = countUpTo(this.count, (i) => r.get(i, 't'), this.endT - 1);
    this.judge(model, lateness, from, n);
    for (let k = this.marksSeen; k < model.markedRecords.length; k++) {
      const i = model.markedRecords[k]!;
      if (i < from) this.judge(model, lateness, i, i + 1);
    }
    this.marksSeen = model.markedRecords.length;
    this.count = n;
    this.endT = model.endT;
    return this.kinds.subarray(0, n);
  }

  private judge(model: RunModel, lateness: readonly WatermarkPoint[] | undefined, from: number, to: number): void {
    const r = model.records;
    const raw = r.raw();
    const kinds = this.kinds;
    const [cStatus, cEvent, cT, cAttempt] = (['status', 'eventTime', 't', 'attempt'] as const).map((f) => r.column(f)) as [number, number, number, number];
    const totals = this.totals;
    for (let i = from, row = from * r.stride; i < to; i++, row += r.stride) {
      // Records before `count` were judged before: their old kind leaves the totals.
      const old = i < this.count ? kinds[i]! : -1;
      if (old >= 0) totals[old]!--;
      const status = raw[row + cStatus];
      if (status === RecordStatus.Dropped) kinds[i] = RecordKind.Dropped;
      else if (status === RecordStatus.Late) kinds[i] = RecordKind.SideOutput;
      else if (lateness && isLate(model, lateness, this.latePanesAt, raw[row + cEvent]!, raw[row + cT]!, raw[row + cAttempt]!)) kinds[i] = RecordKind.LateCounted;
      else kinds[i] = RecordKind.OnTime;
      totals[kinds[i]!]!++;
      if (old >= 0 && old !== kinds[i]) this.journal.note(i);
    }
  }
}

function isLate(model: RunModel, lateness: readonly WatermarkPoint[], latePanesAt: Map<number, PaneFiring[]>, eventTime: number, t: number, attempt: number): boolean {
  if (eventTime > watermarkAt(model, lateness, t)) return false;
  if (eventTime <= watermarkAt(model, lateness, t - 0.5)) return true;
  return (latePanesAt.get(t) ?? []).some((p) => p.attempt === attempt && p.window.start <= eventTime && eventTime < p.window.end);
}

/** How many of `n` items, sorted by time `tOf(i)`, happened at or before `t`. */
export function countUpTo(n: number, tOf: (i: number) => number, t: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tOf(mid) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Records (a prefix of `model.records`, which arrive in timeline order) shown at `playheadT`. */
export function visibleRecordCount(model: RunModel, playheadT: number): number {
  return countUpTo(model.records.length, (i) => model.records.get(i, 't'), playheadT);
}

/**
 * A vertical slot for each pane: panes fired at the same time whose windows overlap in event
 * time are stacked (0, 1, 2, …) so their bars do not hide each other.
 */
export function paneStacks(panes: readonly PaneFiring[]): number[] {
  const stacks: number[] = [];
  let groupStart = 0;
  // Fast path: while a group's windows are pairwise identical or disjoint (tumbling windows of
  // a thousand keys firing at once), a pane's slot is how many earlier panes share its window;
  // the pairwise scan below would be quadratic in the group. Same slots either way.
  const sameWindow = new Map<string, number>();
  let spans: { start: number; end: number }[] = [];
  let simple = true;
  for (let i = 0; i < panes.length; i++) {
    if (i > 0 && panes[i]!.t !== panes[i - 1]!.t) {
      groupStart = i;
      sameWindow.clear();
      spans = [];
      simple = true;
    }
    const w = panes[i]!.window;
    if (simple) {
      const id = `${w.start},${w.end}`;
      const before = sameWindow.get(id);
      if (before === undefined && spans.some((o) => o.start < w.end && w.start < o.end)) simple = false;
      else {
        if (before === undefined) spans.push(w);
        sameWindow.set(id, (before ?? 0) + 1);
        stacks.push(before ?? 0);
        continue;
      }
    }
    const taken = new Set<number>();
    for (let j = groupStart; j < i; j++) {
      const o = panes[j]!.window;
      if (o.start < w.end && w.start < o.end) taken.add(stacks[j]!);
    }
    let slot = 0;
    while (taken.has(slot)) slot++;
    stacks.push(slot);
  }
  return stacks;
}

/**
 * `paneStacks`, kept up to date as a model grows: slots are decided within a group of panes
 * fired at one time, so an update recomputes only from the start of the last group it saw
 * (more panes may have joined it) on. The same slots as `paneStacks` at every step; another
 * model, or fewer panes than before, starts over.
 */
export class PaneStacksBuilder {
  private model: RunModel | undefined;
  private stacks: number[] = [];

  /** Every pane's slot (a view valid until the next update). */
  update(model: RunModel): readonly number[] {
    const panes = model.panes;
    const seen = this.stacks.length;
    if (model !== this.model || panes.length < seen) {
      this.model = model;
      this.stacks = paneStacks(panes);
      return this.stacks;
    }
    if (panes.length === seen) return this.stacks;
    let from = seen;
    while (from > 0 && panes[from - 1]!.t === panes[seen - 1]!.t) from--;
    this.stacks.length = from;
    for (const slot of paneStacks(panes.slice(from))) this.stacks.push(slot);
    return this.stacks;
  }
}

export interface TimeDomainMarks {
  /** Record dots shown: indexes 0 … recordCount-1 of `model.records`. */
  readonly recordCount: number;
  /** Shown records by kind. */
  readonly recordsByKind: Readonly<Record<RecordKind, number>>;
  /** Pane firings shown: indexes 0 … paneCount-1 of `model.panes`. */
  readonly paneCount: number;
  readonly panesByTiming: Readonly<Record<'EARLY' | 'ON_TIME' | 'LATE', number>>;
  readonly crashes: readonly CrashMark[];
  readonly restores: readonly RestoreMark[];
  /** The watermark steps shown (points at or before the playhead). */
  readonly watermark: readonly WatermarkPoint[];
}

/**
 * Everything the chart shows at `playheadT`, given every record's kind and the watermark drawn;
 * with `totals` (every record's kinds counted, `RecordKindsBuilder.totals`) the shown records
 * are counted from whichever end is shorter: a live run's playhead sits at the end.
 */
export function timeDomainMarks(model: RunModel, playheadT: number, kinds: Uint8Array, watermark: readonly WatermarkPoint[] = [], totals?: Readonly<Uint32Array>): TimeDomainMarks {
  const recordCount = visibleRecordCount(model, playheadT);
  const n = model.records.length;
  const counts = new Uint32Array(4);
  if (totals && n - recordCount < recordCount) {
    counts.set(totals);
    for (let i = recordCount; i < n; i++) counts[kinds[i]!]!--;
  } else for (let i = 0; i < recordCount; i++) counts[kinds[i]!]!++;
  const recordsByKind: Record<RecordKind, number> = { 0: counts[0]!, 1: counts[1]!, 2: counts[2]!, 3: counts[3]! };
  const paneCount = countUpTo(model.panes.length, (i) => model.panes[i]!.t, playheadT);
  // Counted and copied when read: the panel reads neither at its frames, and counting every
  // pane (10,000 in the UI benchmark) at each frame cost milliseconds of every time-domain update.
  let panesByTiming: Record<'EARLY' | 'ON_TIME' | 'LATE', number> | undefined;
  let shownWatermark: readonly WatermarkPoint[] | undefined;
  return {
    recordCount,
    recordsByKind,
    paneCount,
    get panesByTiming() {
      if (!panesByTiming) {
        panesByTiming = { EARLY: 0, ON_TIME: 0, LATE: 0 };
        for (let i = 0; i < paneCount; i++) panesByTiming[model.panes[i]!.pane.timing]++;
      }
      return panesByTiming;
    },
    crashes: model.crashes.filter((c) => c.t <= playheadT),
    restores: model.restores.filter((r) => r.t <= playheadT),
    get watermark() {
      return (shownWatermark ??= watermark.slice(0, countUpTo(watermark.length, (i) => watermark[i]!.t, playheadT)));
    },
  };
}
