// The state inspector's data at a playhead: keyed state per key, pending timers (with their
// windows), and total state size over time. Invariant: pure functions of the RunModel; across a
// restore, state and timers are those the checkpoint brought back plus what happened since.

import type { Key } from '../../engine/runtime/record-batch.ts';
import type { Window } from '../../engine/windows/window.ts';
import type { PaneFiring, RunModel, StateChange, TimerChange } from '../run-model.ts';
import { changesInEffect } from './restored-history.ts';
import { attemptAt, watermarkAt } from '../metrics/sample-at.ts';
import { compareKeys, freshOrder, keyText, rankAll, sooner, sortBy, sortTimerList, windowOrder, type OrderedTimer, type TimerOrder } from './state-order.ts';

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

/**
 * Every state table at `playheadT` with the keys that hold state in it. A `stateUpdated` event
 * carries the table's size after a write to one key; a size that fell means that key was cleared.
 */
export function stateTablesAt(model: RunModel, playheadT: number): StateTableView[] {
  const tables = new Map<string, StateTableKeys>();
  for (const c of changesInEffect<StateChange>(model, model.stateChanges, playheadT)) applyStateChange(tables, c);
  return [...tables.values()]
    .map((t) => ({ operator: t.operator, subtask: t.subtask, state: t.state, entries: t.entries, keys: [...t.keys.values()].sort(compareKeys) }))
    .sort(compareTables);
}

/** A state table being followed: its size and its keys by `keyText`. */
export interface StateTableKeys {
  readonly operator: string;
  readonly subtask: number;
  readonly state: string;
  entries: number;
  readonly keys: Map<string, KeyedStateRow>;
}

/** Applies a state change to `tables` (by table id); returns the table it changed. */
export function applyStateChange(tables: Map<string, StateTableKeys>, c: StateChange): StateTableKeys {
  const id = `${c.operator}#${c.subtask}#${c.state}`;
  let table = tables.get(id);
  if (!table) tables.set(id, (table = { operator: c.operator, subtask: c.subtask, state: c.state, entries: 0, keys: new Map() }));
  const k = keyText(c.key);
  if (c.entries < table.entries) table.keys.delete(k);
  else table.keys.set(k, { operator: c.operator, subtask: c.subtask, state: c.state, key: c.key, t: c.t });
  table.entries = c.entries;
  return table;
}

/** State tables by operator, subtask and state name. */
export function compareTables(a: { operator: string; subtask: number; state: string }, b: { operator: string; subtask: number; state: string }): number {
  return a.operator.localeCompare(b.operator) || a.subtask - b.subtask || a.state.localeCompare(b.state);
}

/** A timer set and not yet fired at the playhead. */
export interface PendingTimer extends OrderedTimer {
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
  return sortTimerList([...pending.values()], freshOrder());
}

/**
 * Applies a timer change to `pending` (by timer id). Returns the timer a `set` added (nothing
 * when it was pending already) or the one a `fired` removed, and the id of its window (as
 * `paneWindowId` makes it: the timer's id starts with it, so it is built once).
 */
export function applyTimerChange(pending: Map<string, PendingTimer>, c: TimerChange): { added?: PendingTimer; removed?: PendingTimer; windowId?: string } {
  const owner = `${c.operator}|${c.subtask}|${keyText(c.key)}`;
  const windowId = c.window ? `${owner}|${c.window.start},${c.window.end}` : undefined;
  const id = `${windowId ?? `${owner}|`}|${c.domain}|${c.time}`;
  if (c.change === 'set') {
    if (pending.has(id)) return {};
    const added: PendingTimer = c.window
      ? { operator: c.operator, subtask: c.subtask, key: c.key, domain: c.domain, time: c.time, setT: c.t, window: c.window }
      : { operator: c.operator, subtask: c.subtask, key: c.key, domain: c.domain, time: c.time, setT: c.t };
    pending.set(id, added);
    return windowId === undefined ? { added } : { added, windowId };
  }
  const removed = pending.get(id);
  if (removed === undefined) return {};
  pending.delete(id);
  return windowId === undefined ? { removed } : { removed, windowId };
}

/** The id of a window of `p` (as panes and open windows are matched by). */
export const paneWindowId = (p: { operator: string; subtask: number; key: Key | undefined; window: Window }): string =>
  `${p.operator}|${p.subtask}|${keyText(p.key)}|${p.window.start},${p.window.end}`;

/**
 * Splits timers into those that may still fire and those that must have been deleted: an
 * event-time timer at or below its subtask's watermark, or a processing-time timer before the
 * attempt's clock, would have fired (and the firing would be in the trace).
 */
export function splitDeletedTimers(model: RunModel, timers: readonly PendingTimer[], playheadT: number): { live: PendingTimer[]; deleted: PendingTimer[] } {
  const live: PendingTimer[] = [];
  const deleted: PendingTimer[] = [];
  const pt = playheadT - (attemptAt(model.attempts, playheadT)?.offset ?? 0);
  const watermarkOf = subtaskWatermarks(model, playheadT);
  for (const t of timers) {
    const due = t.domain === 'eventTime' ? t.time <= (watermarkOf(t.operator, t.subtask) ?? Number.NEGATIVE_INFINITY) : t.time < pt;
    (due ? deleted : live).push(t);
  }
  return { live, deleted };
}

/**
 * The watermark of each operator subtask at `playheadT` (undefined before its first), looked up
 * once per subtask: thousands of timers share a few subtasks, and building an id string per
 * timer to find its watermark was a good part of a draw.
 */
export function subtaskWatermarks(model: RunModel, playheadT: number): (operator: string, subtask: number) => number | undefined {
  const byOperator = new Map<string, (number | undefined)[]>();
  return (operator, subtask) => {
    let list = byOperator.get(operator);
    if (!list) byOperator.set(operator, (list = []));
    if (subtask in list) return list[subtask];
    return (list[subtask] = watermarkAt(model.watermarks.get(`${operator}#${subtask}`), playheadT));
  };
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

/** Windows with a pending timer at the playhead in the window order (operator, key, start, soonest timer…), with their latest pane (from `lastPanes` by window id when given). */
export function openWindowsAt(model: RunModel, timers: readonly PendingTimer[], playheadT: number, lastPanes?: ReadonlyMap<string, PaneFiring>, order: TimerOrder = freshOrder()): OpenWindow[] {
  const open = new Map<string, { operator: string; subtask: number; key: Key | undefined; window: Window; timers: number; lastPane?: PaneFiring; soonest: PendingTimer }>();
  for (const t of timers) {
    if (!t.window) continue;
    const id = paneWindowId(t as PendingTimer & { window: Window });
    const w = open.get(id);
    if (!w) open.set(id, { operator: t.operator, subtask: t.subtask, key: t.key, window: t.window, timers: 1, soonest: t });
    else {
      w.timers++;
      if (sooner(t, w.soonest)) w.soonest = t;
    }
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
  return sortBy(list, windowOrder(rankAll(order, list))).map(({ soonest: _soonest, ...w }) => w);
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
