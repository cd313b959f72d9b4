// The state inspector's data at a playhead: keyed state per key, pending timers (with their
// windows), and total state size over time. Invariant: pure functions of the RunModel; across a
// restore, state and timers are those the checkpoint brought back plus what happened since.

import type { Key } from '../../engine/runtime/record-batch.ts';
import type { Window } from '../../engine/windows/window.ts';
import type { PaneFiring, RunModel, StateChange, TimerChange } from '../run-model.ts';
import { changesInEffect } from './restored-history.ts';
import { attemptAt, watermarkAt } from '../metrics/sample-at.ts';

/** One key's entry in one state table of one subtask. */
export interface KeyedStateRow {
  readonly operator: string;
  readonly subtask: number;
  readonly state: string;
  readonly key: Key | undefined;
  /** When this key's state was last written or cleared. */
  readonly t: number;
}

/** A state table of one subtask: how many entries it holds (every key and window) and which keys. */
export interface StateTableView {
  readonly operator: string;
  readonly subtask: number;
  readonly state: string;
  readonly entries: number;
  readonly keys: readonly KeyedStateRow[];
}

const keyText = (k: Key | undefined): string => (k === undefined ? '' : typeof k === 'string' ? `s:${k}` : `n:${k}`);

/**
 * Every state table at `playheadT` with the keys that hold state in it. A `stateUpdated` event
 * carries the table's size after a write to one key; a size that fell means that key was cleared.
 */
export function stateTablesAt(model: RunModel, playheadT: number): StateTableView[] {
  const tables = new Map<string, { operator: string; subtask: number; state: string; entries: number; keys: Map<string, KeyedStateRow> }>();
  for (const c of changesInEffect<StateChange>(model, model.stateChanges, playheadT)) {
    const id = `${c.operator}#${c.subtask}#${c.state}`;
    let table = tables.get(id);
    if (!table) {
      table = { operator: c.operator, subtask: c.subtask, state: c.state, entries: 0, keys: new Map() };
      tables.set(id, table);
    }
    const k = keyText(c.key);
    if (c.entries < table.entries) table.keys.delete(k);
    else table.keys.set(k, { operator: c.operator, subtask: c.subtask, state: c.state, key: c.key, t: c.t });
    table.entries = c.entries;
  }
  return [...tables.values()]
    .map((t) => ({ operator: t.operator, subtask: t.subtask, state: t.state, entries: t.entries, keys: [...t.keys.values()].sort(byKey) }))
    .sort((a, b) => a.operator.localeCompare(b.operator) || a.subtask - b.subtask || a.state.localeCompare(b.state));
}

// One collator for every comparison: localeCompare with options builds a collator per call,
// which made sorting a thousand keys take most of a frame.
const keyCollator = new Intl.Collator('en', { numeric: true });

function byKey(a: { key: Key | undefined }, b: { key: Key | undefined }): number {
  return keyCollator.compare(String(a.key ?? ''), String(b.key ?? ''));
}

/**
 * Each distinct string's place in `compare`'s order (strings it calls equal share one). Sorting
 * thousands of timers of a thousand keys compares keys a hundred thousand times; ranking the
 * distinct keys once and comparing numbers gives the same order at a fraction of the cost.
 */
function ranks(strings: Iterable<string>, compare: (a: string, b: string) => number): Map<string, number> {
  const sorted = [...new Set(strings)].sort(compare);
  const rank = new Map<string, number>();
  let r = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && compare(sorted[i - 1]!, sorted[i]!) !== 0) r++;
    rank.set(sorted[i]!, r);
  }
  return rank;
}

const keyString = (x: { key: Key | undefined }): string => String(x.key ?? '');
const byLocale = (a: string, b: string): number => a.localeCompare(b);

/**
 * `ranks`, kept across calls: the keys of a run are mostly the same from one draw to the next,
 * so they are ranked again only when one not seen before comes. Ranks over a superset keep the
 * order (and the ties) of any subset.
 * - State: the rank of every string seen. Lifetime: as long as its owner (a model's view).
 */
export class StringRanks {
  private rank = new Map<string, number>();

  constructor(private readonly compare: (a: string, b: string) => number) {}

  /** A rank for each of `strings`, in `compare`'s order. */
  of(strings: readonly string[]): ReadonlyMap<string, number> {
    let unseen: string[] | undefined;
    for (const s of strings) if (!this.rank.has(s)) (unseen ??= []).push(s);
    if (unseen) this.rank = ranks([...this.rank.keys(), ...unseen], this.compare);
    return this.rank;
  }
}

/** Rankers for timers and windows: keys by the key collator, names and domains by locale. */
export interface TimerOrder {
  readonly keys: StringRanks;
  readonly names: StringRanks;
}

const freshOrder = (): TimerOrder => ({ keys: new StringRanks(keyCollator.compare), names: new StringRanks(byLocale) });

/** A timer set and not yet fired at the playhead. */
export interface PendingTimer {
  readonly operator: string;
  readonly subtask: number;
  readonly key: Key | undefined;
  readonly domain: 'eventTime' | 'processingTime';
  readonly time: number;
  readonly window?: Window;
  /** When it was set. */
  readonly setT: number;
}

/**
 * Timers set and not yet fired at `playheadT`, soonest first (event-time timers before
 * processing-time ones at the same time). Setting the same timer twice keeps one, as in Flink.
 * The trace does not record deleted timers, so a deleted one stays listed until it would fire.
 */
export function pendingTimersAt(model: RunModel, playheadT: number): PendingTimer[] {
  const pending = new Map<string, PendingTimer>();
  for (const c of changesInEffect<TimerChange>(model, model.timerChanges, playheadT)) applyTimerChange(pending, c);
  return sortTimers(pending, freshOrder());
}

function applyTimerChange(pending: Map<string, PendingTimer>, c: TimerChange): void {
  const id = `${c.operator}|${c.subtask}|${keyText(c.key)}|${c.domain}|${c.time}|${c.window ? `${c.window.start},${c.window.end}` : ''}`;
  if (c.change === 'set') {
    if (!pending.has(id)) {
      pending.set(id, {
        operator: c.operator,
        subtask: c.subtask,
        key: c.key,
        domain: c.domain,
        time: c.time,
        setT: c.t,
        ...(c.window ? { window: c.window } : {}),
      });
    }
  } else pending.delete(id);
}

/**
 * Timers soonest first, then by domain, operator, subtask and key. Each timer's sort fields are
 * read once into typed arrays and the indices sorted on numbers: comparing through maps and key
 * strings thousands of times per draw was most of the state panel's time in a long run.
 */
function sortTimers(pending: Map<string, PendingTimer>, order: TimerOrder): PendingTimer[] {
  const list = [...pending.values()];
  const keyStrings = list.map(keyString);
  const keys = order.keys.of(keyStrings);
  const names = order.names.of(['eventTime', 'processingTime', ...new Set(list.map((t) => t.operator))]);
  const n = list.length;
  const time = new Float64Array(n);
  const domain = new Int32Array(n);
  const operator = new Int32Array(n);
  const key = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const t = list[i]!;
    time[i] = t.time;
    domain[i] = names.get(t.domain)!;
    operator[i] = names.get(t.operator)!;
    key[i] = keys.get(keyStrings[i]!)!;
  }
  const index = Array.from({ length: n }, (_, i) => i);
  index.sort((a, b) => time[a]! - time[b]! || domain[a]! - domain[b]! || operator[a]! - operator[b]! || list[a]!.subtask - list[b]!.subtask || key[a]! - key[b]!);
  return index.map((i) => list[i]!);
}

const paneWindowId = (p: { operator: string; subtask: number; key: Key | undefined; window: Window }): string =>
  `${p.operator}|${p.subtask}|${keyText(p.key)}|${p.window.start},${p.window.end}`;

/**
 * `pendingTimersAt` and the latest pane per window, kept up to date while the playhead only
 * moves forward within one attempt (a run playing): each call folds in the timer changes and
 * panes since the last one. The playhead moving back, another attempt or another model
 * starts it over. Same timers as `pendingTimersAt` at every step.
 */
export class StateAtPlayhead {
  private model: RunModel | undefined;
  private attempts = 0;
  private attempt: number | undefined;
  private playheadT = Number.NEGATIVE_INFINITY;
  private timersSeen = 0;
  private panesSeen = 0;
  private readonly pending = new Map<string, PendingTimer>();
  private readonly lastPanes = new Map<string, PaneFiring>();
  private order = freshOrder();

  /** Timers set and not yet fired at `playheadT` (see `pendingTimersAt`). */
  pendingTimers(model: RunModel, playheadT: number): PendingTimer[] {
    this.advance(model, playheadT);
    return sortTimers(this.pending, this.order);
  }

  /** Windows with a pending timer at `playheadT` (see `openWindowsAt`). */
  openWindows(model: RunModel, timers: readonly PendingTimer[], playheadT: number): OpenWindow[] {
    this.advance(model, playheadT);
    return openWindowsAt(model, timers, playheadT, this.lastPanes, this.order);
  }

  private advance(model: RunModel, playheadT: number): void {
    const current = attemptAt(model.attempts, playheadT)?.attempt;
    if (model !== this.model || model.attempts.length !== this.attempts || current !== this.attempt || playheadT < this.playheadT) {
      if (model !== this.model) this.order = freshOrder();
      this.model = model;
      this.attempts = model.attempts.length;
      this.attempt = current;
      this.pending.clear();
      this.lastPanes.clear();
      this.panesSeen = 0;
      // The first step walks the history (restores included) as pendingTimersAt does.
      const changes = changesInEffect<TimerChange>(model, model.timerChanges, playheadT);
      for (const c of changes) applyTimerChange(this.pending, c);
      this.timersSeen = countUpTo(model.timerChanges, playheadT);
    } else {
      const changes = model.timerChanges;
      let i = this.timersSeen;
      for (; i < changes.length && changes[i]!.t <= playheadT; i++) {
        const c = changes[i]!;
        if ((c.attempt ?? attemptAt(model.attempts, c.t)?.attempt ?? 1) === current) applyTimerChange(this.pending, c);
      }
      this.timersSeen = i;
    }
    let j = this.panesSeen;
    for (; j < model.panes.length && model.panes[j]!.t <= playheadT; j++) this.lastPanes.set(paneWindowId(model.panes[j]!), model.panes[j]!);
    this.panesSeen = j;
    this.playheadT = playheadT;
  }
}

/** How many of `items` (in timeline order) happened at or before `t`. */
function countUpTo(items: readonly { readonly t: number }[], t: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.t <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Splits timers into those that may still fire and those that must have been deleted: an
 * event-time timer at or below its subtask's watermark, or a processing-time timer before the
 * attempt's clock, would have fired (and the firing would be in the trace).
 */
export function splitDeletedTimers(model: RunModel, timers: readonly PendingTimer[], playheadT: number): { live: PendingTimer[]; deleted: PendingTimer[] } {
  const live: PendingTimer[] = [];
  const deleted: PendingTimer[] = [];
  const pt = playheadT - (attemptAt(model.attempts, playheadT)?.offset ?? 0);
  // One watermark lookup per subtask, not per timer (thousands of timers share a few subtasks).
  const watermarks = new Map<string, number>();
  const watermarkOf = (t: PendingTimer): number => {
    const id = `${t.operator}#${t.subtask}`;
    let w = watermarks.get(id);
    if (w === undefined) watermarks.set(id, (w = watermarkAt(model.watermarks.get(id), playheadT) ?? Number.NEGATIVE_INFINITY));
    return w;
  };
  for (const t of timers) {
    const due = t.domain === 'eventTime' ? t.time <= watermarkOf(t) : t.time < pt;
    (due ? deleted : live).push(t);
  }
  return { live, deleted };
}

/** A window that holds state at the playhead: it has a timer pending (its end, or a trigger's). */
export interface OpenWindow {
  readonly operator: string;
  readonly subtask: number;
  readonly key: Key | undefined;
  readonly window: Window;
  readonly timers: number;
  /** The latest pane it fired by the playhead, if any (accumulating panes carry all elements so far). */
  readonly lastPane?: PaneFiring;
}

/** Windows with a pending timer at the playhead, by key, with their latest pane (from `lastPanes` by window id when given). */
export function openWindowsAt(model: RunModel, timers: readonly PendingTimer[], playheadT: number, lastPanes?: ReadonlyMap<string, PaneFiring>, order: TimerOrder = freshOrder()): OpenWindow[] {
  const open = new Map<string, { operator: string; subtask: number; key: Key | undefined; window: Window; timers: number; lastPane?: PaneFiring }>();
  for (const t of timers) {
    if (!t.window) continue;
    const id = `${t.operator}|${t.subtask}|${keyText(t.key)}|${t.window.start},${t.window.end}`;
    const w = open.get(id);
    if (w) w.timers++;
    else open.set(id, { operator: t.operator, subtask: t.subtask, key: t.key, window: t.window, timers: 1 });
  }
  if (lastPanes) {
    for (const [id, w] of open) {
      const p = lastPanes.get(id);
      if (p) w.lastPane = p;
    }
  } else {
    for (const p of model.panes) {
      if (p.t > playheadT) break;
      const w = open.get(paneWindowId(p));
      if (w) w.lastPane = p;
    }
  }
  const list = [...open.values()];
  const keyStrings = list.map(keyString);
  const keys = order.keys.of(keyStrings);
  const operators = order.names.of([...new Set(list.map((w) => w.operator))]);
  const n = list.length;
  const operator = new Int32Array(n);
  const key = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    operator[i] = operators.get(list[i]!.operator)!;
    key[i] = keys.get(keyStrings[i]!)!;
  }
  const index = Array.from({ length: n }, (_, i) => i);
  index.sort((a, b) => operator[a]! - operator[b]! || key[a]! - key[b]! || list[a]!.window.start - list[b]!.window.start);
  return index.map((i) => list[i]!);
}

export interface StateSizePoint {
  readonly t: number;
  readonly entries: number;
  readonly timers: number;
}

/** Total state entries and timers over the job, one point per metrics sample. */
export function stateSizeSeries(model: RunModel): StateSizePoint[] {
  return model.metrics.map((s) => {
    let entries = 0;
    let timers = 0;
    for (const m of s.subtasks) {
      entries += m.stateEntries;
      timers += m.timers;
    }
    return { t: s.t, entries, timers };
  });
}
