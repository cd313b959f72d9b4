// A seeded synthetic source: each partition draws arrivals, keys, delays and values from its
// own fork of the caller's random source, so the same seed gives the same records, partitions
// are independent, and a snapshot resumes a partition exactly where it stopped.

import { InputError } from '../errors.ts';
import type { Random } from '../random/random.ts';
import { randomFromState } from '../random/random.ts';
import type { Key } from '../runtime/record-batch.ts';
import { ArrivalClock, type Gap, mergeGaps } from './generator/arrival-clock.ts';
import { delaySampler, type DelaySampler } from './generator/delay-distribution.ts';
import { keyDistribution, type KeyDistribution, type KeyPicker } from './generator/key-distribution.ts';
import { rateCurve } from './generator/rate-profile.ts';
import type { GeneratorSpec, PartitionSettings } from './generator/spec.ts';
import type { JsonValue, PartitionReader, TimedRecords } from './partition-reader.ts';

export type * from './generator/spec.ts';
export * from './generator/datasets/smart-meters.ts';
export * from './generator/datasets/rides.ts';
export * from './generator/datasets/usage.ts';
export * from './generator/datasets/shop-orders.ts';
export * from './generator/datasets/runner-pings.ts';

/**
 * Output buffers that may also collect keys. partition-reader.ts says `keys` is filled by
 * readers that know keys; a generator does, so it appends to `keys` when the array is there.
 */
export interface KeyedTimedRecords<T> extends TimedRecords<T> {
  keys?: Key[];
}

interface Pending {
  arrival: number;
  eventTime: number;
  key: number;
}

interface PartitionPlan<T> {
  partition: number;
  spec: GeneratorSpec<T>;
  clock: ArrivalClock;
  quota: number;
  end: number;
  lag: number;
  /** Merged intervals whose records wait and arrive together at the interval's end. */
  held: readonly Gap[];
  keys: KeyDistribution;
  pickKey: KeyPicker;
  delay: DelaySampler;
  random: Random;
}

class GeneratorReader<T> implements PartitionReader<T> {
  readonly partition: number;
  private emitted = 0;
  private pending: Pending | null = null;
  private held = 0;
  private keyRandom: Random;
  private delayRandom: Random;
  private valueRandom: Random;

  constructor(private readonly plan: PartitionPlan<T>) {
    this.partition = plan.partition;
    // Separate streams: changing how values are drawn never moves arrivals, keys or delays.
    this.keyRandom = plan.random.fork('keys');
    this.delayRandom = plan.random.fork('delays');
    this.valueRandom = plan.random.fork('values');
    this.advance();
  }

  /** Draws the next record's times and key (its value is made when it is read). */
  private advance(): void {
    const p = this.plan;
    this.pending = null;
    if (this.emitted >= p.quota) return p.clock.finish();
    const exact = p.clock.next();
    if (exact === Number.POSITIVE_INFINITY) return;
    const at = Math.round(exact);
    if (at >= p.end) return p.clock.finish();
    const key = p.pickKey(this.keyRandom, this.emitted);
    const eventTime = at - p.delay(this.delayRandom);
    let arrival = at + p.lag;
    while (this.held < p.held.length && p.held[this.held]!.to <= arrival) this.held++;
    const h = p.held[this.held];
    if (h && h.from <= arrival) arrival = h.to;
    this.pending = { arrival, eventTime, key };
  }

  nextArrival(): number {
    return this.pending ? this.pending.arrival : Number.POSITIVE_INFINITY;
  }

  read(until: number, max: number, out: KeyedTimedRecords<T>): number {
    const { spec, keys } = this.plan;
    const outKeys = out.keys;
    let n = 0;
    while (n < max && this.pending !== null && this.pending.arrival <= until) {
      const { arrival, eventTime } = this.pending;
      const key = keys.name(this.pending.key);
      const value = spec.value({ key, eventTime, arrival, index: this.emitted, partition: this.partition, random: this.valueRandom });
      out.values.push(value);
      out.timestamps.push(eventTime);
      out.arrivals.push(arrival);
      if (outKeys) outKeys.push(key);
      this.emitted++;
      n++;
      this.advance();
    }
    return n;
  }

  offset(): number {
    return this.emitted;
  }

  snapshot(): JsonValue {
    const pending = this.pending ? { ...this.pending } : null;
    return {
      offset: this.emitted,
      pending,
      clock: this.plan.clock.snapshot(),
      keys: [...this.keyRandom.state()],
      delays: [...this.delayRandom.state()],
      values: [...this.valueRandom.state()],
    };
  }

  restore(snapshot: JsonValue): void {
    const s = snapshot as unknown as GeneratorSnapshot;
    const ok =
      typeof s === 'object' && s !== null && Number.isInteger(s.offset) &&
      (s.pending === null || (typeof s.pending === 'object' && typeof s.pending.arrival === 'number')) &&
      typeof s.clock === 'object' && s.clock !== null && typeof s.clock.t === 'number' &&
      [s.keys, s.delays, s.values, s.clock.random].every((r) => Array.isArray(r) && r.length === 4);
    if (!ok) throw new InputError('snapshot', `not a snapshot of generator partition ${this.partition}`);
    this.emitted = s.offset;
    this.pending = s.pending ? { ...s.pending } : null;
    this.plan.clock.restore(s.clock);
    this.keyRandom = randomFromState(s.keys);
    this.delayRandom = randomFromState(s.delays);
    this.valueRandom = randomFromState(s.values);
    this.held = 0;
  }
}

interface GeneratorSnapshot {
  offset: number;
  pending: Pending | null;
  clock: { t: number; remaining: number; done: boolean; random: number[] };
  keys: number[];
  delays: number[];
  values: number[];
}

function finite(v: unknown, path: string, what: string, min = Number.NEGATIVE_INFINITY): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) {
    throw new InputError(path, `expected ${what}, got ${String(v)}`);
  }
  return v;
}

function partitionSettings(spec: GeneratorSpec<unknown>): PartitionSettings[] {
  const p = spec.partitions ?? 1;
  if (typeof p === 'number') {
    if (!Number.isInteger(p) || p < 1) throw new InputError('partitions', `expected a whole number >= 1, got ${p}`);
    return Array.from({ length: p }, () => ({}));
  }
  if (!Array.isArray(p) || p.length === 0) throw new InputError('partitions', 'expected a number or a non-empty array of partition settings');
  return p;
}

/** Splits `count` records over partitions in proportion to speed (largest remainders first). */
function quotas(count: number, speeds: number[]): number[] {
  const total = speeds.reduce((a, b) => a + b, 0);
  if (total === 0) return speeds.map(() => 0);
  const exact = speeds.map((s) => (count * s) / total);
  const out = exact.map(Math.floor);
  const order = exact.map((e, i) => i).sort((a, b) => exact[b]! - out[b]! - (exact[a]! - out[a]!) || a - b);
  for (let left = count - out.reduce((a, b) => a + b, 0), j = 0; left > 0; left--, j++) out[order[j]!]!++;
  return out;
}

/**
 * The readers of a generator source, one per partition. Partition i draws from
 * `random.fork('partition-' + i)`, so adding a partition leaves the others' draws unchanged.
 * Records of a partition come out in non-decreasing arrival order, with event time <= arrival.
 * @example
 * const readers = generatorPartitions({
 *   partitions: 2,
 *   rate: { kind: 'steady', perSecond: 10 },
 *   duration: minutes(1),
 *   keys: { count: 5, skew: { zipf: 1 }, name: (i) => `user-${i}` },
 *   delay: { kind: 'uniform', min: 0, max: seconds(3) },
 *   value: (g) => ({ user: g.key, clicks: 1 + g.random.int(3) }),
 * }, seededRandom(42));
 */
export function generatorPartitions<T>(spec: GeneratorSpec<T>, random: Random): PartitionReader<T>[] {
  if (typeof spec !== 'object' || spec === null) throw new InputError('', 'expected a generator spec object');
  if (typeof spec.value !== 'function') throw new InputError('value', 'expected a function (g) => value');
  const settings = partitionSettings(spec);
  const start = spec.start === undefined ? 0 : finite(spec.start, 'start', 'a finite start time in ms');
  const duration = spec.duration === undefined ? Number.POSITIVE_INFINITY : spec.duration;
  if (typeof duration !== 'number' || !(duration >= 0)) throw new InputError('duration', `expected a duration in ms >= 0, got ${String(duration)}`);
  if (spec.count !== undefined && !(Number.isInteger(spec.count) && spec.count >= 0)) {
    throw new InputError('count', `expected a whole number of records >= 0, got ${String(spec.count)}`);
  }
  const arrivals = spec.arrivals ?? 'even';
  if (arrivals !== 'even' && arrivals !== 'poisson') throw new InputError('arrivals', `expected "even" or "poisson", got ${String(arrivals)}`);
  const keys = keyDistribution(spec.keys);
  const delay = delaySampler(spec.delay);
  const speeds = settings.map((s, i) => (s.speed === undefined ? 1 : finite(s.speed, `partitions[${i}].speed`, 'a speed >= 0', 0)));
  const quota = spec.count === undefined ? speeds.map(() => Number.POSITIVE_INFINITY) : quotas(spec.count, speeds);
  const n = settings.length;
  return settings.map((s, i) => {
    const at = `partitions[${i}]`;
    const lag = s.lag === undefined ? 0 : finite(s.lag, `${at}.lag`, 'a lag in ms >= 0', 0);
    const idle = s.idle ?? [];
    if (!Array.isArray(idle)) throw new InputError(`${at}.idle`, 'expected an array of {from, to} intervals');
    idle.forEach((g, j) => {
      finite(g.from, `${at}.idle[${j}].from`, 'a finite time in ms');
      if (finite(g.to, `${at}.idle[${j}].to`, 'a finite time in ms') < g.from) {
        throw new InputError(`${at}.idle[${j}]`, `the interval ends (${g.to}) before it starts (${g.from})`);
      }
    });
    const partitionRandom = random.fork(`partition-${i}`);
    // Lost intervals stop the partition's own clock; arrivals are `lag` later, so shift them back.
    const lost = mergeGaps(idle.filter((g) => g.buffer !== true).map((g) => ({ from: g.from - lag, to: g.to - lag })));
    const clock = new ArrivalClock({
      curve: rateCurve(spec.rate, start),
      weight: speeds[i]! / n,
      gaps: lost,
      start,
      end: start + duration,
      poisson: arrivals === 'poisson',
      phase: i / n, // even partitions interleave instead of all arriving at once
      random: partitionRandom.fork('arrivals'),
    });
    const held = mergeGaps(idle.filter((g) => g.buffer === true));
    return new GeneratorReader<T>({
      partition: i, spec, clock, quota: quota[i]!, end: start + duration, lag, held,
      keys, pickKey: keys.picker(i, n), delay, random: partitionRandom,
    });
  });
}
