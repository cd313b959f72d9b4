// A full snapshot takes a table's entries as columns (entry-columns.ts) and the encoder writes
// them from there: whatever they hold and however they are chunked, a part with entry columns is
// exactly the part of the rows they stand for (text, bytes and decoded value), and the columns
// are a copy of the table at the take.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_BINARY_ROWS } from '../../../src/engine/checkpoint/binary-rows.ts';
import { decodePart, encodePart, partText } from '../../../src/engine/checkpoint/part-data.ts';
import { decodeSnapshot, encodeSnapshot } from '../../../src/engine/checkpoint/snapshot-codec.ts';
import { ColumnFill, EntryColumns, type EntryColumn, type EntryRow } from '../../../src/engine/state/entry-columns.ts';
import { HeapKeyedStateBackend, type StateCodec } from '../../../src/engine/state/state-backend.ts';
import type { Key } from '../../../src/engine/runtime/record-batch.ts';

/** The keys of one list: all of one kind (written as a column), or mixed (text). */
const keyKind = fc.constantFrom<fc.Arbitrary<Key>>(
  fc.integer(),
  fc.oneof(fc.double(), fc.constantFrom(Infinity, -Infinity, NaN, -0)),
  fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('"', '\\', '\u0000', '\ud800', '😀')),
  fc.oneof(fc.integer(), fc.string()),
);
/** The values of one list: of one plain kind, objects (text) or mixed (text). */
const valueKind = fc.constantFrom<fc.Arbitrary<unknown>>(
  fc.integer(),
  fc.oneof(fc.double(), fc.constantFrom(Infinity, -Infinity, NaN, -0)),
  fc.boolean(),
  fc.string({ unit: 'binary' }),
  fc.constant(null),
  fc.record({ sum: fc.oneof(fc.integer(), fc.constant(Infinity)), items: fc.array(fc.integer(), { maxLength: 3 }) }),
  fc.oneof(fc.integer(), fc.string(), fc.constant([1, Infinity])),
);
/** A table's entry columns: some without a window and some with, or all one or the other. */
const columns = fc
  .tuple(keyKind, valueKind)
  .chain(([k, v]) =>
    fc.record({
      rows: fc.array(fc.tuple(k, v), { minLength: MIN_BINARY_ROWS - 4, maxLength: 300 }),
      windowed: fc.constantFrom('none', 'all', 'some'),
      window: fc.tuple(fc.oneof(fc.integer(), fc.constant(-Infinity)), fc.integer()),
      // As a backend takes them (typed while they are numbers), or as plain arrays.
      filled: fc.boolean(),
    }),
  )
  .map(({ rows, windowed, window, filled }) => {
    const plain = windowed === 'none' ? rows.length : windowed === 'all' ? 0 : rows.length >> 1;
    const column = <T,>(values: T[]) => (filled ? fill(values) : values);
    return new EntryColumns(column(rows.map((r) => r[0])), column(rows.map((r) => r[1])), plain, rows.slice(plain).map(() => window));
  });

/** `values` as ColumnFill takes them, one at a time. */
function fill<T>(values: readonly T[]): EntryColumn<T> {
  const f = new ColumnFill<T>(values.length);
  values.forEach((v, i) => f.set(i, v));
  return f.column;
}
/** The same part with each table's entry columns replaced by the rows they stand for. */
const asRows = (part: { state: { table: string; entries: EntryColumns }[] }): unknown => ({ ...part, state: part.state.map((t) => ({ table: t.table, entries: t.entries.rows() })) });

describe('entry columns', () => {
  it('encode to exactly the part of the rows they stand for (text, chunks and value), for any entries and chunking', () => {
    const part = fc.record({ watermark: fc.integer(), state: fc.array(fc.record({ table: fc.string({ maxLength: 4 }), entries: columns }), { maxLength: 3 }) });
    fc.assert(
      fc.property(part, fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 80 }), (p, chunkChars, slice) => {
        const rows = asRows(p);
        const text = encodeSnapshot(rows);
        expect(encodeSnapshot(p)).toBe(text);
        expect(JSON.stringify(p)).toBe(JSON.stringify(rows));
        const data = encodePart(p, { chunkChars, slice });
        expect(data).toEqual(encodePart(rows, { chunkChars, slice }));
        expect(partText(data)).toBe(text);
        expect(decodePart(data)).toEqual(decodeSnapshot(text));
        // The columns are left as they were (markers and rows swapped back).
        expect(encodeSnapshot(p)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('are the rows of a full snapshot, entries without a window first, each value as its codec writes it', () => {
    const backend = new HeapKeyedStateBackend();
    const codec: StateCodec<{ n: number }> = { encode: (v) => [v.n], decode: (e) => ({ n: (e as number[])[0]! }) };
    const t = backend.table('t', codec);
    t.set('b', { start: 0, end: 10 }, { n: 1 });
    t.set('a', undefined, { n: 2 });
    t.set('c', { start: 0, end: 10 }, { n: 3 });
    t.set('a', { start: 10, end: 20 }, { n: 4 });
    const [table] = backend.snapshot();
    expect(table!.entries).toBeInstanceOf(EntryColumns);
    expect((table!.entries as EntryColumns).rows()).toEqual([
      ['a', null, [2]],
      ['b', [0, 10], [1]],
      ['c', [0, 10], [3]],
      ['a', [10, 20], [4]],
    ] satisfies EntryRow[]);
  });

  it('are a copy of the table at the take: later sets, deletes and new entries do not reach them', () => {
    const backend = new HeapKeyedStateBackend();
    const t = backend.table<number>('total');
    for (let k = 0; k < 1000; k++) t.set(k, undefined, k);
    for (let k = 0; k < 100; k++) t.set(k, { start: 0, end: 10 }, -k);
    const taken = backend.snapshot();
    const expected = encodeSnapshot([{ table: 'total', entries: [...Array.from({ length: 1000 }, (_, k) => [k, null, k]), ...Array.from({ length: 100 }, (_, k) => [k, [0, 10], -k])] }]);
    // The job steps on before the snapshot is encoded (a deferred snapshot's contract forbids it; the columns hold anyway).
    for (let k = 0; k < 1000; k += 2) t.set(k, undefined, 1_000_000 + k);
    for (let k = 1; k < 1000; k += 2) t.delete(k);
    t.set(5000, undefined, 1);
    t.set(0, { start: 0, end: 10 }, 99);
    t.set(0, { start: 10, end: 20 }, 99);
    expect(encodeSnapshot(taken)).toBe(expected);
    expect(partText(encodePart({ state: taken }))).toBe(`{"state":${expected}}`);
    expect(decodePart(encodePart({ state: taken }))).toEqual({ state: decodeSnapshot(expected) });
  });

  it('are taken typed while they hold numbers: Int32Array for int32s, Float64Array once one is not, plain values once one is not a number', () => {
    expect(fill([1, -2, 3])).toEqual(new Int32Array([1, -2, 3]));
    // -0 is an int32 as the binary format decides (and JSON writes it 0).
    expect(fill([1, -0])).toEqual(new Int32Array([1, 0]));
    expect(fill([1, 2.5, 2 ** 31, NaN, -Infinity])).toEqual(new Float64Array([1, 2.5, 2 ** 31, NaN, -Infinity]));
    expect(fill([1, 2.5, 'x', null])).toEqual([1, 2.5, 'x', null]);
    expect(fill(['a', 1])).toEqual(['a', 1]);
    expect(fill([])).toEqual(new Int32Array(0));
  });

  it('refuse entry lists of unequal lengths', () => {
    expect(() => new EntryColumns([1, 2], [1], 2, [])).toThrow('entry columns of unequal lengths: 2 keys, 1 values, 2 without a window and 0 windows');
  });
});
