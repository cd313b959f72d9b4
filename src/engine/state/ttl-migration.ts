// A keyed state restored with its time-to-live switched on or off: its stored values are
// rewritten into the form the state now reads (Flink 2.2's TTL migration, TtlAwareSerializer
// .migrateValueFromPriorSerializer). Off → on: each value (list element, map value) is stamped as
// written now, so it expires `ttl` from now; on → off: the stamps are dropped and every value
// stays visible, expired or not, as Flink's "TTL metadata is ignored". A state a migration gave
// another kind is converted the same way, from the stamps of the kind it had (ttl-stamps.ts).
// Invariant: afterwards every entry of the table has the form a state of `to.kind` with `to.ttl`
// writes; nothing else in the table changes.

import type { StateTable } from './state-backend.ts';
import { stamp, unstamp, type StateKind } from './ttl-stamps.ts';

export type { StateKind } from './ttl-stamps.ts';

/**
 * Rewrites every entry of `table` from how it is stored (`from.stampedAs`: stamped as a state of
 * that kind with a TTL stores it; undefined: no stamps) to how a state of `to.kind` with TTL
 * `to.ttl` (undefined: none) reads it, stamping each value to expire at `now + to.ttl`. An entry
 * without the shape of `to.kind` (a list state's array) is left as it is.
 * @example migrateTtl(table, { stampedAs: undefined }, { kind: 'value', ttl: 60_000 }, now) // 5 → { v: 5, exp: now + 60_000 }
 */
export function migrateTtl(table: StateTable<unknown>, from: { readonly stampedAs: StateKind | undefined }, to: { readonly kind: StateKind; readonly ttl: number | undefined }, now: number): void {
  const convert = (stored: unknown): unknown => {
    const value = from.stampedAs === undefined ? stored : unstamp(from.stampedAs, stored);
    return to.ttl === undefined ? value : (stamp(to.kind, value, now + to.ttl) ?? stored);
  };
  // Read first, then write: a table is not changed while it is walked.
  const entries = [...table.entries()].map((e) => ({ key: e.key, namespace: e.namespace, value: convert(e.value) }));
  for (const e of entries) table.set(e.key, e.namespace, e.value);
}
