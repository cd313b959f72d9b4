// How a keyed state with a time-to-live keeps its values, and how a savepoint's kinds say so:
// each value (list element, map value) is stamped `{ v, exp }` with its expiry in processing time
// (keyed-state.ts), and its kind reads "list state with ttl". Migrations and the state processor
// see and write values without their stamps, as Flink's TtlStateSerializer migrates the user value
// inside its TtlValue: a value they rewrite keeps the stamp of the one it replaces.
// Invariant: restamp(kind, stored, unstamp(kind, stored)) equals stored.

/** The kinds of keyed state a function can declare. */
export type StateKind = 'value' | 'list' | 'map' | 'reducing' | 'aggregating';

/** How a declared kind reads in a savepoint's descriptors and in messages. */
export const KIND_NAMES: Readonly<Record<StateKind, string>> = {
  value: 'value state',
  list: 'list state',
  map: 'map state',
  reducing: 'reducing state',
  aggregating: 'aggregating state',
};

/** What a state's kind says of a TTL in the descriptors: "value state with ttl". */
export const WITH_TTL = ' with ttl';

/** How a declared state reads in a savepoint's descriptors: its kind, and whether it has a TTL. */
export function kindName(kind: StateKind, hasTtl: boolean): string {
  return hasTtl ? `${KIND_NAMES[kind]}${WITH_TTL}` : KIND_NAMES[kind];
}

const KINDS = Object.keys(KIND_NAMES) as StateKind[];

/** The kind a descriptor names when it is a state kept with a TTL ("list state with ttl" → 'list'), else undefined. */
export function stampedKindOf(descriptor: string | undefined): StateKind | undefined {
  if (descriptor === undefined || !descriptor.endsWith(WITH_TTL)) return undefined;
  const base = descriptor.slice(0, -WITH_TTL.length);
  return KINDS.find((k) => KIND_NAMES[k] === base);
}

/** A value as a state with a TTL stores it: `exp` moves on a read with updateOnRead (keyed-state.ts). */
export interface Stamped<T = unknown> {
  v: T;
  exp: number;
}

const isStamped = (s: unknown): s is Stamped => typeof s === 'object' && s !== null && 'v' in s && typeof (s as Stamped).exp === 'number';
const isPairs = (value: unknown): value is [unknown, unknown][] => Array.isArray(value) && value.every((p) => Array.isArray(p) && p.length === 2);

/** The value a state of `kind` with a TTL stored as `stored`, without its stamps (list elements and map values unwrapped). */
export function unstamp(kind: StateKind, stored: unknown): unknown {
  const one = (s: unknown): unknown => (isStamped(s) ? s.v : s);
  if (kind === 'list') return Array.isArray(stored) ? stored.map(one) : stored;
  if (kind === 'map') return isPairs(stored) ? stored.map(([k, s]) => [k, one(s)]) : stored;
  return one(stored);
}

/** The latest expiry among `stored`'s stamps, or undefined when it has none (an empty list). */
export function latestExpiry(kind: StateKind, stored: unknown): number | undefined {
  const stamps: unknown[] = kind === 'list' && Array.isArray(stored) ? stored : kind === 'map' && isPairs(stored) ? stored.map((p) => p[1]) : [stored];
  let latest: number | undefined;
  for (const s of stamps) if (isStamped(s) && (latest === undefined || s.exp > latest)) latest = s.exp;
  return latest;
}

/**
 * `value` stamped to expire at `exp` in the form a state of `kind` with a TTL stores it, or
 * undefined when it does not have that kind's shape (a list state keeps an array, a map state an
 * array of [key, value] pairs).
 */
export function stamp(kind: StateKind, value: unknown, exp: number): unknown {
  if (kind === 'list') return Array.isArray(value) ? value.map((v): Stamped => ({ v, exp })) : undefined;
  if (kind === 'map') return isPairs(value) ? value.map(([k, v]) => [k, { v, exp }]) : undefined;
  return { v: value, exp };
}

/**
 * `value` (a rewritten `unstamp(kind, stored)`) stamped as `stored` was: a value keeps the
 * expiry it had; a list element keeps the stamp at its index when the list kept its length,
 * else every element gets the latest; a map value keeps its key's stamp, a new key gets the
 * latest. Undefined when `value` does not have the kind's shape, or `stored` had no stamp to keep.
 */
export function restamp(kind: StateKind, stored: unknown, value: unknown): unknown {
  const latest = latestExpiry(kind, stored);
  if (latest === undefined) return undefined;
  if (kind === 'list') {
    if (!Array.isArray(value)) return undefined;
    const old = stored as Stamped[];
    return value.length === old.length ? value.map((v, i): Stamped => ({ v, exp: old[i]!.exp })) : stamp(kind, value, latest);
  }
  if (kind === 'map') {
    if (!isPairs(value)) return undefined;
    const byKey = new Map((stored as [unknown, Stamped][]).map(([k, s]) => [JSON.stringify(k), s.exp]));
    return value.map(([k, v]) => [k, { v, exp: byKey.get(JSON.stringify(k)) ?? latest }]);
  }
  return { v: value, exp: latest };
}

/** What a migrated state's descriptor says of its values: "migrated list state with ttl" (still stamped as a list state's), or "migrated state" (no stamps). */
export const MIGRATED = 'migrated ';

/** The descriptor of a state a migration rewrote: `stampedAs` the kind whose stamps its values keep, if any. */
export function migratedKind(stampedAs: StateKind | undefined): string {
  return stampedAs === undefined ? `${MIGRATED}state` : `${MIGRATED}${kindName(stampedAs, true)}`;
}

/** For a migrated state's descriptor, how its values are stored (`kind`: the kind whose stamps they keep, if any); else undefined. */
export function migratedFrom(descriptor: string): { readonly kind: StateKind | undefined } | undefined {
  if (!descriptor.startsWith(MIGRATED)) return undefined;
  return { kind: stampedKindOf(descriptor.slice(MIGRATED.length)) };
}

/** Whether a state whose descriptor is `descriptor` keeps stamped values, and as which kind's (a state with a TTL, or one migrated from it). */
export function stampedAsIn(descriptor: string | undefined): StateKind | undefined {
  if (descriptor === undefined) return undefined;
  return stampedKindOf(descriptor) ?? migratedFrom(descriptor)?.kind;
}
