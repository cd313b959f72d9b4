import { describe, expect, it } from 'vitest';
import { HeapStateTable } from '../../../src/engine/state/heap-state-table.ts';
import { listState, mapState, valueState, type StateScope } from '../../../src/engine/state/keyed-state.ts';
import { migrateTtl } from '../../../src/engine/state/ttl-migration.ts';

const window = { start: 0, end: 1000 };
const scope = (key: string, now: number): StateScope => ({ currentKey: () => key, currentNamespace: () => undefined, processingTime: () => now });

describe('migrateTtl', () => {
  it('stamps every value of a value state restored with a TTL switched on to expire ttl from now', () => {
    const table = new HeapStateTable<unknown>('seen');
    table.set('a', undefined, 3);
    table.set('b', window, { total: 7 });
    migrateTtl(table, { stampedAs: undefined }, { kind: 'value', ttl: 60_000 }, 1_000);
    expect([...table.entries()].map((e) => [e.key, e.namespace, e.value])).toEqual([
      ['a', undefined, { v: 3, exp: 61_000 }],
      ['b', window, { v: { total: 7 }, exp: 61_000 }],
    ]);
    // Read as a state with that TTL: there until 61 s, gone from then on.
    expect(valueState<number>(table, scope('a', 60_999), { ttl: 60_000 }).value()).toBe(3);
    expect(valueState<number>(table, scope('a', 61_000), { ttl: 60_000 }).value()).toBeUndefined();
  });

  it('drops the stamps of a value state restored with its TTL switched off, expired values included (Flink: "TTL metadata is ignored")', () => {
    const table = new HeapStateTable<unknown>('seen');
    table.set('a', undefined, { v: 3, exp: 500 });
    table.set('b', undefined, { v: 'x', exp: 90_000 });
    migrateTtl(table, { stampedAs: 'reducing' }, { kind: 'reducing', ttl: undefined }, 1_000);
    expect(valueState<number>(table, scope('a', 1_000_000)).value()).toBe(3);
    expect(valueState<string>(table, scope('b', 1_000_000)).value()).toBe('x');
  });

  it('converts each element of a list state and each value of a map state, keeping the map keys', () => {
    const lists = new HeapStateTable<unknown>('l');
    lists.set('a', undefined, [1, 2]);
    migrateTtl(lists, { stampedAs: undefined }, { kind: 'list', ttl: 10 }, 5);
    expect(lists.get('a')).toEqual([{ v: 1, exp: 15 }, { v: 2, exp: 15 }]);
    expect(listState<number>(lists, scope('a', 14), { ttl: 10 }).get()).toEqual([1, 2]);
    migrateTtl(lists, { stampedAs: 'list' }, { kind: 'list', ttl: undefined }, 100);
    expect(lists.get('a')).toEqual([1, 2]);

    const maps = new HeapStateTable<unknown>('m');
    maps.set('a', undefined, [['x', 1], ['y', { deep: true }]]);
    migrateTtl(maps, { stampedAs: undefined }, { kind: 'map', ttl: 10 }, 5);
    expect(maps.get('a')).toEqual([['x', { v: 1, exp: 15 }], ['y', { v: { deep: true }, exp: 15 }]]);
    expect(mapState<string, unknown>(maps, scope('a', 14), { ttl: 10 }).get('y')).toEqual({ deep: true });
    migrateTtl(maps, { stampedAs: 'map' }, { kind: 'map', ttl: undefined }, 100);
    expect(mapState<string, unknown>(maps, scope('a', 1_000)).get('x')).toBe(1);
  });

  it('moves values a migration left stamped as one kind into another kind\'s stamps, as written now', () => {
    const table = new HeapStateTable<unknown>('seen');
    // A value state with a TTL whose migration made each value a list: { v: [1, 2], exp: 500 }.
    table.set('a', undefined, { v: [1, 2], exp: 500 });
    migrateTtl(table, { stampedAs: 'value' }, { kind: 'list', ttl: 10 }, 100);
    expect(table.get('a')).toEqual([{ v: 1, exp: 110 }, { v: 2, exp: 110 }]);
    migrateTtl(table, { stampedAs: 'list' }, { kind: 'value', ttl: undefined }, 200);
    expect(table.get('a')).toEqual([1, 2]);
  });

  it('leaves an entry without the new kind\'s shape as it is (a list state keeps an array)', () => {
    const table = new HeapStateTable<unknown>('l');
    table.set('a', undefined, 7);
    migrateTtl(table, { stampedAs: undefined }, { kind: 'list', ttl: 10 }, 5);
    expect(table.get('a')).toBe(7);
  });
});
