// Incremental snapshots of the heap backend: a full snapshot and the deltas after it, folded,
// give byte for byte the full snapshot of the same moment, whatever was put, read, deleted and
// re-inserted, whichever checkpoints completed, and whenever the compaction rule wrote full again.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeSnapshot } from '../../../src/engine/checkpoint/snapshot-codec.ts';
import { chooseSnapshot, DEFAULT_INCREMENTAL_POLICY } from '../../../src/engine/state/incremental-policy.ts';
import { HeapKeyedStateBackend, type StateSnapshot } from '../../../src/engine/state/state-backend.ts';
import { applyStateDelta } from '../../../src/engine/state/state-delta.ts';

type Op =
  | { readonly op: 'put'; readonly table: number; readonly key: string | number; readonly value: number; readonly window: number | null }
  | { readonly op: 'delete'; readonly table: number; readonly key: string | number; readonly window: number | null }
  | { readonly op: 'mutate'; readonly table: number; readonly key: string | number }
  | { readonly op: 'checkpoint' }
  | { readonly op: 'complete'; readonly back: number };

const key = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constantFrom('a', 'b', 'c', '0', '1'));
const window = fc.option(fc.integer({ min: 0, max: 3 }), { nil: null });
const table = fc.integer({ min: 0, max: 2 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('put' as const), table, key, value: fc.integer(), window }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), table, key, window }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('mutate' as const), table, key }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('checkpoint' as const) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('complete' as const), back: fc.integer({ min: 0, max: 2 }) }) },
);
const policy = fc.record({ maxDeltas: fc.integer({ min: 0, max: 5 }), maxChangedFraction: fc.constantFrom(0.1, 0.5, 1, 10) });

const names = ['total', 'seen', 'window-panes'];
const ns = (w: number | null) => (w === null ? undefined : { start: w * 10, end: w * 10 + 10 });

describe('incremental snapshots of the heap backend', () => {
  it('full part plus deltas, folded, is byte for byte the full snapshot of the same moment, and restores to the same state', () => {
    let deltas = 0;
    let chained = 0;
    fc.assert(
      fc.property(fc.array(op, { minLength: 10, maxLength: 150, size: 'large' }), policy, (ops, rule) => {
        const backend = new HeapKeyedStateBackend();
        backend.trackChanges(rule);
        // Every key in every table to start with, so a few changes are a small part of the state.
        for (const name of names) for (let k = 0; k <= 12; k++) backend.table(name).set(k, undefined, { n: k });
        /** Each checkpoint's chain, folded: the state a restore of it starts from. */
        const folded = new Map<number, StateSnapshot>();
        const taken: number[] = [];
        const isDelta = new Set<number>();
        let nextId = 1;
        for (const o of ops) {
          if (o.op === 'put') backend.table<{ n: number }>(names[o.table]!).set(o.key, ns(o.window), { n: o.value });
          else if (o.op === 'delete') backend.table(names[o.table]!).delete(o.key, ns(o.window));
          else if (o.op === 'mutate') {
            // A value read and changed in place, as a TTL refresh or a buffer does.
            const v = backend.table<{ n: number }>(names[o.table]!).get(o.key);
            if (v !== undefined) v.n++;
          } else if (o.op === 'checkpoint') {
            const id = nextId++;
            const full = encodeSnapshot(backend.snapshot());
            const s = JSON.parse(encodeSnapshot(backend.snapshot(id))) as StateSnapshot;
            const base = backend.deltaBase(id);
            if (base !== undefined) deltas++;
            if (base !== undefined && isDelta.has(base)) chained++;
            if (base !== undefined) isDelta.add(id);
            const state = base === undefined ? s : applyStateDelta(folded.get(base)!, s);
            expect(encodeSnapshot(state)).toBe(full);
            folded.set(id, state);
            taken.push(id);
            const restored = new HeapKeyedStateBackend();
            restored.restore(JSON.parse(encodeSnapshot(state)) as StateSnapshot);
            expect(encodeSnapshot(restored.snapshot())).toBe(full);
          } else if (taken.length > 0) {
            backend.notifyCheckpointComplete(taken[Math.max(0, taken.length - 1 - o.back)]!);
          }
        }
      }),
      { numRuns: 400 },
    );
    // The property is about deltas: many were taken, some on deltas themselves.
    expect(deltas).toBeGreaterThan(200);
    expect(chained).toBeGreaterThan(20);
  });

  it('writes only what changed: after 10 of 100,000 keys change, the delta holds those 10 entries', () => {
    const backend = new HeapKeyedStateBackend();
    const total = backend.table<number>('total');
    for (let k = 0; k < 100_000; k++) total.set(k, undefined, k);
    backend.trackChanges(DEFAULT_INCREMENTAL_POLICY);
    expect(backend.snapshot(1)[0]!.entries).toHaveLength(100_000);
    expect(backend.deltaBase(1)).toBeUndefined();
    backend.notifyCheckpointComplete(1);
    for (let k = 0; k < 100_000; k += 10_000) total.set(k, undefined, -k);
    const delta = backend.snapshot(2);
    expect(backend.deltaBase(2)).toBe(1);
    expect(delta).toEqual([
      {
        table: 'total',
        deleted: [],
        entries: [0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 70_000, 80_000, 90_000].map((k) => [k, null, -k]),
        windowsKept: true,
      },
    ]);
    expect(encodeSnapshot(delta).length).toBeLessThan(300);
  });

  it('a checkpoint that never completes is not a base: the next delta still builds on the last completed one', () => {
    const backend = new HeapKeyedStateBackend();
    backend.trackChanges(DEFAULT_INCREMENTAL_POLICY);
    const t = backend.table<number>('t');
    for (let k = 0; k < 10; k++) t.set(k, undefined, k);
    backend.snapshot(1);
    backend.notifyCheckpointComplete(1);
    t.set(1, undefined, 100);
    backend.snapshot(2); // fails: never completes
    t.set(2, undefined, 200);
    t.delete(3);
    expect(backend.snapshot(3)).toEqual([{ table: 't', deleted: [3], entries: [[1, null, 100], [2, null, 200]], windowsKept: true }]);
    expect(backend.deltaBase(3)).toBe(1);
  });

  it('the compaction rule: full after maxDeltas deltas, when the changed fraction is reached, or when the state is empty', () => {
    const rule = { maxDeltas: 2, maxChangedFraction: 0.5 };
    expect(chooseSnapshot(rule, 0, 10, 100)).toBe('delta');
    expect(chooseSnapshot(rule, 1, 49, 100)).toBe('delta');
    expect(chooseSnapshot(rule, 2, 1, 100)).toBe('full');
    expect(chooseSnapshot(rule, 0, 50, 100)).toBe('full');
    expect(chooseSnapshot(rule, 0, 0, 0)).toBe('full');
    const backend = new HeapKeyedStateBackend();
    backend.trackChanges(rule);
    const t = backend.table<number>('t');
    for (let k = 0; k < 10; k++) t.set(k, undefined, k);
    const kinds: string[] = [];
    for (let id = 1; id <= 5; id++) {
      t.set(0, undefined, id);
      backend.snapshot(id);
      kinds.push(backend.deltaBase(id) === undefined ? 'full' : `delta on ${backend.deltaBase(id)}`);
      backend.notifyCheckpointComplete(id);
    }
    expect(kinds).toEqual(['full', 'delta on 1', 'delta on 2', 'full', 'delta on 4']);
  });
});
