// Binary parts (part-data.ts, binary-rows.ts): a state backend's long lists of plain rows are
// written as typed columns, and the part still stands for exactly encodeSnapshot's text and
// decodes to exactly decodeSnapshot's value, whatever the rows hold and however it is chunked.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_BINARY_ROWS } from '../../../src/engine/checkpoint/binary-rows.ts';
import { isBinaryChunk } from '../../../src/engine/checkpoint/binary-rows-reader.ts';
import { bytesChecksum, describePart, partIntact } from '../../../src/engine/checkpoint/checksum.ts';
import { chunksOf, decodePart, encodePart, partFromChunks, partSize, partText, type BinaryPart, type PartData } from '../../../src/engine/checkpoint/part-data.ts';
import { decodeSnapshot, encodeSnapshot } from '../../../src/engine/checkpoint/snapshot-codec.ts';

const asBinary = (data: PartData): BinaryPart => {
  if (typeof data === 'string') throw new Error('expected a binary part');
  return data;
};

/** One column's values: every row of a list draws its cell from the same kind. */
const columnKind = fc.constantFrom('null', 'int', 'double', 'bool', 'string', 'pair', 'mixed');
const cell = (kind: string): fc.Arbitrary<unknown> => {
  switch (kind) {
    case 'null':
      return fc.constant(null);
    case 'int':
      return fc.integer();
    case 'double':
      return fc.oneof(fc.double(), fc.constantFrom(Infinity, -Infinity, NaN, -0, 2 ** 31, -(2 ** 31) - 1));
    case 'bool':
      return fc.boolean();
    case 'string':
      // Quotes, backslashes, controls, emoji and lone surrogates: everything JSON escapes or UTF-8 cannot carry.
      return fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('"', '\\', '\u0000', '\ud800', '\udc00x', '😀', '\u2028'));
    case 'pair':
      return fc.tuple(fc.oneof(fc.integer(), fc.constantFrom(-Infinity, Infinity)), fc.integer());
    default:
      // Not one kind: the list stays text.
      return fc.oneof(fc.integer(), fc.string(), fc.constant({ a: 1 }), fc.constant(undefined));
  }
};
/** A list of rows as a state backend writes them, long enough (mostly) to be written as columns. */
const rowList = fc
  .array(columnKind, { minLength: 1, maxLength: 4 })
  .chain((kinds) => fc.array(fc.tuple(...kinds.map(cell)), { minLength: MIN_BINARY_ROWS - 4, maxLength: 300 }));
/** A subtask part's shape: tables of entries beside other fields. */
const part = fc.record({
  watermark: fc.oneof(fc.integer(), fc.constant(-Infinity)),
  state: fc.array(fc.record({ table: fc.string({ maxLength: 4 }), entries: rowList }), { maxLength: 3 }),
  timers: fc.oneof(rowList, fc.constant([])),
  operator: fc.oneof(fc.constant(null), fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 3 })),
});

describe('binary parts', () => {
  it('stand for exactly encodeSnapshot\'s text and decode to decodeSnapshot\'s value, for any rows and chunking', () => {
    fc.assert(
      fc.property(part, fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 80 }), (value, chunkChars, slice) => {
        const text = encodeSnapshot(value);
        const data = encodePart(value, { chunkChars, slice });
        expect(partText(data)).toBe(text);
        expect(decodePart(data)).toEqual(decodeSnapshot(text));
        // Stored and read back chunk by chunk, it is the same part.
        expect(partText(partFromChunks(chunksOf(data)))).toBe(text);
        // The state is left as it was.
        expect(encodeSnapshot(value)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('writes a backend\'s entry list as columns: two 4-byte columns for integer keys and values', () => {
    const entries = Array.from({ length: 1000 }, (_, k) => [k, null, k % 100]);
    const value = { finished: false, state: [{ table: 'total', entries }] };
    const data = asBinary(encodePart(value));
    expect(data.chunks).toHaveLength(1);
    const chunk = data.chunks[0] as Uint8Array;
    expect(isBinaryChunk(chunk)).toBe(true);
    // 8 bytes of magic; a text segment (8 + 35 bytes of '{"finished":false,"state":[{"table":"total","entries":' … padded);
    // the rows segment's header, path and kinds; then 1000 × 4 bytes of keys and 1000 × 4 of values; then the closing text.
    expect(partSize(data)).toBe(chunk.byteLength);
    expect(chunk.byteLength).toBeLessThan(8_300);
    expect(chunk.byteLength).toBeGreaterThan(8_000);
    expect(encodeSnapshot(value).length).toBeGreaterThan(10_000);
    expect(decodePart(data)).toEqual(value);
  });

  it('cuts long lists into chunks of about chunkChars bytes that continue one list', () => {
    const entries = Array.from({ length: 10_000 }, (_, k) => [`key-${k}`, [k * 10, k * 10 + 10], k / 4]);
    const value = { state: [{ table: 'window-panes', entries }] };
    const data = asBinary(encodePart(value, { chunkChars: 16_384, slice: 512 }));
    expect(data.chunks.length).toBeGreaterThan(10);
    for (const c of data.chunks.slice(0, -1)) expect((c as Uint8Array).byteLength).toBeGreaterThanOrEqual(16_384);
    expect(partText(data)).toBe(encodeSnapshot(value));
    expect(decodePart(data)).toEqual(value);
  });

  it('keeps lists that are short, mixed or hold objects as text', () => {
    expect(typeof encodePart({ state: [{ entries: Array.from({ length: MIN_BINARY_ROWS - 1 }, (_, k) => [k, null, k]) }] })).toBe('string');
    expect(typeof encodePart({ state: [{ entries: Array.from({ length: 100 }, (_, k) => [k % 2 ? k : `${k}`, null, k]) }] })).toBe('string');
    expect(typeof encodePart({ state: [{ entries: Array.from({ length: 100 }, (_, k) => [k, null, { sum: k }]) }] })).toBe('string');
    // A list at the root has no place to be put back by path.
    expect(typeof encodePart(Array.from({ length: 100 }, (_, k) => [k, null, k]))).toBe('string');
    expect(encodePart({ a: [1, 2] })).toBe('{"a":[1,2]}');
  });

  it('refuses what encodeSnapshot refuses, with the same message', () => {
    expect(() => encodePart({ state: [{ entries: Array.from({ length: 100 }, (_, k) => [k, null, BigInt(k)]) }] })).toThrow('state cannot hold a bigint (0); store it as a string');
  });

  it('is checksummed chunk by chunk: a changed, missing or extra chunk is caught', () => {
    const value = { state: [{ table: 't', entries: Array.from({ length: 5000 }, (_, k) => [k, null, k * 1.5]) }] };
    const data = asBinary(encodePart(value, { chunkChars: 8192 }));
    const entry = describePart('p#0', data);
    expect(entry.size).toBe(partSize(data));
    expect(entry.chunks!.map((c) => c.checksum.slice(0, 2))).toEqual(data.chunks.map(() => 'b:'));
    expect(partIntact(entry, data)).toBe(true);
    const damaged = data.chunks.map((c) => (c as Uint8Array).slice());
    damaged[1]![1000] ^= 1;
    expect(partIntact(entry, { chunks: damaged })).toBe(false);
    expect(partIntact(entry, { chunks: data.chunks.slice(0, -1) })).toBe(false);
    expect(partIntact(entry, { chunks: [...data.chunks, data.chunks[0]!] })).toBe(false);
    // The same bytes at an offset that is not a multiple of four hash the same.
    const chunk = data.chunks[0] as Uint8Array;
    const shifted = new Uint8Array(chunk.byteLength + 1);
    shifted.set(chunk, 1);
    expect(bytesChecksum(shifted.subarray(1))).toBe(bytesChecksum(chunk));
  });
});
