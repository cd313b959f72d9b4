// The state inspector's data followed as a run plays: keyed state, pending timers (sorted) and
// the windows they keep open, with what changed since the last call merged in, in pieces when
// asked (a window's close fires thousands of timers at once). Invariant: once caught up, equal
// to the walk from the start (stateTablesAt, pendingTimersAt, openWindowsAt); nothing half
// applied is ever handed out; only the playhead moving back, another attempt in effect or
// another model starts the walk over.

import type { Window } from '../../engine/windows/window.ts';
import type { PaneFiring, RunModel, StateChange, TimerChange } from '../run-model.ts';
import { attemptAt, lastIndexAtOrBefore } from '../metrics/sample-at.ts';
import { changesInEffect } from './restored-history.ts';
import { applyStateChange, applyTimerChange, compareTables, openWindowsAt, paneWindowId, type KeyedStateRow, type OpenWindow, type PendingTimer, type StateTableKeys, type StateTableView } from './state-model.ts';
import { freshOrder, keyOrder, keyString, keyText, rankAll, sooner, SortedList, timerOrder, windowOrder } from './state-order.ts';

/** A window some pending timers belong to, them (the soonest first in the order), its latest pane, and its view as last given. */
class WindowTimers {
  lastPane: PaneFiring | undefined = undefined;
  view: OpenWindow | undefined = undefined;

  constructor(
    readonly id: string,
    readonly operator: string,
    readonly subtask: number,
    readonly key: PendingTimer['key'],
    readonly window: Window,
    readonly timers: PendingTimer[],
    readonly soonest: PendingTimer,
  ) {}
}

/** A followed state table: its keys sorted, and its view as last asked (dropped once it changed). */
interface FollowedTable extends StateTableKeys {
  sorted?: SortedList<KeyedStateRow>;
  view?: StateTableView | undefined;
}

/** What a batch of changes did, gathered while it is applied (maybe in pieces) and merged into the sorted lists at its end. */
class Batch {
  readonly addedTimers: PendingTimer[] = [];
  readonly removedTimers = new Set<PendingTimer>();
  /** Windows whose timers changed, as they were before (undefined: new in this batch). */
  readonly touchedWindows = new Map<string, WindowTimers | undefined>();
  readonly touchedTables = new Map<FollowedTable, { added: KeyedStateRow[]; removed: Set<KeyedStateRow> }>();
  panes = false;
  /** Changes applied in it. */
  size = 0;
}

/** The changes in effect at a restart's playhead, applied before the model's lists are followed on. */
interface Replay {
  readonly timers: readonly TimerChange[];
  readonly states: readonly StateChange[];
  timerAt: number;
  stateAt: number;
}

/** How a follower catches up in pieces (tests make the pieces tiny). */
export interface CatchUpPieces {
  /** Changes applied between looks at the clock when catching up in slices. */
  readonly piece: number;
  /**
   * Changes after which a batch is merged into the sorted lists even before the target is
   * reached (nothing is handed out before then): each merge then sorts a few hundred new items,
   * not the thousands of a first draw at once (which took 60 ms in a cold page).
   */
  readonly mergeEvery: number;
}

const PIECES: CatchUpPieces = { piece: 64, mergeEvery: 256 };

/**
 * Keyed state, pending timers and open windows at a playhead, kept up to date while the playhead
 * only moves forward within one attempt (a run playing).
 * - State: the model and attempt followed, the playhead aimed at and whether it is caught up, how
 *   far into its change lists, a replay after a restart, the batch being applied, the pending
 *   timers (by id and sorted), the windows they belong to, the latest pane per window and the
 *   state tables. Lifetime: one view's; any call with another model starts over.
 */
export class StateAtPlayhead {
  private model: RunModel | undefined;
  private attempts = 0;
  private attempt: number | undefined;
  /** The playhead being caught up to. */
  private target = Number.NEGATIVE_INFINITY;
  /** Whether everything up to `target` is applied and merged. */
  private caughtUp = false;
  private replay: Replay | undefined;
  private batch = new Batch();
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

  constructor(private readonly pieces: CatchUpPieces = PIECES) {}

  /**
   * Applies what changed up to `playheadT` until about `sliceMs` are spent (at least one piece,
   * 64 changes; a slice of 0 makes one piece). Returns whether it is caught up: then the lists
   * equal the walk from the start at `playheadT`. Lists handed out before are never changed (a
   * view keeps showing the last state it drew until this says it is caught up).
   * @example if (!tracked.catchUp(model, t, 4)) return false; // the rest in the next slice
   */
  catchUp(model: RunModel, playheadT: number, sliceMs = Number.POSITIVE_INFINITY, now: () => number = () => performance.now()): boolean {
    this.aim(model, playheadT);
    if (this.caughtUp) return true;
    return this.work(Number.isFinite(sliceMs) ? now() + sliceMs : Number.POSITIVE_INFINITY, now);
  }

  /** About how many changes are left to apply before the lists are those at `playheadT` (a restart counts every change up to it). */
  behind(model: RunModel, playheadT: number): number {
    const upTo = (list: readonly { t: number }[]) => lastIndexAtOrBefore(list, playheadT) + 1;
    const all = upTo(model.timerChanges) + upTo(model.stateChanges) + upTo(model.panes);
    if (this.restartNeeded(model, playheadT)) return all;
    const replayed = this.replay ? this.replay.timers.length - this.replay.timerAt + this.replay.states.length - this.replay.stateAt : 0;
    return replayed + all - this.timersSeen - this.statesSeen - this.panesSeen;
  }

  /** Timers set and not yet fired at `playheadT`, in `pendingTimersAt`'s order. The list is not changed afterwards (a later call returns another). */
  pendingTimers(model: RunModel, playheadT: number): readonly PendingTimer[] {
    this.catchUp(model, playheadT);
    return this.sorted.items;
  }

  /**
   * The windows of the pending timers at `playheadT` but `deleted` (timers `splitDeletedTimers`
   * found due without firing), as `openWindowsAt` gives them for the other timers.
   */
  openWindows(model: RunModel, playheadT: number, deleted: readonly PendingTimer[] = []): OpenWindow[] {
    this.catchUp(model, playheadT);
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
      let view = w.view;
      if (view === undefined || view.timers !== timers || view.lastPane !== w.lastPane) {
        const { operator, subtask, key, window, lastPane } = w;
        view = lastPane ? { operator, subtask, key, window, timers, lastPane } : { operator, subtask, key, window, timers };
        w.view = view;
      }
      out.push(view);
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
    this.catchUp(model, playheadT);
    if (this.tableViews) return this.tableViews;
    const views = [...this.tables.values()].map((t) => (t.view ??= { operator: t.operator, subtask: t.subtask, state: t.state, entries: t.entries, keys: t.sorted?.items ?? [] }));
    return (this.tableViews = views.sort(compareTables));
  }

  private restartNeeded(model: RunModel, playheadT: number): boolean {
    const current = attemptAt(model.attempts, playheadT)?.attempt;
    return model !== this.model || model.attempts.length !== this.attempts || current !== this.attempt || playheadT < this.target;
  }

  /** Aims at `playheadT`: starts the walk over when it cannot go on from where it is. */
  private aim(model: RunModel, playheadT: number): void {
    if (this.restartNeeded(model, playheadT)) {
      this.restart(model, playheadT);
      return;
    }
    if (playheadT === this.target && this.timersSeen === model.timerChanges.length && this.statesSeen === model.stateChanges.length && this.panesSeen === model.panes.length) return;
    this.target = playheadT;
    this.caughtUp = false;
  }

  /** Starts the walk from the start (as the functions of state-model.ts do it), restores included. */
  private restart(model: RunModel, playheadT: number): void {
    if (model !== this.model) this.order = freshOrder();
    this.model = model;
    this.attempts = model.attempts.length;
    this.attempt = attemptAt(model.attempts, playheadT)?.attempt;
    this.target = playheadT;
    this.caughtUp = false;
    this.batch = new Batch();
    this.pending.clear();
    this.sorted.clear();
    this.windows.clear();
    this.sortedWindows.clear();
    this.openViews = undefined;
    this.lastPanes.clear();
    this.panesSeen = 0;
    this.tables.clear();
    this.tableViews = undefined;
    this.replay = { timers: changesInEffect<TimerChange>(model, model.timerChanges, playheadT), states: changesInEffect<StateChange>(model, model.stateChanges, playheadT), timerAt: 0, stateAt: 0 };
    this.timersSeen = lastIndexAtOrBefore(model.timerChanges, playheadT) + 1;
    this.statesSeen = lastIndexAtOrBefore(model.stateChanges, playheadT) + 1;
  }

  /**
   * Applies changes up to the target, looking at the clock every piece, and merges the batch
   * once all are applied. Returns whether it got there before `deadline`.
   */
  private work(deadline: number, now: () => number): boolean {
    const model = this.model!;
    const target = this.target;
    const timed = Number.isFinite(deadline);
    const { piece, mergeEvery } = this.pieces;
    let count = 0;
    /** Whether to stop here: a piece is done and the slice is spent (a batch grown large is merged first). */
    const stop = () => {
      if (++count % piece !== 0) return false;
      if (this.batch.size >= mergeEvery) this.mergeBatch();
      return timed && now() >= deadline;
    };
    const replay = this.replay;
    if (replay) {
      while (replay.timerAt < replay.timers.length) {
        this.applyTimer(replay.timers[replay.timerAt++]!);
        if (stop()) return false;
      }
      while (replay.stateAt < replay.states.length) {
        this.applyState(replay.states[replay.stateAt++]!);
        if (stop()) return false;
      }
      this.replay = undefined;
    }
    const current = this.attempt;
    const inAttempt = (c: { t: number; attempt?: number }) => (c.attempt ?? attemptAt(model.attempts, c.t)?.attempt ?? 1) === current;
    const timers = model.timerChanges;
    while (this.timersSeen < timers.length && timers[this.timersSeen]!.t <= target) {
      const c = timers[this.timersSeen++]!;
      if (inAttempt(c)) this.applyTimer(c);
      if (stop()) return false;
    }
    const states = model.stateChanges;
    while (this.statesSeen < states.length && states[this.statesSeen]!.t <= target) {
      const c = states[this.statesSeen++]!;
      if (inAttempt(c)) this.applyState(c);
      if (stop()) return false;
    }
    const panes = model.panes;
    while (this.panesSeen < panes.length && panes[this.panesSeen]!.t <= target) {
      this.followPane(panes[this.panesSeen++]!);
      if (stop()) return false;
    }
    this.mergeBatch();
    this.caughtUp = true;
    return true;
  }

  /** The latest pane of a window (panes count whatever their attempt, as `openWindowsAt` reads them). */
  private followPane(pane: PaneFiring): void {
    this.batch.size++;
    const id = paneWindowId(pane);
    this.lastPanes.set(id, pane);
    const w = this.windows.get(id);
    if (w) {
      w.lastPane = pane;
      this.batch.panes = true;
    }
  }

  /** Applies a timer change to the timers by id and their windows; the sorted lists wait for the batch's end. */
  private applyTimer(c: TimerChange): void {
    this.batch.size++;
    const change = applyTimerChange(this.pending, c);
    const timer = change.added ?? change.removed;
    if (!timer) return;
    const batch = this.batch;
    if (change.added) batch.addedTimers.push(timer);
    else batch.removedTimers.add(timer);
    const id = change.windowId;
    if (id === undefined || !timer.window) return;
    let w = this.windows.get(id);
    if (!batch.touchedWindows.has(id)) batch.touchedWindows.set(id, w);
    if (!w) this.windows.set(id, (w = new WindowTimers(id, timer.operator, timer.subtask, timer.key, timer.window, [], timer)));
    if (change.added) w.timers.push(timer);
    else w.timers.splice(w.timers.indexOf(timer), 1);
  }

  /** Applies a state change to its table; the table's sorted keys wait for the batch's end. */
  private applyState(c: StateChange): void {
    this.batch.size++;
    const table: FollowedTable | undefined = this.tables.get(`${c.operator}#${c.subtask}#${c.state}`);
    const k = keyText(c.key);
    const before = table?.keys.get(k);
    const after = applyStateChange(this.tables, c);
    const now = after.keys.get(k);
    let edits = this.batch.touchedTables.get(after);
    if (!edits) this.batch.touchedTables.set(after, (edits = { added: [], removed: new Set() }));
    if (before === now) return;
    if (before) edits.removed.add(before);
    if (now) edits.added.push(now);
  }

  /** Merges what the batch added and removed into the sorted timers, windows and tables. */
  private mergeBatch(): void {
    const batch = this.batch;
    this.batch = new Batch();
    if (batch.addedTimers.length > 0 || batch.removedTimers.size > 0) {
      const ranked = rankAll(this.order, batch.addedTimers);
      this.sorted.merge(batch.removedTimers, batch.addedTimers, timerOrder(ranked), [ranked.keys, ranked.names]);
    }
    // A window moves in the list when its soonest timer changes: it is taken out and put back.
    const addedWindows: WindowTimers[] = [];
    const removedWindows = new Set<WindowTimers>();
    for (const [id, before] of batch.touchedWindows) {
      const w = this.windows.get(id)!;
      if (w.timers.length === 0) {
        this.windows.delete(id);
        if (before) removedWindows.add(before);
        continue;
      }
      let soonest = w.timers[0]!;
      for (const t of w.timers) if (sooner(t, soonest)) soonest = t;
      if (before && !sooner(soonest, before.soonest) && !sooner(before.soonest, soonest)) {
        w.view = undefined;
        continue;
      }
      const moved = new WindowTimers(id, w.operator, w.subtask, w.key, w.window, w.timers, soonest);
      moved.lastPane = this.lastPanes.get(id);
      this.windows.set(id, moved);
      if (before) removedWindows.add(before);
      addedWindows.push(moved);
    }
    if (batch.touchedWindows.size > 0 || batch.panes) this.openViews = undefined;
    if (addedWindows.length > 0 || removedWindows.size > 0) {
      const ranked = rankAll(this.order, addedWindows);
      this.sortedWindows.merge(removedWindows, addedWindows, windowOrder(ranked), [ranked.keys, ranked.names]);
    }
    if (batch.touchedTables.size > 0) {
      const keys = this.order.keys.of([...batch.touchedTables.values()].flatMap((e) => e.added.map(keyString)));
      const order = keyOrder(keys);
      for (const [table, { added, removed }] of batch.touchedTables) {
        (table.sorted ??= new SortedList()).merge(removed, added, order, [keys]);
        table.view = undefined;
      }
      this.tableViews = undefined;
    }
  }
}
