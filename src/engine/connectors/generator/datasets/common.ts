// Small pure helpers the ready-made datasets share: stable per-key traits from a hash (so a
// meter's base load or a runner's pace never depends on the order records are made in),
// rounding for tidy JSON values, and names that sort well.

import type { Random } from '../../../random/random.ts';

/** A stable number in [0, 1) for an integer and a salt (the same inputs, the same number). */
export function unit(i: number, salt: number): number {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** Rounds to `digits` decimals, so values print as people write them. */
export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** `prefix` and `i` padded to `width` digits: `meter-007`. */
export function padded(prefix: string, i: number, width: number): string {
  return prefix + String(i).padStart(width, '0');
}

/** A number in [lo, hi) from a random source. */
export function between(random: Random, lo: number, hi: number): number {
  return lo + (hi - lo) * random.next();
}

/** The hour of the (UTC) day of a time, as a fraction: 13.5 is half past one. */
export function hourOfDay(t: number): number {
  return (((t % 86_400_000) + 86_400_000) % 86_400_000) / 3_600_000;
}

/** The index a key name was made from: the digits at its end (`meter-007` is 7). */
export function indexOf(key: string | number): number {
  return typeof key === 'number' ? key : Number(/(\d+)$/.exec(key)?.[1] ?? 0);
}
