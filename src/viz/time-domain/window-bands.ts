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

/** One window of one key, folded from its panes; `id` per key, `shared` for every key. */
type Acc = { operator: string; key: Key | undefined; start: number; end: number; firstT: number; lastT: number; last: boolean; panes: number; readonly id: string; readonly shared: string };

/**
 * `windowLayout`, kept up to date as a model grows: each update folds in only the panes and
 * timer changes added since the last one (the model's lists only grow), then lays the windows
 * out. The same layout as `windowLayout` at every step. A different model, or an allowed
 * lateness that grew after clean-ups were judged by the old one, starts it over.
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
    } else this.byId.set(id, { operator: p.operator, key: p.key, start, end, firstT: p.t, lastT: p.t, last: p.pane.isLast, panes: 1, id, shared: `${p.operator}|${start}|${end}` });
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
      if (c.change === 'set' && !this.appear.has(id)) this.appear.set(id, c.t);
      if (c.change === 'fired' && c.domain === 'eventTime') {
        this.judged.add(c.operator);
        const l = this.lateness.get(c.operator);
        if (l !== undefined && c.time === c.window.end - 1 + l) this.cleanup.set(id, c.t);
      }
    }
    this.timersSeen = changes.length;
    return true;
  }

  private layout(): WindowLayout {
    // Accumulators in insertion order are nearly sorted by start already: the sort is cheap.
    const all = [...this.byId.values()];
    // Per key when some window is not shared by every key that has windows (sessions).
    const keyCount = this.keys.size;
    let someNotShared = false;
    for (const k of this.keysPerWindow.values()) if (k.size < keyCount) someNotShared = true;
    // Overlap is a matter of distinct windows (the same window of many keys does not overlap).
    const perKey = keyCount > 1 && someNotShared && (this.overlap ??= overlapping(this.windows));

    type Band = { -readonly [K in keyof WindowBand]: WindowBand[K] };
    const merged = new Map<string, Band>();
    const laneOf = new Map<string, number>();
    const lanes: string[] = [];
    for (const a of all.sort((x, y) => x.start - y.start || x.end - y.end)) {
      const id = a.id;
      const appearT = Math.min(this.appear.get(id) ?? a.firstT, a.firstT);
      const doneT = a.last ? a.lastT : this.cleanup.get(id);
      const laneKey = perKey ? keyText(a.key) : '';
      if (!laneOf.has(laneKey)) {
        laneOf.set(laneKey, lanes.length);
        lanes.push(perKey ? laneKey : 'windows');
      }
      const bandId = perKey ? id : a.shared;
      const prev = merged.get(bandId);
      if (prev) {
        prev.appearT = Math.min(prev.appearT, appearT);
        prev.doneT = prev.doneT === undefined || doneT === undefined ? undefined : Math.max(prev.doneT, doneT);
        prev.panes += a.panes;
      } else {
        merged.set(bandId, { operator: a.operator, key: perKey ? a.key : undefined, start: a.start, end: a.end, appearT, doneT, lane: laneOf.get(laneKey)!, panes: a.panes });
      }
    }
    return { bands: [...merged.values()], perKey, lanes };
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
