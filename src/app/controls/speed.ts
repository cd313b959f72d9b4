// The speeds a run can play at and how they read. A speed is processing-time milliseconds per
// wall-clock second (the worker's `Speed`); Infinity is flat out. Invariant: SPEEDS is sorted
// ascending and contains REAL_TIME, so "slower" and "faster" are neighbours in it.

/** One second of processing time per wall second. */
export const REAL_TIME = 1000;

/** Where a run starts: a minute of processing time per second, so typical examples play in seconds. */
export const DEFAULT_SPEED = 60_000;

/** Slow motion (0.1×) up to flat out. */
export const SPEEDS: readonly number[] = [
  100, 250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000, 300_000, 600_000, 3_600_000, Number.POSITIVE_INFINITY,
];

function trim(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(2)));
}

/**
 * A speed as people read it: processing time per wall second.
 * @example formatSpeed(1000) // '1 s/s'
 * @example formatSpeed(60_000) // '1 min/s'
 * @example formatSpeed(Infinity) // 'max'
 */
export function formatSpeed(speed: number): string {
  if (!Number.isFinite(speed)) return 'max';
  if (speed < 60_000) return `${trim(speed / 1000)} s/s`;
  if (speed < 3_600_000) return `${trim(speed / 60_000)} min/s`;
  return `${trim(speed / 3_600_000)} h/s`;
}

/** A longer description for screen readers and tooltips. */
export function describeSpeed(speed: number): string {
  if (!Number.isFinite(speed)) return 'as fast as possible';
  const x = speed / REAL_TIME;
  if (x === 1) return 'real time';
  return x < 1 ? `slow motion, ${trim(x)} times real time` : `${trim(x)} times real time`;
}

/** The index in SPEEDS closest to `speed` (for a slider). */
export function speedIndex(speed: number): number {
  if (!Number.isFinite(speed)) return SPEEDS.length - 1;
  let best = 0;
  for (let i = 0; i < SPEEDS.length; i++) {
    if (Math.abs(Math.log(SPEEDS[i]! / speed)) < Math.abs(Math.log(SPEEDS[best]! / speed))) best = i;
  }
  return best;
}
