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
  type Acc = { operator: string; key: Key | undefined; start: number; end: number; firstT: number; lastT: number; last: boolean; panes: number };
  const byId = new Map<string, Acc>();
  const keysPerWindow = new Map<string, Set<string>>();
  for (const p of model.panes) {
    const { start, end } = p.window;
    if (!Number.isFinite(start) || !Number.isFinite(end)) continue;
    const id = `${p.operator}|${keyText(p.key)}|${start}|${end}`;
    const a = byId.get(id);
    if (a) {
      a.lastT = p.t;
      a.last ||= p.pane.isLast;
      a.panes++;
    } else byId.set(id, { operator: p.operator, key: p.key, start, end, firstT: p.t, lastT: p.t, last: p.pane.isLast, panes: 1 });
    const w = `${p.operator}|${start}|${end}`;
    const keys = keysPerWindow.get(w) ?? new Set();
    keys.add(keyText(p.key));
    keysPerWindow.set(w, keys);
  }
  const all = [...byId.values()];
  // Per key when some window is not shared by every key that has windows (sessions).
  const keys = new Set(all.map((a) => keyText(a.key)));
  const perKey = keys.size > 1 && [...keysPerWindow.values()].some((k) => k.size < keys.size) && overlapping(all);

  const appear = new Map<string, number>();
  const cleanup = new Map<string, number>();
  const lateness = new Map<string, number | undefined>();
  for (const c of model.timerChanges) {
    if (!c.window) continue;
    const id = `${c.operator}|${keyText(c.key)}|${c.window.start}|${c.window.end}`;
    if (c.change === 'set' && !appear.has(id)) appear.set(id, c.t);
    if (c.change === 'fired' && c.domain === 'eventTime') {
      if (!lateness.has(c.operator)) lateness.set(c.operator, allowedLateness(model, c.operator));
      const l = lateness.get(c.operator);
      if (l !== undefined && c.time === c.window.end - 1 + l) cleanup.set(id, c.t);
    }
  }

  const merged = new Map<string, WindowBand & { panes: number }>();
  const laneOf = new Map<string, number>();
  const lanes: string[] = [];
  for (const a of all.sort((x, y) => x.start - y.start || x.end - y.end)) {
    const id = `${a.operator}|${keyText(a.key)}|${a.start}|${a.end}`;
    const appearT = Math.min(appear.get(id) ?? a.firstT, a.firstT);
    const doneT = a.last ? a.lastT : cleanup.get(id);
    const laneKey = perKey ? keyText(a.key) : '';
    if (!laneOf.has(laneKey)) {
      laneOf.set(laneKey, lanes.length);
      lanes.push(perKey ? laneKey : 'windows');
    }
    const bandId = perKey ? id : `${a.operator}|${a.start}|${a.end}`;
    const prev = merged.get(bandId);
    if (prev) {
      merged.set(bandId, {
        ...prev,
        appearT: Math.min(prev.appearT, appearT),
        doneT: prev.doneT === undefined || doneT === undefined ? undefined : Math.max(prev.doneT, doneT),
        panes: prev.panes + a.panes,
      });
    } else {
      merged.set(bandId, { operator: a.operator, key: perKey ? a.key : undefined, start: a.start, end: a.end, appearT, doneT, lane: laneOf.get(laneKey)!, panes: a.panes });
    }
  }
  return { bands: [...merged.values()], perKey, lanes };
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
