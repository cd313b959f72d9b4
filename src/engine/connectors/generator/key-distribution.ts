// Chooses the key of each generated record: uniform, Zipf-skewed, one hot key, or round-robin
// over the keys a partition owns. A choice depends only on the random source and the record's
// index, so a partition restored with the same random state chooses the same keys.

import { InputError } from '../../errors.ts';
import type { Random } from '../../random/random.ts';
import type { Key } from '../../runtime/record-batch.ts';
import type { KeySpec } from './spec.ts';

/** Picks a key index in [0, count) for a partition's `index`-th record. */
export type KeyPicker = (random: Random, index: number) => number;

/** The key distribution of a source, shared by its partitions. */
export interface KeyDistribution {
  readonly count: number;
  /** The picker for partition `p` of `partitions`. */
  picker(p: number, partitions: number): KeyPicker;
  /** The key a key index stands for. */
  name(i: number): Key;
}

/** Zipf tables are cumulative weights, one per key; past this the memory is not worth it. */
export const MAX_ZIPF_KEYS = 1_000_000;

/** Cumulative Zipf weights: key k weighs 1/(k+1)^s. */
function zipfTable(count: number, s: number): Float64Array {
  const cdf = new Float64Array(count);
  let total = 0;
  for (let k = 0; k < count; k++) {
    total += 1 / Math.pow(k + 1, s);
    cdf[k] = total;
  }
  return cdf;
}

/** The first index whose cumulative weight exceeds `u` (binary search). */
function search(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid]! > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function checkFraction(v: unknown, path: string): number {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new InputError(path, `expected a fraction from 0 to 1, got ${String(v)}`);
  return v;
}

/**
 * Builds the key distribution of a spec (default: one key, 0). Errors name `path`.
 * @example
 * const keys = keyDistribution({ count: 100, skew: { zipf: 1.1 }, name: (i) => `user-${i}` });
 * const pick = keys.picker(0, 1);
 * keys.name(pick(random, 0)); // most often "user-0"
 */
export function keyDistribution(spec: KeySpec | undefined, path = 'keys'): KeyDistribution {
  const count = spec?.count ?? 1;
  if (!Number.isInteger(count) || count < 1) throw new InputError(`${path}.count`, `expected a whole number of keys >= 1, got ${String(count)}`);
  const name = spec?.name ?? ((i: number): Key => i);
  if (typeof name !== 'function') throw new InputError(`${path}.name`, 'expected a function (i) => key');
  const skew = spec?.skew ?? 'uniform';
  let picker: (p: number, partitions: number) => KeyPicker;
  if (skew === 'uniform') {
    picker = () => (random) => random.int(count);
  } else if (skew === 'roundRobin') {
    picker = (p, partitions) => {
      // Partition p owns keys p, p + P, p + 2P, ...; with more partitions than keys it borrows one.
      if (p >= count) return () => p % count;
      const owned = Math.ceil((count - p) / partitions);
      return (_random, index) => p + (index % owned) * partitions;
    };
  } else if (typeof skew === 'object' && skew !== null && 'zipf' in skew) {
    const s = skew.zipf;
    if (typeof s !== 'number' || !Number.isFinite(s) || s < 0) throw new InputError(`${path}.skew.zipf`, `expected an exponent >= 0 (about 1 is typical), got ${String(s)}`);
    if (count > MAX_ZIPF_KEYS) throw new InputError(`${path}.count`, `Zipf skew supports at most ${MAX_ZIPF_KEYS} keys, got ${count}`);
    const cdf = zipfTable(count, s);
    const total = cdf[count - 1]!;
    picker = () => (random) => search(cdf, random.next() * total);
  } else if (typeof skew === 'object' && skew !== null && 'hotKey' in skew) {
    const f = checkFraction(skew.hotKey, `${path}.skew.hotKey`);
    // The others share what is left evenly, so key 0 gets exactly the fraction asked for.
    picker = () => (random) => (count === 1 || random.next() < f ? 0 : 1 + random.int(count - 1));
  } else {
    throw new InputError(`${path}.skew`, `unknown skew ${JSON.stringify(skew) ?? String(skew)}; expected "uniform", "roundRobin", {"zipf": s} or {"hotKey": fraction}`);
  }
  return { count, picker, name };
}
