// The shape of a generator source: how fast records arrive, on which partitions and keys, how
// far event time trails arrival, and what each value is. A spec is plain data plus a pure
// value function, so the same spec and seed always generate the same records.

import type { Random } from '../../random/random.ts';
import type { Key } from '../../runtime/record-batch.ts';
import type { Duration } from '../../time/time.ts';

/** A processing-time interval [from, to) in which a partition delivers nothing. */
export interface IdleInterval {
  from: number;
  to: number;
  /**
   * false (default): nothing is produced meanwhile, the records are lost (a dead sensor).
   * true: records are still produced, then all arrive at `to` in one burst (a phone back online).
   */
  buffer?: boolean;
}

/** Settings of one partition of a generator. */
export interface PartitionSettings {
  /** Multiplies this partition's share of the rate (a fast or a slow shard). Default 1. */
  speed?: number;
  /** Processing-time intervals with no arrivals on this partition. */
  idle?: IdleInterval[];
  /** Every record of this partition arrives this much later, event times unchanged (a slow consumer). */
  lag?: Duration;
}

/**
 * Records per second of processing time, over the whole source:
 * - `steady`: a constant rate;
 * - `bursts`: `burstPerSecond` for `length`, starting every `every` after the start (the first burst at `start + every`), else `perSecond`;
 * - `dailySpike`: `spikePerSecond` for `length` from `at` (a UTC time of day, e.g. `hours(9) + minutes(10)`), else `perSecond`;
 * - a function of processing time, sampled once per `step` (default 1 s), or a bare function.
 */
export type RateSpec =
  | number
  | { kind: 'steady'; perSecond: number }
  | { kind: 'bursts'; perSecond: number; burstPerSecond: number; every: Duration; length: Duration }
  | { kind: 'dailySpike'; perSecond: number; spikePerSecond: number; at: Duration; length: Duration }
  | { kind: 'function'; perSecond: (t: number) => number; step?: Duration }
  | ((t: number) => number);

/**
 * How records are spread over keys `0 .. count-1`:
 * - `uniform` (default): every key equally often;
 * - `{ zipf: s }`: key k with weight 1/(k+1)^s, a few keys dominate (s around 1 is typical);
 * - `{ hotKey: f }`: a fraction f of records on key 0, the rest uniform over the other keys;
 * - `roundRobin`: each partition cycles through its own keys (k % partitions === p) in order,
 *   as in a topic partitioned by key: with a steady rate every key reports periodically.
 */
export type KeySkew = 'uniform' | 'roundRobin' | { zipf: number } | { hotKey: number };

/** Which keys records belong to. */
export interface KeySpec {
  /** How many distinct keys. */
  count: number;
  skew?: KeySkew;
  /** The key for index i (default: i itself). Call it with the same i, get the same key. */
  name?: (i: number) => Key;
}

/** Stragglers: a fraction of records trail their arrival by a further `extra`. */
export interface LateSpec {
  fraction: number;
  extra: Duration;
}

/**
 * How long before its arrival a record happened (event time = arrival − delay, delay >= 0).
 * `none`, `fixed` (ms), `uniform` in [min, max], `exponential` with a mean; plus `late` stragglers.
 */
export type DelaySpec = (
  | { kind: 'none' }
  | { kind: 'fixed'; ms: Duration }
  | { kind: 'uniform'; min: Duration; max: Duration }
  | { kind: 'exponential'; mean: Duration }
) & { late?: LateSpec };

/** What the value function is told about the record it makes. */
export interface GeneratedContext {
  key: Key;
  /** The record's event time (ms). */
  eventTime: number;
  /** The processing time at which it arrives (ms). */
  arrival: number;
  /** Its offset within its partition: 0, 1, 2, ... */
  index: number;
  partition: number;
  /** This partition's generator for values, independent of arrivals, keys and delays. */
  random: Random;
}

/**
 * A synthetic source. Arrivals follow `rate` (evenly spaced, or a seeded Poisson process),
 * split over `partitions`; it ends after `count` records and/or `duration`, or never.
 */
export interface GeneratorSpec<T> {
  /** How many partitions (default 1), or the settings of each. */
  partitions?: number | PartitionSettings[];
  rate: RateSpec;
  /** `even` (default): deterministic spacing that follows the rate; `poisson`: random gaps. */
  arrivals?: 'even' | 'poisson';
  /** Processing-time origin (and event-time origin), in ms. Default 0. */
  start?: number;
  /** Total records over all partitions, split in proportion to each partition's speed. */
  count?: number;
  /** No record is produced at or after `start + duration` (before any partition lag). */
  duration?: Duration;
  /** Default: a single key, 0. */
  keys?: KeySpec;
  /** Default: `{ kind: 'none' }`, event time equals arrival. */
  delay?: DelaySpec;
  /** Makes the value of a record. Keep it a pure function of the context, so replays match. */
  value: (g: GeneratedContext) => T;
}
