// Turns a rate spec into a piecewise-constant curve of records per second over processing
// time. Arrivals are found by walking the pieces, so a day at a low rate costs a handful of
// steps; `nextChange(t)` is always strictly after `t`, so the walk always moves forward.

import { InputError } from '../../errors.ts';
import { days } from '../../time/time.ts';
import type { RateSpec } from './spec.ts';

/** A rate that is constant between change points. */
export interface RateCurve {
  /** Records per second at processing time `t`; the same until `nextChange(t)`. */
  rateAt(t: number): number;
  /** The first time after `t` at which the rate may change, or +Infinity. */
  nextChange(t: number): number;
  /** The highest rate the curve can reach (0 means it never produces anything). */
  readonly peak: number;
}

/** How often a rate function is sampled when no `step` is given. */
export const DEFAULT_RATE_STEP = 1000;

const DAY = days(1);

function nonNegative(v: unknown, path: string, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new InputError(path, `expected ${what} (a finite number >= 0), got ${String(v)}`);
  }
  return v;
}

function positive(v: unknown, path: string, what: string): number {
  const n = nonNegative(v, path, what);
  if (n === 0) throw new InputError(path, `expected ${what} greater than 0, got 0`);
  return n;
}

/** The boundary `base + k * period` just after `t` (guarding against rounding onto `t`). */
function after(t: number, candidate: number, period: number): number {
  let c = candidate;
  while (c <= t) c += period;
  return c;
}

/** A constant rate: `perSecond` forever. */
function steady(perSecond: number): RateCurve {
  return { rateAt: () => perSecond, nextChange: () => Number.POSITIVE_INFINITY, peak: perSecond };
}

/**
 * A rate that is `high` in [origin + k·period, origin + k·period + length) for every
 * k >= firstK, and `low` elsewhere. Bursts use origin = start and first k = 1 (the first
 * period shows the baseline); daily spikes use origin = the time of day and every day.
 */
function periodic(low: number, high: number, origin: number, period: number, length: number, firstK: number): RateCurve {
  const firstStart = origin + firstK * period;
  return {
    peak: length > 0 ? Math.max(low, high) : low,
    rateAt(t) {
      if (t < firstStart) return low;
      const k = Math.floor((t - origin) / period);
      return t - (origin + k * period) < length ? high : low;
    },
    nextChange(t) {
      if (t < firstStart) return firstStart;
      const base = origin + Math.floor((t - origin) / period) * period;
      return t < base + length ? after(t, base + length, period) : after(t, base + period, period);
    },
  };
}

/** A rate function sampled at `origin + k·step`; repeated looks within one step reuse the sample. */
function sampled(f: (t: number) => number, origin: number, step: number, path: string): RateCurve {
  let cachedK = Number.NaN;
  let cachedRate = 0;
  return {
    peak: Number.POSITIVE_INFINITY, // unknown in advance
    rateAt(t) {
      const k = Math.floor((t - origin) / step);
      if (k !== cachedK) {
        const at = origin + k * step;
        const r = f(at);
        if (typeof r !== 'number' || !Number.isFinite(r) || r < 0) {
          throw new InputError(path, `the rate function returned ${String(r)} at t=${at}; expected a finite number >= 0 records per second`);
        }
        cachedK = k;
        cachedRate = r;
      }
      return cachedRate;
    },
    nextChange(t) {
      return after(t, origin + (Math.floor((t - origin) / step) + 1) * step, step);
    },
  };
}

/**
 * Builds the rate curve of a spec, checking its numbers (errors name `path`, e.g. `rate.every`).
 * `start` is the source's processing-time origin: bursts are counted from it.
 * @example
 * const curve = rateCurve({ kind: 'bursts', perSecond: 10, burstPerSecond: 200, every: minutes(10), length: seconds(30) }, 0);
 * curve.rateAt(minutes(10)); // 200
 */
export function rateCurve(spec: RateSpec, start: number, path = 'rate'): RateCurve {
  if (typeof spec === 'number') return steady(nonNegative(spec, path, 'records per second'));
  if (typeof spec === 'function') return sampled(spec, start, DEFAULT_RATE_STEP, path);
  switch (spec.kind) {
    case 'steady':
      return steady(nonNegative(spec.perSecond, `${path}.perSecond`, 'records per second'));
    case 'bursts': {
      const low = nonNegative(spec.perSecond, `${path}.perSecond`, 'records per second');
      const high = nonNegative(spec.burstPerSecond, `${path}.burstPerSecond`, 'records per second');
      const every = positive(spec.every, `${path}.every`, 'a period in ms');
      const length = nonNegative(spec.length, `${path}.length`, 'a burst length in ms');
      if (length > every) throw new InputError(`${path}.length`, `a burst of ${length} ms does not fit in its period of ${every} ms`);
      return periodic(low, high, start, every, length, 1);
    }
    case 'dailySpike': {
      const low = nonNegative(spec.perSecond, `${path}.perSecond`, 'records per second');
      const high = nonNegative(spec.spikePerSecond, `${path}.spikePerSecond`, 'records per second');
      const at = nonNegative(spec.at, `${path}.at`, 'a time of day in ms');
      if (at >= DAY) throw new InputError(`${path}.at`, `a time of day must be less than 24 hours (${DAY} ms), got ${at}`);
      const length = nonNegative(spec.length, `${path}.length`, 'a spike length in ms');
      if (length > DAY) throw new InputError(`${path}.length`, `a daily spike lasts at most a day, got ${length} ms`);
      // Counting spikes from day -1 covers one that started the evening before `start`.
      return periodic(low, high, at, DAY, length, Math.floor((start - at) / DAY) - 1);
    }
    case 'function': {
      if (typeof spec.perSecond !== 'function') throw new InputError(`${path}.perSecond`, 'expected a function (t) => records per second');
      const step = spec.step === undefined ? DEFAULT_RATE_STEP : positive(spec.step, `${path}.step`, 'a sampling step in ms');
      return sampled(spec.perSecond, start, step, path);
    }
    default: {
      const kind: unknown = (spec as { kind?: unknown }).kind;
      throw new InputError(`${path}.kind`, `unknown rate kind ${JSON.stringify(kind) ?? String(kind)}; expected "steady", "bursts", "dailySpike" or "function"`);
    }
  }
}
