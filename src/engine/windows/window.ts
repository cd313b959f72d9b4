// A window is a half-open interval of event time [start, end). Its last timestamp
// (maxTimestamp) is end - 1 ms, as in Flink's TimeWindow and Beam's IntervalWindow.

/** A time window [start, end). The global window spans all of time. */
export interface Window {
  readonly start: number;
  readonly end: number;
}

/** The window that holds everything (Flink's GlobalWindow, Beam's GlobalWindow). */
export const GLOBAL_WINDOW: Window = Object.freeze({
  start: Number.NEGATIVE_INFINITY,
  end: Number.POSITIVE_INFINITY,
});

/** The largest timestamp that belongs to the window: end - 1 (infinite for the global window). */
export function maxTimestamp(w: Window): number {
  return w.end === Number.POSITIVE_INFINITY ? Number.POSITIVE_INFINITY : w.end - 1;
}

export function isGlobal(w: Window): boolean {
  return w.start === Number.NEGATIVE_INFINITY && w.end === Number.POSITIVE_INFINITY;
}

export function sameWindow(a: Window, b: Window): boolean {
  return a.start === b.start && a.end === b.end;
}

/** Two windows that overlap or touch are merged by session assigners. */
export function intersects(a: Window, b: Window): boolean {
  return a.start <= b.end && b.start <= a.end;
}

export function cover(a: Window, b: Window): Window {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/** Orders windows by start, then end. */
export function compareWindows(a: Window, b: Window): number {
  return a.start - b.start || a.end - b.end;
}

/** A window as it appears in output: `{start, end}`, or the string "global". */
export function windowToJson(w: Window): { start: number; end: number } | 'global' {
  return isGlobal(w) ? 'global' : { start: w.start, end: w.end };
}
