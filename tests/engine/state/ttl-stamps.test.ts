import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latestExpiry, migratedFrom, migratedKind, restamp, stamp, stampedKindOf, unstamp, type StateKind } from '../../../src/engine/state/ttl-stamps.ts';

describe('TTL stamps', () => {
  it('reads the kind of a state kept with a TTL from its descriptor, and nothing from others', () => {
    expect(stampedKindOf('list state with ttl')).toBe('list');
    expect(stampedKindOf('aggregating state with ttl')).toBe('aggregating');
    expect(stampedKindOf('value state')).toBeUndefined();
    expect(stampedKindOf('window sum')).toBeUndefined();
    expect(stampedKindOf(undefined)).toBeUndefined();
  });

  it('names a migrated state by the stamps its values keep', () => {
    expect(migratedKind('map')).toBe('migrated map state with ttl');
    expect(migratedKind(undefined)).toBe('migrated state');
    expect(migratedFrom('migrated map state with ttl')).toEqual({ kind: 'map' });
    expect(migratedFrom('migrated state')).toEqual({ kind: undefined });
    expect(migratedFrom('map state with ttl')).toBeUndefined();
  });

  it('unstamps a value, each list element and each map value', () => {
    expect(unstamp('value', { v: { n: 1 }, exp: 9 })).toEqual({ n: 1 });
    expect(unstamp('list', [{ v: 1, exp: 5 }, { v: 2, exp: 7 }])).toEqual([1, 2]);
    expect(unstamp('map', [['a', { v: 1, exp: 5 }]])).toEqual([['a', 1]]);
    expect(latestExpiry('list', [{ v: 1, exp: 5 }, { v: 2, exp: 7 }])).toBe(7);
    expect(latestExpiry('list', [])).toBeUndefined();
  });

  it('keeps the stamp of what a rewritten value replaces', () => {
    expect(restamp('value', { v: 3, exp: 40 }, 4)).toEqual({ v: 4, exp: 40 });
    // Same length: by index; another length: every element the latest.
    expect(restamp('list', [{ v: 1, exp: 5 }, { v: 2, exp: 7 }], [10, 20])).toEqual([{ v: 10, exp: 5 }, { v: 20, exp: 7 }]);
    expect(restamp('list', [{ v: 1, exp: 5 }, { v: 2, exp: 7 }], [10])).toEqual([{ v: 10, exp: 7 }]);
    // A map value keeps its key's stamp; a new key gets the latest.
    expect(restamp('map', [['a', { v: 1, exp: 5 }], ['b', { v: 2, exp: 7 }]], [['a', 9], ['c', 3]])).toEqual([['a', { v: 9, exp: 5 }], ['c', { v: 3, exp: 7 }]]);
    // Not the kind's shape, or no stamp to keep.
    expect(restamp('list', [{ v: 1, exp: 5 }], 'x')).toBeUndefined();
    expect(restamp('map', [['a', { v: 1, exp: 5 }]], [1, 2])).toBeUndefined();
    expect(restamp('list', [], [1])).toBeUndefined();
    expect(stamp('list', 3, 10)).toBeUndefined();
  });

  it('restamping what was unstamped gives back what was stored', () => {
    const json = fc.jsonValue();
    const stamped = fc.record({ v: json, exp: fc.integer() });
    const stored = fc.oneof(
      fc.tuple(fc.constantFrom<StateKind>('value', 'reducing', 'aggregating'), stamped),
      fc.tuple(fc.constant<StateKind>('list'), fc.array(stamped, { minLength: 1 })),
      fc.tuple(fc.constant<StateKind>('map'), fc.uniqueArray(fc.tuple(fc.string(), stamped), { minLength: 1, selector: (p) => p[0] })),
    );
    // As a snapshot holds it: JSON (fast-check's objects may lack a prototype).
    const asJson = (v: unknown): unknown => JSON.parse(JSON.stringify(v));
    fc.assert(fc.property(stored.map(([kind, s]) => [kind, asJson(s)] as const), ([kind, s]) => {
      expect(restamp(kind, s, unstamp(kind, s))).toEqual(s);
    }));
  });
});
