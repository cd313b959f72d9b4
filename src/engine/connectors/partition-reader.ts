// The contract between a source's data and the runtime: one reader per source partition,
// yielding records in arrival (processing-time) order with their event timestamps. Readers
// are pure and deterministic, and can snapshot and restore their position for checkpoints.

import type { Key } from '../runtime/record-batch.ts';

/** A JSON-compatible value (what snapshots are made of). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

/** Column buffers a reader appends to. `keys` is filled only by readers that know keys. */
export interface TimedRecords<T> {
  values: T[];
  /** Event time of each record. */
  timestamps: number[];
  /** Processing time at which each record arrives at the source. */
  arrivals: number[];
}

/** One partition of a source, read in arrival order. */
export interface PartitionReader<T> {
  readonly partition: number;
  /** Arrival time of the next record, or +Infinity when the partition is exhausted. */
  nextArrival(): number;
  /** Appends the records arriving at or before `until`, at most `max` of them; returns how many. */
  read(until: number, max: number, out: TimedRecords<T>): number;
  /** How many records have been read: the offset of the next one. */
  offset(): number;
  /** The reader's position, enough to continue exactly from here. */
  snapshot(): JsonValue;
  restore(snapshot: JsonValue): void;
}

/** Which key a generated record belongs to, if the source assigns keys. */
export type KeyOf<T> = (value: T) => Key;
