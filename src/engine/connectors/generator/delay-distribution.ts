// How far a generated record's event time trails its arrival: none, fixed, uniform or
// exponential, plus a fraction of stragglers far behind. Delays are whole milliseconds >= 0,
// so a record never arrives before it happened and uniform delays stay inside [min, max].

import { InputError } from '../../errors.ts';
import type { Random } from '../../random/random.ts';
import type { DelaySpec } from './spec.ts';

/** Draws one delay in whole milliseconds (>= 0). */
export type DelaySampler = (random: Random) => number;

function duration(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new InputError(path, `expected a duration in ms (a finite number >= 0), got ${String(v)}`);
  }
  return v;
}

/** The base delay, before stragglers. */
function base(spec: DelaySpec, path: string): DelaySampler {
  switch (spec.kind) {
    case 'none':
      return () => 0;
    case 'fixed': {
      const ms = Math.round(duration(spec.ms, `${path}.ms`));
      return () => ms;
    }
    case 'uniform': {
      const min = duration(spec.min, `${path}.min`);
      const max = duration(spec.max, `${path}.max`);
      if (max < min) throw new InputError(`${path}.max`, `max ${max} is below min ${min}`);
      // Rounding inside [ceil(min), floor(max)] keeps whole-ms delays within the bounds.
      const lo = Math.ceil(min);
      const hi = Math.max(lo, Math.floor(max));
      return (random) => lo + random.int(hi - lo + 1);
    }
    case 'exponential': {
      const mean = duration(spec.mean, `${path}.mean`);
      return (random) => Math.round(-mean * Math.log(1 - random.next()));
    }
    default: {
      const kind: unknown = (spec as { kind?: unknown }).kind;
      throw new InputError(`${path}.kind`, `unknown delay kind ${JSON.stringify(kind) ?? String(kind)}; expected "none", "fixed", "uniform" or "exponential"`);
    }
  }
}

/**
 * Builds the delay sampler of a spec (default: no delay). Errors name `path`, e.g. `delay.max`.
 * @example
 * const delay = delaySampler({ kind: 'uniform', min: 0, max: seconds(5), late: { fraction: 0.01, extra: minutes(10) } });
 * delay(random); // 0 .. 5000, or 600000 more for about 1 record in 100
 */
export function delaySampler(spec: DelaySpec | undefined, path = 'delay'): DelaySampler {
  if (spec === undefined) return () => 0;
  if (typeof spec !== 'object' || spec === null) throw new InputError(path, `expected a delay such as {"kind": "fixed", "ms": 1000}, got ${String(spec)}`);
  const draw = base(spec, path);
  const late = spec.late;
  if (late === undefined) return draw;
  const fraction = late.fraction;
  if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1)) {
    throw new InputError(`${path}.late.fraction`, `expected a fraction from 0 to 1, got ${String(fraction)}`);
  }
  const extra = Math.round(duration(late.extra, `${path}.late.extra`));
  // Both draws always happen, so the number of draws per record never depends on the outcome.
  return (random) => {
    const d = draw(random);
    return random.next() < fraction ? d + extra : d;
  };
}
