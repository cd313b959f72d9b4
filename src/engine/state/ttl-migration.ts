// A keyed state restored with its time-to-live switched on or off: its stored values are
// rewritten into the form the state now reads (Flink 2.2's TTL migration, TtlAwareSerializer
// .migrateValueFromPriorSerializer). Off → on: each value (list element, map value) is stamped as
// written now, so it expires `ttl` from now; on → off: the stamps are dropped and every value
// stays visible, expired or not, as Flink's "TTL metadata is ignored".
// Invariant: afterwards every entry of the table has the form a state of `kind` with `to`'s TTL
// writes; nothing else in the table changes.

import type { StateTable } from './state-backend.ts';

/** The kinds of keyed state a function can declare. */
export type StateKind = 'value' | 'list' | 'map' | 'reducing' | 'aggregating';

/** A value as a state with a TTL stores it (keyed-state.ts). */
interface Stamped {
  readonly v: unknown;
  readonly exp: number;
}

/**
 * Rewrites every entry of `table`, kept by a state of `kind`, from the form with a TTL to the
 * form without (`ttl` undefined), or the other way round, stamping each value to expire at `now + ttl`.
 * @example migrateTtl(table, 'value', 60_000, now) // 5 → { v: 5, exp: now + 60_000 }
 */
export function migrateTtl(table: StateTable<unknown>, kind: StateKind, ttl: number | undefined, now: number): void {
  const one = ttl === undefined ? (s: unknown) => (s as Stamped).v : (v: unknown): Stamped => ({ v, exp: now + ttl });
  const whole =
    kind === 'list' ? (elements: unknown) => (elements as unknown[]).map(one)
    : kind === 'map' ? (pairs: unknown) => (pairs as [unknown, unknown][]).map(([k, v]): [unknown, unknown] => [k, one(v)])
    : one;
  // Read first, then write: a table is not changed while it is walked.
  const entries = [...table.entries()].map((e) => ({ key: e.key, namespace: e.namespace, value: whole(e.value) }));
  for (const e of entries) table.set(e.key, e.namespace, e.value);
}
