// encodeSnapshotChunks: the text of encodeSnapshot, handed out in chunks as it is encoded, so a
// store can write chunk i while chunk i + 1 is encoded. Joined, the chunks are exactly
// encodeSnapshot's text for any JSON-compatible state (non-finite numbers included), the state
// is left as it was, and what encodeSnapshot refuses it refuses with the same message.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeSnapshot, encodeSnapshotChunks, type ChunkOptions } from '../../../src/engine/checkpoint/snapshot-codec.ts';

/** The chunks of the text path (binary row lists have their own tests: part-data.test.ts). */
function chunksOf(value: unknown, options?: ChunkOptions): string[] {
  const chunks: string[] = [];
  encodeSnapshotChunks(value, (c) => void chunks.push(c as string), { binary: false, ...options });
  return chunks;
}

/** Plain state with non-finite numbers and undefined in arrays and objects, nested a few levels. */
const tree = fc.letrec((tie) => ({
  leaf: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(Infinity, -Infinity, NaN, null, undefined, true), fc.string()),
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 12 }), fc.dictionary(fc.string({ maxLength: 3 }), tie('node'), { maxKeys: 5 })),
}));
/** A part's value is an object or an array. */
const state = fc.oneof(fc.array(tree.node, { maxLength: 12 }), fc.dictionary(fc.string({ maxLength: 3 }), tree.node, { maxKeys: 5 }));

describe('encodeSnapshotChunks', () => {
  it('joins to exactly encodeSnapshot\'s text and leaves the state as it was, for any state and chunking', () => {
    fc.assert(
      fc.property(state, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 5 }), (value, chunkChars, slice) => {
        const before = encodeSnapshot(value);
        const chunks = chunksOf(value, { chunkChars, slice });
        expect(chunks.join('')).toBe(before);
        expect(encodeSnapshot(value)).toBe(before);
        // Every chunk but the last holds at least chunkChars characters.
        for (const c of chunks.slice(0, -1)) expect(c.length).toBeGreaterThanOrEqual(chunkChars);
      }),
      { numRuns: 300 },
    );
  });

  it('cuts a backend\'s long entry list into chunks of about chunkChars, markers included', () => {
    const entries = Array.from({ length: 1000 }, (_, k) => [k, null, k % 7 === 0 ? Infinity : k]);
    const value = { finished: false, state: [{ table: 'total', entries }] };
    const chunks = chunksOf(value, { chunkChars: 2000, slice: 64 });
    expect(chunks.join('')).toBe(encodeSnapshot(value));
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.slice(0, -1).every((c) => c.length >= 2000 && c.length < 2000 + 64 * 30)).toBe(true);
    expect(entries[7]).toEqual([7, null, Infinity]);
  });

  it('emits a short state, a number and a string as one chunk', () => {
    expect(chunksOf({ a: [1, 2] })).toEqual(['{"a":[1,2]}']);
    expect(chunksOf(-Infinity)).toEqual(['{"$num":"-Infinity"}']);
    expect(chunksOf('x')).toEqual(['"x"']);
  });

  it('refuses what encodeSnapshot refuses, with the same message, and restores the markers it set', () => {
    const cyclic: Record<string, unknown> = { a: [1, Infinity] };
    (cyclic.a as unknown[]).push(cyclic);
    expect(() => chunksOf(cyclic, { chunkChars: 1 })).toThrow('state cannot hold a cycle; keep only JSON-compatible data in state');
    expect((cyclic.a as unknown[])[1]).toBe(Infinity);
    expect(() => chunksOf({ a: { b: 1n } })).toThrow('state cannot hold a bigint (1); store it as a string');
    expect(() => chunksOf([() => 1])).toThrow('state cannot hold a function; keep only JSON-compatible data in state');
  });
});
