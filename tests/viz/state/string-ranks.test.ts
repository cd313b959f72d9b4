import { describe, expect, it } from 'vitest';
import { StringRanks } from '../../../src/viz/state/state-order.ts';

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
