import { describe, expect, it } from 'vitest';
import { decodeSnapshot, encodeSnapshot } from '../../../src/engine/checkpoint/snapshot-codec.ts';

/** An object nested `depth` levels deep: {next: {next: ... {leaf: true}}}. */
function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < depth; i++) value = { next: value };
  return value;
}

describe('snapshot codec', () => {
  it('writes non-finite numbers as markers, leaves the value untouched and reads them back', () => {
    const state = { end: Infinity, entries: [[1, null, -Infinity], [2, [0, 10], 3]] };
    const text = encodeSnapshot(state);
    expect(text).toBe('{"end":{"$num":"Infinity"},"entries":[[1,null,{"$num":"-Infinity"}],[2,[0,10],3]]}');
    expect(state).toEqual({ end: Infinity, entries: [[1, null, -Infinity], [2, [0, 10], 3]] });
    expect(decodeSnapshot(text)).toEqual(state);
  });

  it('rejects a cycle near the top of the state', () => {
    const state: Record<string, unknown> = { a: [1, 2] };
    (state.a as unknown[]).push(state);
    expect(() => encodeSnapshot(state)).toThrow('state cannot hold a cycle; keep only JSON-compatible data in state');
  });

  it('rejects a cycle that closes deep inside the state', () => {
    const state = nested(100);
    let inner = state;
    for (let i = 0; i < 60; i++) inner = inner.next as Record<string, unknown>;
    let leaf = inner;
    while (leaf.next !== undefined) leaf = leaf.next as Record<string, unknown>;
    leaf.back = inner;
    expect(() => encodeSnapshot(state)).toThrow('state cannot hold a cycle; keep only JSON-compatible data in state');
  });

  it('accepts deep nesting and an object shared by two fields, which are no cycle', () => {
    const shared = { n: 1 };
    const deep = nested(200);
    const text = encodeSnapshot({ a: shared, b: shared, deep });
    expect(decodeSnapshot(text)).toEqual({ a: { n: 1 }, b: { n: 1 }, deep });
  });

  it('rejects functions and bigints in state', () => {
    expect(() => encodeSnapshot({ f: () => 1 })).toThrow('state cannot hold a function; keep only JSON-compatible data in state');
    expect(() => encodeSnapshot([1n])).toThrow('state cannot hold a bigint (1); store it as a string');
  });
});
