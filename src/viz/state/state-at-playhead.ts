// The state inspector's data followed as a run plays: keyed state, pending timers (sorted) and
// the windows they keep open, with what changed since the last call merged in. Invariant: equal
// at every step to the walk from the start (stateTablesAt, pendingTimersAt, openWindowsAt);
// what was applied stays applied, and only the playhead moving back, another attempt in effect
// or another model starts the walk over.

import type { Window } from '../../engine/windows/window.ts';
import type { PaneFiring, RunModel, StateChange, TimerChange } from '../run-model.ts';
import { attemptAt, lastIndexAtOrBefore } from '../metrics/sample-at.ts';
import { changesInEffect } from './restored-history.ts';
import { applyStateChange, applyTimerChange, compareTables, openWindowsAt, paneWindowId, type KeyedStateRow, type OpenWindow, type PendingTimer, type StateTableKeys, type StateTableView } from './state-model.ts';
import { freshOrder, keyOrder, keyString, keyText, rankAll, sooner, SortedList, timerOrder, windowOrder } from './state-order.ts';

/** A window some pending timers belong to, them (the soonest first in the order), its latest pane, and its view as last given. */
interface WindowTimers {
  readonly id: string;
  readonly operator: string;
  readonly subtask: number;
  readonly key: PendingTimer['key'];
  readonly window: Window;
  readonly timers: PendingTimer[];
  readonly soonest: PendingTimer;
  lastPane?: PaneFiring;
  view?: OpenWindow;
}

/** A followed state table: its keys sorted, and its view as last asked (dropped once it changed). */
interface FollowedTable extends StateTableKeys {
  sorted?: SortedList<KeyedStateRow>;
  view?: StateTableView;
}

/**
 * Keyed state, pending timers and open windows at a playhead, kept up to date while the playhead
 * only moves forward within one attempt (a run playing).
 * - State: the model and attempt followed, how far into its change lists, the pending timers
 *   (by id and sorted), the windows they belong to, the latest pane per window and the state
 *   tables. Lifetime: one view's; any call with another model starts over.
 */
export class StateAtPlayhead {
  private model: RunModel | undefined;
  private attempts = 0;
  private attempt: number | undefined;
  private playheadT = Number.NEGATIVE_INFINITY;
  private timersSeen = 0;
  private statesSeen = 0;
  private panesSeen = 0;
  private order = freshOrder();
  private readonly pending = new Map<string, PendingTimer>();
  private readonly sorted = new SortedList<PendingTimer>();
  private readonly windows = new Map<string, WindowTimers>();
  private readonly sortedWindows = new SortedList<WindowTimers>();
  /** The open windows as last given when no timer was deleted (dropped once a window changed). */
  private openViews: OpenWindow[] | undefined;
  private readonly lastPanes = new Map<string, PaneFiring>();
  private readonly tables = new Map<string, FollowedTable>();
  /** The tables' views in order, as last asked (dropped once a table changed). */
  private tableViews: StateTableView[] | undefined;

  /** Timers set and not yet fired at `playheadT`, in `pendingTimersAt`'s order. The list is not changed afterwards (a later call returns another). */
  pendingTimers(model: RunModel, playheadT: number): readonly PendingTimer[] {
    this.advance(model, playheadT);
    return this.sorted.items;
  }

  /**
   * The windows of the pending timers at `playheadT` but `deleted` (timers `splitDeletedTimers`
   * found due without firing), as `openWindowsAt` gives them for the other timers.
   */
  openWindows(model: RunModel, playheadT: number, deleted: readonly PendingTimer[] = []): OpenWindow[] {
    this.advance(model, playheadT);
    let gone: Map<string, number> | undefined;
    for (const t of deleted) {
      if (!t.window) continue;
      const id = paneWindowId(t as PendingTimer & { window: Window });
      (gone ??= new Map()).set(id, (gone.get(id) ?? 0) + 1);
    }
    if (!gone && this.openViews) return this.openViews;
    if (gone && this.deletedMoveWindows(gone, deleted)) {
      // A deleted timer was the soonest of a window that keeps others: the order differs; rare.
      const dropped = new Set(deleted);
      return openWindowsAt(model, this.sorted.items.filter((t) => !dropped.has(t)), playheadT, this.lastPanes, this.order);
    }
    const out: OpenWindow[] = [];
    for (const w of this.sortedWindows.items) {
      const timers = w.timers.length - (gone?.get(w.id) ?? 0);
      if (timers <= 0) continue;
      if (w.view?.timers !== timers || w.view.lastPane !== w.lastPane) {
        const { operator, subtask, key, window, lastPane } = w;
        w.view = lastPane ? { operator, subtask, key, window, timers, lastPane } : { operator, subtask, key, window, timers };
      }
      out.push(w.view);
    }
    if (!gone) this.openViews = out;
    return out;
  }

  /** Whether some window with deleted timers keeps other timers and lost its soonest one. */
  private deletedMoveWindows(gone: ReadonlyMap<string, number>, deleted: readonly PendingTimer[]): boolean {
    const dropped = new Set(deleted);
    for (const [id, n] of gone) {
      const w = this.windows.get(id);
      if (w && n < w.timers.length && dropped.has(w.soonest)) return true;
    }
    return false;
  }

  /** Every state table at `playheadT` with its keys, as `stateTablesAt` gives them; tables that did not change are the same objects as last time. */
  stateTables(model: RunModel, playheadT: number): readonly StateTableView[] {
    this.advance(model, playheadT);
    if (this.tableViews) return this.tableViews;
    const views = [...this.tables.values()].map((t) => (t.view ??= { operator: t.operator, subtask: t.subtask, state: t.state, entries: t.entries, keys: t.sorted?.items ?? [] }));
    return (this.tableViews = views.sort(compareTables));
  }

  private advance(model: RunModel, playheadT: number): void {
    const current = attemptAt(model.attempts, playheadT)?.attempt;
    if (model !== this.model || model.attempts.length !== this.attempts || current !== this.attempt || playheadT < this.playheadT) {
      this.restart(model, playheadT, current);
      return;
    }
    if (playheadT === this.playheadT && this.timersSeen === model.timerChanges.length && this.statesSeen === model.stateChanges.length && this.panesSeen === model.panes.length) return;
    const inAttempt = (c: { t: number; attempt?: number }) => (c.attempt ?? attemptAt(model.attempts, c.t)?.attempt ?? 1) === current;
    const timers: TimerChange[] = [];
    let i = this.timersSeen;
    for (; i < model.timerChanges.length && model.timerChanges[i]!.t <= playheadT; i++) if (inAttempt(model.timerChanges[i]!)) timers.push(model.timerChanges[i]!);
    this.timersSeen = i;
    const states: StateChange[] = [];
    let j = this.statesSeen;
    for (; j < model.stateChanges.length && model.stateChanges[j]!.t <= playheadT; j++) if (inAttempt(model.stateChanges[j]!)) states.push(model.stateChanges[j]!);
    this.statesSeen = j;
    this.applyTimers(timers);
    this.applyStates(states);
    this.followPanes(model, playheadT);
    this.playheadT = playheadT;
  }

  /** The walk from the start (as the functions of state-model.ts do it), restores included. */
  private restart(model: RunModel, playheadT: number, current: number | undefined): void {
    if (model !== this.model) this.order = freshOrder();
    this.model = model;
    this.attempts = model.attempts.length;
    this.attempt = current;
    this.playheadT = playheadT;
    this.pending.clear();
    this.sorted.clear();
    this.windows.clear();
    this.sortedWindows.clear();
    this.openViews = undefined;
    this.lastPanes.clear();
    this.panesSeen = 0;
    this.tables.clear();
    this.tableViews = undefined;
    this.applyTimers(changesInEffect<TimerChange>(model, model.timerChanges, playheadT));
    this.timersSeen = lastIndexAtOrBefore(model.timerChanges, playheadT) + 1;
    this.applyStates(changesInEffect<StateChange>(model, model.stateChanges, playheadT));
    this.statesSeen = lastIndexAtOrBefore(model.stateChanges, playheadT) + 1;
    this.followPanes(model, playheadT);
  }

  private followPanes(model: RunModel, playheadT: number): void {
    let j = this.panesSeen;
    for (; j < model.panes.length && model.panes[j]!.t <= playheadT; j++) {
      const pane = model.panes[j]!;
      const id = paneWindowId(pane);
      this.lastPanes.set(id, pane);
      const w = this.windows.get(id);
      if (w) {
        w.lastPane = pane;
        this.openViews = undefined;
      }
    }
    this.panesSeen = j;
  }

  /** Applies timer changes in order, then merges the timers and windows they added into the sorted lists. */
  private applyTimers(changes: readonly TimerChange[]): void {
    if (changes.length === 0) return;
    const added: PendingTimer[] = [];
    const removed = new Set<PendingTimer>();
    // Windows whose timers changed, as they were before (undefined: new in this batch).
    const touched = new Map<string, WindowTimers | undefined>();
    for (const c of changes) {
      const change = applyTimerChange(this.pending, c);
      const timer = change.added ?? change.removed;
      if (!timer) continue;
      if (change.added) added.push(timer);
      else removed.add(timer);
      const id = change.windowId;
      if (id === undefined || !timer.window) continue;
      let w = this.windows.get(id);
      if (!touched.has(id)) touched.set(id, w);
      if (!w) this.windows.set(id, (w = { id, operator: timer.operator, subtask: timer.subtask, key: timer.key, window: timer.window, timers: [], soonest: timer }));
      if (change.added) w.timers.push(timer);
      else w.timers.splice(w.timers.indexOf(timer), 1);
    }
    if (added.length > 0 || removed.size > 0) {
      const ranked = rankAll(this.order, added);
      this.sorted.merge(removed, added, timerOrder(ranked), [ranked.keys, ranked.names]);
    }
    // A window moves in the list when its soonest timer changes: it is taken out and put back.
    const addedWindows: WindowTimers[] = [];
    const removedWindows = new Set<WindowTimers>();
    for (const [id, before] of touched) {
      const w = this.windows.get(id)!;
      if (w.timers.length === 0) {
        this.windows.delete(id);
        if (before) removedWindows.add(before);
        continue;
      }
      let soonest = w.timers[0]!;
      for (const t of w.timers) if (sooner(t, soonest)) soonest = t;
      if (before && !sooner(soonest, before.soonest) && !sooner(before.soonest, soonest)) {
        delete w.view;
        continue;
      }
      const moved: WindowTimers = { ...w, soonest };
      delete moved.view;
      const lastPane = this.lastPanes.get(id);
      if (lastPane) moved.lastPane = lastPane;
      this.windows.set(id, moved);
      if (before) removedWindows.add(before);
      addedWindows.push(moved);
    }
    if (touched.size > 0) this.openViews = undefined;
    if (addedWindows.length > 0 || removedWindows.size > 0) {
      const ranked = rankAll(this.order, addedWindows);
      this.sortedWindows.merge(removedWindows, addedWindows, windowOrder(ranked), [ranked.keys, ranked.names]);
    }
  }

  /** Applies state changes in order, then merges each changed table's new rows into its sorted keys. */
  private applyStates(changes: readonly StateChange[]): void {
    if (changes.length === 0) return;
    const touched = new Map<FollowedTable, { added: KeyedStateRow[]; removed: Set<KeyedStateRow> }>();
    for (const c of changes) {
      const table: FollowedTable | undefined = this.tables.get(`${c.operator}#${c.subtask}#${c.state}`);
      const k = keyText(c.key);
      const before = table?.keys.get(k);
      const after = applyStateChange(this.tables, c);
      const now = after.keys.get(k);
      let edits = touched.get(after);
      if (!edits) touched.set(after, (edits = { added: [], removed: new Set() }));
      if (before === now) continue;
      if (before) edits.removed.add(before);
      if (now) edits.added.push(now);
    }
    const keys = this.order.keys.of([...touched.values()].flatMap((e) => e.added.map(keyString)));
    const order = keyOrder(keys);
    for (const [table, { added, removed }] of touched) {
      (table.sorted ??= new SortedList()).merge(removed, added, order, [keys]);
      delete table.view;
    }
    this.tableViews = undefined;
  }
}
