import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainInteger, StringRanks } from '../../../src/viz/state/state-order.ts';

const collator = new Intl.Collator('en', { numeric: true });

describe('StringRanks', () => {
  it('ranks keys in the collator’s order, numbers by value, keeping the order as new keys come', () => {
    const ranks = new StringRanks(collator.compare);
    const first = ranks.of(['user-10', 'user-2', 'user-1']);
    expect(['user-1', 'user-2', 'user-10'].map((k) => first.get(k))).toEqual([0, 1, 2]);
    const second = ranks.of(['user-3', 'user-10']);
    const order = ['user-1', 'user-2', 'user-3', 'user-10'];
    expect(order.map((k) => second.get(k))).toEqual([0, 1, 2, 3]);
  });

  it('gives strings the comparison calls equal one rank', () => {
    const ranks = new StringRanks(new Intl.Collator('en', { sensitivity: 'base' }).compare).of(['b', 'A', 'a']);
    expect([ranks.get('a'), ranks.get('A'), ranks.get('b')]).toEqual([0, 0, 1]);
  });
});

describe('StringRanks fed in batches', () => {
  // Numbers as text (compared as numbers), with leading zeros, negative, decimal and mixed words.
  const keyArb = fc.oneof(fc.nat({ max: 5_000 }).map(String), fc.constantFrom('', '0', '00', '01', '-3', '1.5', '1e3', 'user-2', 'user-10', 'B', 'b', 'é', '123456789012345', '1234567890123456'));

  it('orders every pair as the key collator does, whatever batches the keys came in', () => {
    fc.assert(
      fc.property(fc.array(fc.array(keyArb, { maxLength: 30 }), { maxLength: 6 }), (batches) => {
        const ranks = new StringRanks(collator.compare, plainInteger);
        let rank: ReadonlyMap<string, number> = new Map();
        for (const batch of batches) rank = ranks.of(batch);
        const all = [...new Set(batches.flat())];
        for (const a of all) for (const b of all) expect(Math.sign(rank.get(a)! - rank.get(b)!)).toBe(Math.sign(collator.compare(a, b)));
      }),
      { numRuns: 200 },
    );
  });

  it('reads plain integers (up to 15 digits, no leading zero) as numbers, and nothing else', () => {
    expect(['0', '7', '123456789012345'].map(plainInteger)).toEqual([0, 7, 123456789012345]);
    expect(['', '00', '01', '-3', '1.5', '1e3', ' 1', '1234567890123456'].map(plainInteger).every(Number.isNaN)).toBe(true);
  });
});
