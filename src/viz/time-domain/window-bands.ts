// The windows the time-domain chart shades: each distinct window its panes fired for, when it
// appeared (its first timer) and when it was done (its last pane, or its clean-up timer), and
// the lane it sits in, one lane per key when windows differ between keys (sessions).
// Invariant: the allowed lateness is read from the engine's own clean-up timers, never guessed.

import type { Key } from '../../engine/runtime/record-batch.ts';
import type { RunModel } from '../run-model.ts';

export interface WindowBand {
  readonly operator: string;
  /** The key when windows are drawn per key (sessions); undefined when shared by every key. */
  readonly key: Key | undefined;
  readonly start: number;
  readonly end: number;
  /** Timeline time the window appeared: its first timer, else its first pane. */
  readonly appearT: number;
  /** Timeline time after which nothing more came of it (a final pane or its clean-up), if known. */
  readonly doneT: number | undefined;
  /** Row in the window strip: a key's row for sessions, 0 for windows shared by every key. */
  readonly lane: number;
  readonly panes: number;
}

export interface WindowLayout {
  readonly bands: readonly WindowBand[];
  /** Whether bands are per key (windows that differ between keys, as sessions do). */
  readonly perKey: boolean;
  /** Lane labels, top to bottom (keys when per key). */
  readonly lanes: readonly string[];
}

const keyText = (key: Key | undefined): string => (key === undefined ? '(no key)' : String(key));

/**
 * The allowed lateness of a window operator, from its clean-up timers: the engine sets one
 * event-time timer at a window's max timestamp and its clean-up at max timestamp + lateness.
 * Undefined when no event-time timer with a window was traced.
 */
export function allowedLateness(model: RunModel, operator: string): number | undefined {
  let lateness: number | undefined;
  for (const c of model.timerChanges) {
    if (c.operator !== operator || c.domain !== 'eventTime' || !c.window || c.change !== 'set') continue;
    if (!Number.isFinite(c.window.end)) continue;
    const over = c.time - (c.window.end - 1);
    if (over >= 0 && (lateness === undefined || over > lateness)) lateness = over;
  }
  return lateness;
}

/** Lays out every finite window the model's panes fired for. */
export function windowLayout(model: RunModel): WindowLayout {
  return new WindowLayoutBuilder().update(model);
}

type Band = { -readonly [K in keyof WindowBand]: WindowBand[K] };

/** One window of one key, folded from its panes; `id` per key, `shared` for every key. */
type Acc = { operator: string; key: Key | undefined; start: number; end: number; firstT: number; lastT: number; last: boolean; panes: number; readonly id: string; readonly shared: string };

/**
 * `windowLayout`, kept up to date as a model grows: each update folds in only the panes and
 * timer changes added since the last one (the model's lists only grow), then lays the windows
 * out again only where they changed: the windows touched since are folded into their bands,
 * new ones (sorted after every earlier one, as a growing run's are) appended. The same layout
 * as `windowLayout` at every step. A different model, or an allowed lateness that grew after
 * clean-ups were judged by the old one, starts it over; a window sorted before others (unless it
 * joins a shared band already laid out), or a change between shared and per-key bands, lays
 * every window out again.
 */
export class WindowLayoutBuilder {
  private model: RunModel | undefined;
  private panesSeen = 0;
  private timersSeen = 0;
  private readonly byId = new Map<string, Acc>();
  private readonly keysPerWindow = new Map<string, Set<string>>();
  private readonly keys = new Set<string>();
  /** The distinct windows (any key), and whether two of them overlap (undefined: not known yet). */
  private readonly windows: { start: number; end: number }[] = [];
  private overlap: boolean | undefined;
  private readonly appear = new Map<string, number>();
  private readonly cleanup = new Map<string, number>();
  /** Allowed lateness per operator from the 'set' timers seen (as `allowedLateness`). */
  private readonly lateness = new Map<string, number>();
  /** Operators whose clean-ups were judged (a later change of their lateness starts over). */
  private readonly judged = new Set<string>();
  /** Every window of every key, sorted by start and end, ties in the order they came. */
  private readonly sorted: Acc[] = [];
  /**
   * Windows added since the last layout that sorted before some earlier window (a late pane of
   * an older window for one more key). One that joins a shared band the last layout has changes
   * no band's order, so only the others lay every window out again: that full layout runs over
   * every window of every key (10,000 in the UI benchmark) so rarely that its code is never
   * optimised, and took 20–30 ms of one frame.
   */
  private readonly outOfOrder = new Set<Acc>();
  /** Windows changed or added since the last layout, in the order they were touched. */
  private readonly dirty = new Set<Acc>();
  /** Windows already in a band of the last layout. */
  private placed = new WeakSet<Acc>();
  /** The last layout and how it was built: bands by id with their windows, lanes by key. */
  private last:
    | {
        readonly perKey: boolean;
        readonly result: WindowLayout;
        readonly bands: Band[];
        readonly index: Map<string, number>;
        readonly members: Map<string, Acc[]>;
        readonly laneOf: Map<string, number>;
        readonly lanes: string[];
      }
    | undefined;

  /** The layout of `model` as it is now. */
  update(model: RunModel): WindowLayout {
    if (model !== this.model || model.panes.length < this.panesSeen || model.timerChanges.length < this.timersSeen) this.reset(model);
    const panes = model.panes;
    for (let i = this.panesSeen; i < panes.length; i++) this.addPane(panes[i]!);
    this.panesSeen = panes.length;
    if (!this.addTimers(model)) {
      this.reset(model);
      return this.update(model);
    }
    return this.layout();
  }

  private reset(model: RunModel): void {
    this.model = model;
    this.panesSeen = 0;
    this.timersSeen = 0;
    for (const m of [this.byId, this.keysPerWindow, this.appear, this.cleanup, this.lateness]) m.clear();
    this.keys.clear();
    this.judged.clear();
    this.windows.length = 0;
    this.overlap = undefined;
    this.sorted.length = 0;
    this.outOfOrder.clear();
    this.dirty.clear();
    this.last = undefined;
  }

  private addPane(p: RunModel['panes'][number]): void {
    const { start, end } = p.window;
    if (!Number.isFinite(start) || !Number.isFinite(end)) return;
    const key = keyText(p.key);
    const id = `${p.operator}|${key}|${start}|${end}`;
    const a = this.byId.get(id);
    if (a) {
      a.lastT = p.t;
      a.last ||= p.pane.isLast;
      a.panes++;
      this.dirty.add(a);
    } else {
      const acc: Acc = { operator: p.operator, key: p.key, start, end, firstT: p.t, lastT: p.t, last: p.pane.isLast, panes: 1, id, shared: `${p.operator}|${start}|${end}` };
      this.byId.set(id, acc);
      this.insertSorted(acc);
      this.dirty.add(acc);
    }
    const w = `${p.operator}|${start}|${end}`;
    let keys = this.keysPerWindow.get(w);
    if (!keys) {
      this.keysPerWindow.set(w, (keys = new Set()));
      this.windows.push({ start, end });
      this.overlap = undefined;
    }
    keys.add(key);
    this.keys.add(key);
  }

  /** Folds in the new timer changes; false when an operator's lateness changed after judging. */
  private addTimers(model: RunModel): boolean {
    const changes = model.timerChanges;
    const from = this.timersSeen;
    for (let i = from; i < changes.length; i++) {
      const c = changes[i]!;
      if (c.domain !== 'eventTime' || !c.window || c.change !== 'set' || !Number.isFinite(c.window.end)) continue;
      const over = c.time - (c.window.end - 1);
      const before = this.lateness.get(c.operator);
      if (over >= 0 && (before === undefined || over > before)) {
        if (this.judged.has(c.operator)) return false;
        this.lateness.set(c.operator, over);
      }
    }
    for (let i = from; i < changes.length; i++) {
      const c = changes[i]!;
      if (!c.window) continue;
      const id = `${c.operator}|${keyText(c.key)}|${c.window.start}|${c.window.end}`;
      if (c.change === 'set' && !this.appear.has(id)) {
        this.appear.set(id, c.t);
        this.touch(id);
      }
      if (c.change === 'fired' && c.domain === 'eventTime') {
        this.judged.add(c.operator);
        const l = this.lateness.get(c.operator);
        if (l !== undefined && c.time === c.window.end - 1 + l) {
          this.cleanup.set(id, c.t);
          this.touch(id);
        }
      }
    }
    this.timersSeen = changes.length;
    return true;
  }

  /** Marks window `id`'s band for folding again, when the window is known. */
  private touch(id: string): void {
    const a = this.byId.get(id);
    if (a) this.dirty.add(a);
  }

  /** Puts a new window after every window that sorts before or with it. */
  private insertSorted(a: Acc): void {
    const list = this.sorted;
    const last = list[list.length - 1];
    if (!last || last.start < a.start || (last.start === a.start && last.end <= a.end)) {
      list.push(a);
      return;
    }
    this.outOfOrder.add(a);
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = list[mid]!;
      if (m.start < a.start || (m.start === a.start && m.end <= a.end)) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, a);
  }

  /** A window's own part of its band: when it appeared and when it was done. */
  private timesOf(a: Acc): { appearT: number; doneT: number | undefined } {
    return { appearT: Math.min(this.appear.get(a.id) ?? a.firstT, a.firstT), doneT: a.last ? a.lastT : this.cleanup.get(a.id) };
  }

  /** A band folded from its windows (the first one gives its place and lane). */
  private band(members: readonly Acc[], perKey: boolean, lane: number): Band {
    const first = members[0]!;
    let { appearT, doneT } = this.timesOf(first);
    let panes = first.panes;
    for (let k = 1; k < members.length; k++) {
      const t = this.timesOf(members[k]!);
      appearT = Math.min(appearT, t.appearT);
      doneT = doneT === undefined || t.doneT === undefined ? undefined : Math.max(doneT, t.doneT);
      panes += members[k]!.panes;
    }
    return { operator: first.operator, key: perKey ? first.key : undefined, start: first.start, end: first.end, appearT, doneT, lane, panes };
  }

  private layout(): WindowLayout {
    // Per key when some window is not shared by every key that has windows (sessions).
    const keyCount = this.keys.size;
    let someNotShared = false;
    for (const k of this.keysPerWindow.values()) if (k.size < keyCount) someNotShared = true;
    // Overlap is a matter of distinct windows (the same window of many keys does not overlap).
    const perKey = keyCount > 1 && someNotShared && (this.overlap ??= overlapping(this.windows));
    const last = this.last;
    if (last && last.perKey === perKey && this.joinsBands(last.members, perKey)) {
      if (this.dirty.size === 0) return last.result;
      const changed = new Set<string>();
      for (const a of this.dirty) {
        const bandId = perKey ? a.id : a.shared;
        const members = last.members.get(bandId);
        if (members) {
          // A new window of a known band: after its others, or (shared bands) anywhere in it.
          if (!this.placed.has(a)) {
            members.push(a);
            this.placed.add(a);
          }
          changed.add(bandId);
          continue;
        }
        // A new band, sorted after every band before it: appended, with a new lane if need be.
        const laneKey = perKey ? keyText(a.key) : '';
        if (!last.laneOf.has(laneKey)) {
          last.laneOf.set(laneKey, last.lanes.length);
          last.lanes.push(perKey ? laneKey : 'windows');
        }
        last.members.set(bandId, [a]);
        this.placed.add(a);
        last.index.set(bandId, last.bands.length);
        last.bands.push(this.band([a], perKey, last.laneOf.get(laneKey)!));
      }
      for (const bandId of changed) {
        const i = last.index.get(bandId)!;
        last.bands[i] = this.band(last.members.get(bandId)!, perKey, last.bands[i]!.lane);
      }
      this.dirty.clear();
      this.outOfOrder.clear();
      const result = { bands: [...last.bands], perKey, lanes: [...last.lanes] };
      this.last = { ...last, result };
      return result;
    }
    const members = new Map<string, Acc[]>();
    const laneOf = new Map<string, number>();
    const lanes: string[] = [];
    const order: string[] = [];
    for (const a of this.sorted) {
      const laneKey = perKey ? keyText(a.key) : '';
      if (!laneOf.has(laneKey)) {
        laneOf.set(laneKey, lanes.length);
        lanes.push(perKey ? laneKey : 'windows');
      }
      const bandId = perKey ? a.id : a.shared;
      const list = members.get(bandId);
      if (list) list.push(a);
      else {
        members.set(bandId, [a]);
        order.push(bandId);
      }
    }
    const bands = order.map((id) => {
      const list = members.get(id)!;
      return this.band(list, perKey, laneOf.get(perKey ? keyText(list[0]!.key) : '')!);
    });
    const index = new Map(order.map((id, i) => [id, i]));
    this.placed = new WeakSet(this.sorted);
    const result = { bands: [...bands], perKey, lanes: [...lanes] };
    this.last = { perKey, result, bands, index, members, laneOf, lanes };
    this.dirty.clear();
    this.outOfOrder.clear();
    return result;
  }

  /**
   * Whether every window added out of order since the last layout joins one of its shared bands:
   * a shared band folds its windows' times and panes in any order, and its first window gives
   * only what every member has (operator, start, end), so the bands stay as from scratch.
   */
  private joinsBands(members: ReadonlyMap<string, readonly Acc[]>, perKey: boolean): boolean {
    if (this.outOfOrder.size === 0) return true;
    if (perKey) return false;
    for (const a of this.outOfOrder) if (!members.has(a.shared)) return false;
    return true;
  }
}

function overlapping(windows: readonly { start: number; end: number }[]): boolean {
  const sorted = [...windows].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (b.start < a.end && (a.start !== b.start || a.end !== b.end)) return true;
  }
  return false;
}
