// A source over an in-memory array: records arrive in array order, spread over partitions.
// The columns are laid out once, up front, so read() is a tight loop of pushes (benchmarks
// stream millions of records through it); within a partition arrivals never decrease.

import { InputError } from '../errors.ts';
import type { JsonValue, PartitionReader, TimedRecords } from './partition-reader.ts';

/** A record given with its event time and, optionally, the processing time it arrives at. */
export interface ArrayRecord<T> {
  value: T;
  timestamp: number;
  arrival?: number;
}

/** How array records are spread over partitions. */
export interface ArraySourceOptions<T> {
  /** How many partitions (readers) to make. Default 1. */
  partitions?: number;
  /** Which partition a record goes to; default round-robin by index (`index % partitions`). */
  partitionOf?: (value: T, index: number) => number;
}

/** Options for plain values, whose event time (and arrival) come from functions. */
export interface ArrayValuesOptions<T> extends ArraySourceOptions<T> {
  /** The event time of a value, in milliseconds. */
  timestampOf: (value: T, index: number) => number;
  /** When the value arrives; `undefined` (or no function) means the default arrival. */
  arrivalOf?: (value: T, index: number) => number | undefined;
}

class ArrayPartitionReader<T> implements PartitionReader<T> {
  private pos = 0;

  constructor(
    readonly partition: number,
    private readonly values: T[],
    private readonly timestamps: Float64Array,
    private readonly arrivals: Float64Array,
  ) {}

  nextArrival(): number {
    return this.pos < this.values.length ? this.arrivals[this.pos]! : Number.POSITIVE_INFINITY;
  }

  read(until: number, max: number, out: TimedRecords<T>): number {
    const start = this.pos;
    const stop = Math.min(this.values.length, start + max);
    const { values, timestamps, arrivals } = this;
    const outValues = out.values;
    const outTimestamps = out.timestamps;
    const outArrivals = out.arrivals;
    let i = start;
    while (i < stop && arrivals[i]! <= until) {
      outValues.push(values[i] as T);
      outTimestamps.push(timestamps[i]!);
      outArrivals.push(arrivals[i]!);
      i++;
    }
    this.pos = i;
    return i - start;
  }

  offset(): number {
    return this.pos;
  }

  snapshot(): JsonValue {
    return { offset: this.pos };
  }

  restore(snapshot: JsonValue): void {
    const offset = typeof snapshot === 'object' && snapshot !== null && !Array.isArray(snapshot) ? snapshot.offset : undefined;
    if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset > this.values.length) {
      throw new InputError('snapshot.offset', `expected an offset from 0 to ${this.values.length} for partition ${this.partition}, got ${JSON.stringify(offset) ?? 'nothing'}`);
    }
    this.pos = offset;
  }
}

function checkPartitions(partitions: number | undefined): number {
  const n = partitions ?? 1;
  if (!Number.isInteger(n) || n < 1) throw new InputError('partitions', `expected a whole number >= 1, got ${n}`);
  return n;
}

/**
 * One partition read straight from the caller's array, computing timestamps and arrivals as
 * it goes (no copy: benchmarks stream millions of records through it). Bad timestamps or
 * arrivals are reported when reached, with their index.
 */
class LazyArrayReader<T> implements PartitionReader<T> {
  readonly partition = 0;
  private pos = 0;
  private high = Number.NEGATIVE_INFINITY;
  private lastArrival = Number.NEGATIVE_INFINITY;
  private peeked = Number.NaN;

  constructor(
    private readonly n: number,
    private readonly what: string,
    private readonly valueAt: (i: number) => T,
    private readonly timestampAt: (i: number) => unknown,
    private readonly arrivalAt: ((i: number) => unknown) | undefined,
  ) {}

  /** The arrival of record i, given that all records before it have been read. */
  private arrivalOf(i: number, ts: number): number {
    const high = ts > this.high ? ts : this.high;
    if (this.arrivalAt === undefined) return high;
    const given = this.arrivalAt(i);
    if (given === undefined) return high;
    if (typeof given !== 'number' || !Number.isFinite(given)) {
      throw new InputError(`${this.what}[${i}]`, `expected an arrival that is a finite number of milliseconds, got ${String(given)}`);
    }
    if (given < this.lastArrival) {
      throw new InputError(`${this.what}[${i}]`, `arrival ${given} is before ${this.lastArrival}, the arrival of the record ahead of it in partition 0; records arrive in array order`);
    }
    return given;
  }

  private timestamp(i: number): number {
    const ts = this.timestampAt(i);
    if (typeof ts !== 'number' || !Number.isFinite(ts)) {
      throw new InputError(`${this.what}[${i}]`, `expected a timestamp that is a finite number of milliseconds, got ${String(ts)}`);
    }
    return ts;
  }

  nextArrival(): number {
    if (this.pos >= this.n) return Number.POSITIVE_INFINITY;
    if (Number.isNaN(this.peeked)) this.peeked = this.arrivalOf(this.pos, this.timestamp(this.pos));
    return this.peeked;
  }

  read(until: number, max: number, out: TimedRecords<T>): number {
    const start = this.pos;
    const stop = Math.min(this.n, start + max);
    const { values, timestamps, arrivals } = out;
    let i = start;
    while (i < stop) {
      const ts = this.timestamp(i);
      const arrival = i === start && !Number.isNaN(this.peeked) ? this.peeked : this.arrivalOf(i, ts);
      if (arrival > until) {
        this.peeked = arrival;
        break;
      }
      this.peeked = Number.NaN;
      if (ts > this.high) this.high = ts;
      if (arrival > this.high) this.high = arrival;
      this.lastArrival = arrival;
      values.push(this.valueAt(i));
      timestamps.push(ts);
      arrivals.push(arrival);
      i++;
    }
    this.pos = i;
    return i - start;
  }

  offset(): number {
    return this.pos;
  }

  snapshot(): JsonValue {
    return { offset: this.pos, high: this.high, lastArrival: this.lastArrival };
  }

  restore(snapshot: JsonValue): void {
    const s = typeof snapshot === 'object' && snapshot !== null && !Array.isArray(snapshot) ? snapshot : {};
    const offset = s['offset'];
    if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset > this.n) {
      throw new InputError('snapshot.offset', `expected an offset from 0 to ${this.n} for partition 0, got ${JSON.stringify(offset) ?? 'nothing'}`);
    }
    this.pos = offset;
    this.peeked = Number.NaN;
    // Older snapshots without the running maxima: recompute them from the records before the offset.
    if (typeof s['high'] === 'number' || s['high'] === null) {
      this.high = typeof s['high'] === 'number' ? s['high'] : Number.NEGATIVE_INFINITY;
      this.lastArrival = typeof s['lastArrival'] === 'number' ? s['lastArrival'] : Number.NEGATIVE_INFINITY;
    } else {
      this.high = Number.NEGATIVE_INFINITY;
      this.lastArrival = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < offset; i++) {
        const ts = this.timestamp(i);
        const a = this.arrivalOf(i, ts);
        this.high = Math.max(this.high, ts, a);
        this.lastArrival = a;
      }
    }
  }
}

/** Lays out the columns of every partition in two passes: count, then fill. */
function layout<T>(
  n: number,
  what: string,
  valueAt: (i: number) => T,
  timestampAt: (i: number) => unknown,
  arrivalAt: (i: number) => unknown,
  options: ArraySourceOptions<T>,
): PartitionReader<T>[] {
  const partitions = checkPartitions(options.partitions);
  const partitionOf = options.partitionOf;
  if (partitions === 1 && partitionOf === undefined) return [new LazyArrayReader(n, what, valueAt, timestampAt, arrivalAt)];
  const owner = new Int32Array(n);
  const sizes = new Array<number>(partitions).fill(0);
  for (let i = 0; i < n; i++) {
    const p = partitionOf ? partitionOf(valueAt(i), i) : i % partitions;
    if (!Number.isInteger(p) || p < 0 || p >= partitions) {
      throw new InputError(`${what}[${i}]`, `partitionOf returned ${p}; expected a whole number from 0 to ${partitions - 1}`);
    }
    owner[i] = p;
    sizes[p]!++;
  }
  const values = sizes.map(() => [] as T[]);
  const timestamps = sizes.map((s) => new Float64Array(s));
  const arrivals = sizes.map((s) => new Float64Array(s));
  const lastArrival = new Float64Array(partitions).fill(Number.NEGATIVE_INFINITY);
  // Without an explicit arrival a record arrives once the latest event so far has happened,
  // and never before the record ahead of it: in-order data arrives "when it happens".
  let high = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const p = owner[i]!;
    const ts = timestampAt(i);
    if (typeof ts !== 'number' || !Number.isFinite(ts)) {
      throw new InputError(`${what}[${i}]`, `expected a timestamp that is a finite number of milliseconds, got ${String(ts)}`);
    }
    if (ts > high) high = ts;
    const given = arrivalAt(i);
    let arrival = high;
    if (given !== undefined) {
      if (typeof given !== 'number' || !Number.isFinite(given)) {
        throw new InputError(`${what}[${i}]`, `expected an arrival that is a finite number of milliseconds, got ${String(given)}`);
      }
      if (given < lastArrival[p]!) {
        throw new InputError(`${what}[${i}]`, `arrival ${given} is before ${lastArrival[p]}, the arrival of the record ahead of it in partition ${p}; records arrive in array order`);
      }
      arrival = given;
    }
    if (arrival > high) high = arrival;
    const j = values[p]!.length;
    values[p]!.push(valueAt(i));
    timestamps[p]![j] = ts;
    arrivals[p]![j] = arrival;
    lastArrival[p] = arrival;
  }
  return values.map((v, p) => new ArrayPartitionReader(p, v, timestamps[p]!, arrivals[p]!));
}

/**
 * A source over records that carry their own event time (and optionally their arrival).
 * Records arrive in array order; without `arrival`, a record arrives at the largest event
 * time or arrival seen so far, so in-order data arrives as it happens.
 * @example
 * const [reader] = fromArrayRecords([
 *   { value: 'a', timestamp: 1000 },
 *   { value: 'late', timestamp: 500, arrival: 4000 },
 * ]);
 */
export function fromArrayRecords<T>(records: readonly ArrayRecord<T>[], options: ArraySourceOptions<T> = {}): PartitionReader<T>[] {
  return layout(
    records.length,
    'records',
    (i) => records[i]!.value,
    (i) => records[i]!.timestamp,
    (i) => records[i]!.arrival,
    options,
  );
}

/**
 * A source over plain values, with event times from `timestampOf` (and arrivals from
 * `arrivalOf`, else the same default as `fromArrayRecords`).
 * @example
 * const readers = fromArray(clicks, { timestampOf: (c) => c.at, partitions: 4 });
 */
export function fromArray<T>(values: readonly T[], options: ArrayValuesOptions<T>): PartitionReader<T>[] {
  const { timestampOf, arrivalOf } = options;
  return layout(
    values.length,
    'values',
    (i) => values[i] as T,
    (i) => timestampOf(values[i] as T, i),
    arrivalOf ? (i) => arrivalOf(values[i] as T, i) : () => undefined,
    options,
  );
}
