// The delta form of a state snapshot and how a chain of them is folded back into a full one
// (docs/durability.md, "Incremental checkpoints"). A delta lists every table of the backend, in
// the backend's order: the keys deleted since its base, the keys changed since (inserted ones in
// insertion order), and the whole windowed section unless no windowed entry was touched.
//
// Invariant: folding a base and its deltas gives the snapshot a full snapshot would have given
// at the delta's moment, byte for byte once encoded: same tables in the same order, same entries
// in the same order (a JS Map keeps a key's place when it is set again and moves it to the end
// when it is deleted and set again, which is what the delete-then-upsert order reproduces).

import type { Key } from '../runtime/record-batch.ts';
import type { StateSnapshot } from './state-backend.ts';

type Entry = StateSnapshot[number]['entries'][number];

/**
 * Applies `delta` to `base` (a full snapshot, or one folded from a chain already).
 * Strategy, per table of the delta (tables the delta does not list do not exist any more):
 *   1. take the base's keyed entries into a Map and keep its windowed entries apart;
 *   2. delete the delta's deleted keys, then set its keyed entries in order;
 *   3. the windowed section is the base's when `windowsKept`, else the delta's;
 *   4. keyed entries first, windowed after, as a full snapshot lists them; empty tables are left out.
 * @example
 * applyStateDelta([{ table: 't', entries: [['a', null, 1]] }], [{ table: 't', entries: [['b', null, 2]], deleted: ['a'] }]);
 * // → [{ table: 't', entries: [['b', null, 2]] }]
 */
export function applyStateDelta(base: StateSnapshot, delta: StateSnapshot): StateSnapshot {
  const byName = new Map(base.map((t) => [t.table, t.entries]));
  const out: { table: string; entries: Entry[] }[] = [];
  for (const d of delta) {
    const keyed = new Map<Key, unknown>();
    const windowed: Entry[] = [];
    for (const e of byName.get(d.table) ?? []) {
      if (e[1] === null) keyed.set(e[0], e[2]);
      else if (d.windowsKept) windowed.push(e);
    }
    for (const key of d.deleted ?? []) keyed.delete(key);
    for (const e of d.entries) {
      if (e[1] === null) keyed.set(e[0], e[2]);
      else windowed.push(e);
    }
    const entries: Entry[] = [];
    for (const [key, value] of keyed) entries.push([key, null, value]);
    for (const e of windowed) entries.push(e);
    if (entries.length > 0) out.push({ table: d.table, entries });
  }
  return out;
}
