import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../../src/engine/errors.ts';
import { fromArray, fromArrayRecords } from '../../../src/engine/connectors/array-source.ts';
import type { PartitionReader, TimedRecords } from '../../../src/engine/connectors/partition-reader.ts';

function buffers<T>(): TimedRecords<T> {
  return { values: [], timestamps: [], arrivals: [] };
}

function readAll<T>(reader: PartitionReader<T>): TimedRecords<T> {
  const out = buffers<T>();
  reader.read(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, out);
  return out;
}

describe('fromArrayRecords', () => {
  it('defaults arrival to the latest event time (or arrival) seen so far, in array order', () => {
    const [r] = fromArrayRecords([
      { value: 'a', timestamp: 1000 },
      { value: 'b', timestamp: 3000 },
      { value: 'late', timestamp: 2000 },
      { value: 'given', timestamp: 2500, arrival: 9000 },
      { value: 'after', timestamp: 4000 },
    ]);
    const out = readAll(r!);
    expect(out.values).toEqual(['a', 'b', 'late', 'given', 'after']);
    expect(out.timestamps).toEqual([1000, 3000, 2000, 2500, 4000]);
    expect(out.arrivals).toEqual([1000, 3000, 3000, 9000, 9000]);
  });

  it('spreads records round-robin by index, or by partitionOf', () => {
    const records = Array.from({ length: 7 }, (_, i) => ({ value: i, timestamp: i * 10 }));
    const readers = fromArrayRecords(records, { partitions: 3 });
    expect(readers.map((r) => r.partition)).toEqual([0, 1, 2]);
    expect(readers.map((r) => readAll(r).values)).toEqual([[0, 3, 6], [1, 4], [2, 5]]);
    const byParity = fromArrayRecords(records, { partitions: 2, partitionOf: (v) => (v % 2 === 0 ? 1 : 0) });
    expect(byParity.map((r) => readAll(r).values)).toEqual([[1, 3, 5], [0, 2, 4, 6]]);
  });

  it('reads up to a processing time and a count, and reports the next arrival', () => {
    const [r] = fromArrayRecords(Array.from({ length: 10 }, (_, i) => ({ value: i, timestamp: i * 100 })));
    const out = buffers<number>();
    expect(r!.nextArrival()).toBe(0);
    expect(r!.read(450, 100, out)).toBe(5);
    expect(r!.offset()).toBe(5);
    expect(r!.nextArrival()).toBe(500);
    expect(r!.read(10_000, 2, out)).toBe(2);
    expect(r!.read(10_000, 0, out)).toBe(0);
    expect(out.values).toEqual([0, 1, 2, 3, 4, 5, 6]);
    r!.read(10_000, 100, out);
    expect(r!.nextArrival()).toBe(Number.POSITIVE_INFINITY);
    expect(r!.read(Number.POSITIVE_INFINITY, 100, out)).toBe(0);
  });

  it('rejects bad timestamps, decreasing explicit arrivals and bad partitions', () => {
    const err = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
      }
      return 'no error';
    };
    // A single partition is read lazily from the caller's array: a bad record is reported,
    // with its index, when the reader reaches it.
    const drain = (readers: { nextArrival(): number; read(u: number, m: number, o: never): number }[]) => {
      for (const r of readers) while (r.nextArrival() !== Number.POSITIVE_INFINITY) r.read(Number.POSITIVE_INFINITY, 1024, buffers<unknown>() as never);
    };
    expect(err(() => drain(fromArrayRecords([{ value: 1, timestamp: Number.NaN }])))).toBe(
      'records[0]: expected a timestamp that is a finite number of milliseconds, got NaN',
    );
    expect(err(() => drain(fromArrayRecords([{ value: 1, timestamp: 0, arrival: 50 }, { value: 2, timestamp: 0, arrival: 10 }])))).toBe(
      'records[1]: arrival 10 is before 50, the arrival of the record ahead of it in partition 0; records arrive in array order',
    );
    expect(err(() => fromArrayRecords([], { partitions: 0 }))).toBe('partitions: expected a whole number >= 1, got 0');
    expect(err(() => fromArrayRecords([{ value: 1, timestamp: 0 }], { partitions: 2, partitionOf: () => 2 }))).toBe(
      'records[0]: partitionOf returned 2; expected a whole number from 0 to 1',
    );
  });

  it('lets explicit arrivals interleave across partitions', () => {
    const readers = fromArrayRecords(
      [
        { value: 'a', timestamp: 0, arrival: 50 },
        { value: 'b', timestamp: 0, arrival: 10 },
      ],
      { partitions: 2 },
    );
    expect(readers.map((r) => r.nextArrival())).toEqual([50, 10]);
  });

  it('restores to a snapshot and resumes exactly (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1e6 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 4 }),
        fc.nat(70),
        fc.nat(70),
        (times, partitions, n, m) => {
          const records = times.map((t, i) => ({ value: `v${i}`, timestamp: t }));
          const readers = fromArrayRecords(records, { partitions });
          for (const r of readers) {
            r.read(Number.POSITIVE_INFINITY, n, buffers());
            const snap = JSON.parse(JSON.stringify(r.snapshot()));
            const expected = buffers<string>();
            r.read(Number.POSITIVE_INFINITY, m, expected);
            const fresh = fromArrayRecords(records, { partitions })[r.partition]!;
            fresh.restore(snap);
            const got = buffers<string>();
            fresh.read(Number.POSITIVE_INFINITY, m, got);
            expect(got).toEqual(expected);
            expect(fresh.offset()).toBe(r.offset());
            // Arrivals within a partition never decrease.
            const all = readAll(fromArrayRecords(records, { partitions })[r.partition]!).arrivals;
            expect(all.every((a, i) => i === 0 || a >= all[i - 1]!)).toBe(true);
          }
        },
      ),
    );
  });

  it('rejects a snapshot that does not fit', () => {
    const [r] = fromArrayRecords([{ value: 1, timestamp: 0 }]);
    expect(() => r!.restore({ offset: 5 })).toThrow('snapshot.offset: expected an offset from 0 to 1 for partition 0, got 5');
    expect(() => r!.restore(null)).toThrow(InputError);
  });
});

describe('fromArray', () => {
  it('takes event times and arrivals from functions', () => {
    const clicks = [
      { user: 'a', at: 100 },
      { user: 'b', at: 50 },
      { user: 'c', at: 300 },
    ];
    const [r] = fromArray(clicks, { timestampOf: (c) => c.at, arrivalOf: (c) => (c.user === 'b' ? 400 : undefined) });
    const out = readAll(r!);
    expect(out.timestamps).toEqual([100, 50, 300]);
    expect(out.arrivals).toEqual([100, 400, 400]);
    expect(() => fromArray(clicks, { timestampOf: () => Number.POSITIVE_INFINITY })[0]!.nextArrival()).toThrow(
      'values[0]: expected a timestamp that is a finite number of milliseconds, got Infinity',
    );
  });

  it('streams a million records quickly', () => {
    const n = 1_000_000;
    const values = Array.from({ length: n }, (_, i) => i);
    const [r] = fromArray(values, { timestampOf: (v) => v });
    const out = buffers<number>();
    let total = 0;
    const t0 = process.hrtime.bigint();
    while (r!.nextArrival() !== Number.POSITIVE_INFINITY) {
      out.values.length = 0;
      out.timestamps.length = 0;
      out.arrivals.length = 0;
      total += r!.read(Number.POSITIVE_INFINITY, 1024, out);
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    expect(total).toBe(n);
    expect(ms).toBeLessThan(3000); // about 30 ms on a laptop; generous for slow CI
  });
});
