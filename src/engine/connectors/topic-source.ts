// A source over the partitions of a log topic (Kafka-like), read from offsets. The driver loads
// the partitions before the job runs, so reading stays synchronous and deterministic; offsets are
// the log's own (they can have gaps after compaction), and a checkpoint keeps the next offset
// to read per partition, so a restored job rewinds exactly there.

import { InputError } from '../errors.ts';
import type { LogRecord } from '../checkpoint/durable-store.ts';
import type { JsonValue, PartitionReader, TimedRecords } from './partition-reader.ts';

/** One partition of a topic, read in offset order. A record arrives once its event time has come (as an array source's). */
export class TopicPartitionReader implements PartitionReader<unknown> {
  private index = 0;
  private high = Number.NEGATIVE_INFINITY;

  constructor(
    readonly partition: number,
    private readonly records: readonly LogRecord[],
  ) {}

  private arrivalAt(i: number): number {
    const ts = this.records[i]!.timestamp;
    return ts > this.high ? ts : this.high;
  }

  nextArrival(): number {
    return this.index < this.records.length ? this.arrivalAt(this.index) : Number.POSITIVE_INFINITY;
  }

  read(until: number, max: number, out: TimedRecords<unknown>): number {
    const start = this.index;
    while (this.index < this.records.length && this.index - start < max) {
      const arrival = this.arrivalAt(this.index);
      if (arrival > until) break;
      const r = this.records[this.index]!;
      out.values.push(r.value);
      out.timestamps.push(r.timestamp);
      out.arrivals.push(arrival);
      if (arrival > this.high) this.high = arrival;
      this.index++;
    }
    return this.index - start;
  }

  /** The log offset of the next record (what a consumer commits). */
  offset(): number {
    return this.index < this.records.length ? this.records[this.index]!.offset : (this.records.at(-1)?.offset ?? -1) + 1;
  }

  snapshot(): JsonValue {
    return { offset: this.offset(), high: this.high };
  }

  restore(snapshot: JsonValue): void {
    const s = typeof snapshot === 'object' && snapshot !== null && !Array.isArray(snapshot) ? snapshot : {};
    const offset = s['offset'];
    if (typeof offset !== 'number') throw new InputError('snapshot.offset', `expected the next offset of topic partition ${this.partition}`);
    // Compaction or retention may have removed the exact record: continue at the next one that exists.
    let i = 0;
    while (i < this.records.length && this.records[i]!.offset < offset) i++;
    this.index = i;
    this.high = typeof s['high'] === 'number' ? s['high'] : Number.NEGATIVE_INFINITY;
  }

  /** Skips to the first record at or after `offset` (a consumer's start offset). */
  seek(offset: number): void {
    this.restore({ offset, high: null });
  }
}

/** The records of a topic's partitions, as a driver loads them. */
export type TopicContents = readonly (readonly LogRecord[])[];
