// The arrival process of one generator partition: walks a piecewise-constant rate (minus the
// partition's idle intervals) and places arrivals where the accumulated rate crosses the next
// gap, a fixed 1 for even spacing or an Exp(1) draw for Poisson. Arrivals never decrease.

import type { Random } from '../../random/random.ts';
import { randomFromState } from '../../random/random.ts';
import type { JsonValue } from '../partition-reader.ts';
import type { RateCurve } from './rate-profile.ts';

/** A processing-time interval [from, to) with no arrivals, on the partition's own clock. */
export interface Gap {
  from: number;
  to: number;
}

/** A zero rate scanned for this many pieces in a row ends the partition instead of hanging. */
export const MAX_SILENT_PIECES = 1_000_000;

/** Settings of one partition's arrival process. */
export interface ArrivalClockOptions {
  curve: RateCurve;
  /** This partition's share of the source's rate (speed / partitions). */
  weight: number;
  /** Sorted, non-overlapping intervals with no arrivals. */
  gaps: readonly Gap[];
  start: number;
  /** No arrival at or after this time. */
  end: number;
  poisson: boolean;
  /** Where in the first gap the first arrival lies, in [0, 1): staggers even partitions. */
  phase: number;
  random: Random;
}

/** Merges intervals into sorted, non-overlapping ones (touching ones join). */
export function mergeGaps(gaps: readonly Gap[]): Gap[] {
  const sorted = gaps.filter((g) => g.to > g.from).sort((a, b) => a.from - b.from);
  const out: Gap[] = [];
  for (const g of sorted) {
    const last = out[out.length - 1];
    if (last && g.from <= last.to) last.to = Math.max(last.to, g.to);
    else out.push({ from: g.from, to: g.to });
  }
  return out;
}

/** Produces one partition's arrival times, exact (unrounded), in order. */
export class ArrivalClock {
  private t: number;
  /** Accumulated rate (in records) still to go before the next arrival. */
  private remaining: number;
  private done: boolean;
  private random: Random;
  /** The first gap that ends after `t`; `t` only grows, so this only moves right. */
  private gap = 0;

  constructor(private readonly o: ArrivalClockOptions) {
    this.t = o.start;
    this.random = o.random;
    this.remaining = o.poisson ? this.draw() : o.phase;
    this.done = o.weight <= 0 || o.curve.peak <= 0 || !(o.end > o.start);
  }

  private draw(): number {
    return this.o.poisson ? -Math.log(1 - this.random.next()) : 1;
  }

  /** The next arrival time, or +Infinity once the partition produces nothing more. */
  next(): number {
    const { curve, weight, gaps, end } = this.o;
    let silent = 0;
    while (!this.done) {
      const t = this.t;
      while (this.gap < gaps.length && gaps[this.gap]!.to <= t) this.gap++;
      const g = gaps[this.gap];
      let pieceEnd: number;
      let perMs = 0;
      if (g && g.from <= t) {
        pieceEnd = g.to;
      } else {
        pieceEnd = Math.min(curve.nextChange(t), g ? g.from : Number.POSITIVE_INFINITY);
        perMs = (curve.rateAt(t) * weight) / 1000;
      }
      pieceEnd = Math.min(pieceEnd, end);
      if (perMs > 0) {
        const at = t + this.remaining / perMs;
        if (at < pieceEnd) {
          this.t = at;
          this.remaining = this.draw();
          return at;
        }
        this.remaining = Math.max(0, this.remaining - (pieceEnd - t) * perMs);
        silent = 0;
      } else if (++silent > MAX_SILENT_PIECES) {
        this.done = true;
      }
      // A positive rate over an endless piece has placed its arrival above, so this is the end.
      if (pieceEnd >= end) this.done = true;
      else this.t = pieceEnd;
    }
    return Number.POSITIVE_INFINITY;
  }

  /** Ends the process early (the partition reached its record quota or its end). */
  finish(): void {
    this.done = true;
  }

  /** Where the process stands: clock, progress towards the next arrival, random state. */
  snapshot(): JsonValue {
    return { t: this.t, remaining: this.remaining, done: this.done, random: [...this.random.state()] };
  }

  /** Continues from a `snapshot()` (already checked by the reader). */
  restore(s: { t: number; remaining: number; done: boolean; random: number[] }): void {
    this.t = s.t;
    this.remaining = s.remaining;
    this.done = s.done;
    this.random = randomFromState(s.random);
    this.gap = 0;
  }
}
