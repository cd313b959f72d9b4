// The state primitives user functions read and write: value, list, map, reducing and
// aggregating state, scoped to the current key (and window, inside a window function).
// With a time-to-live, values carry an expiry in processing time and are never returned once
// expired (Flink's StateTtlConfig with NeverReturnExpired). As in Flink's TtlListState and
// TtlMapState, every list element and map entry carries its own expiry, set when it is written.

import type { Key } from '../runtime/record-batch.ts';
import type { Window } from '../windows/window.ts';
import type { StateTable } from './state-backend.ts';
import type { Stamped } from './ttl-stamps.ts';

/** How long state lives after it was last written (or read, with `updateOnRead`). */
export interface StateTtl {
  /** Milliseconds of processing time. */
  readonly ttl: number;
  /** Refresh the expiry on reads too (Flink's OnReadAndWrite); default: writes only. */
  readonly updateOnRead?: boolean;
}

/** Options every state declaration takes. */
export interface StateOptions {
  readonly ttl?: StateTtl;
}

/** A single value per key. */
export interface ValueState<T> {
  value(): T | undefined;
  update(value: T): void;
  clear(): void;
}

/** A list of values per key. */
export interface ListState<T> {
  get(): readonly T[];
  add(value: T): void;
  update(values: readonly T[]): void;
  clear(): void;
}

/** A map per key. */
export interface MapState<K, V> {
  get(key: K): V | undefined;
  put(key: K, value: V): void;
  remove(key: K): void;
  contains(key: K): boolean;
  entries(): [K, V][];
  keys(): K[];
  values(): V[];
  isEmpty(): boolean;
  clear(): void;
}

/** A value per key that folds every added value in with a reduce function. */
export interface ReducingState<T> {
  get(): T | undefined;
  add(value: T): void;
  clear(): void;
}

/** An accumulator per key, read through the aggregate function's getResult. */
export interface AggregatingState<IN, OUT> {
  get(): OUT | undefined;
  add(value: IN): void;
  clear(): void;
}

/** Computes an aggregate incrementally (Flink's AggregateFunction, Beam's CombineFn). */
export interface AggregateFunction<IN, ACC, OUT> {
  createAccumulator(): ACC;
  add(value: IN, accumulator: ACC): ACC;
  getResult(accumulator: ACC): OUT;
  /** Needed for session windows, whose accumulators merge. */
  merge?(a: ACC, b: ACC): ACC;
}

/** Where a state primitive finds its current key, namespace and clock. */
export interface StateScope {
  currentKey(): Key;
  currentNamespace(): Window | undefined;
  processingTime(): number;
}


/** Reads and writes one table through the scope, applying TTL when configured. */
class Cell<T> {
  constructor(
    private readonly table: StateTable<T | Stamped<T>>,
    private readonly scope: StateScope,
    private readonly ttl: StateTtl | undefined,
  ) {}
  read(): T | undefined {
    const key = this.scope.currentKey();
    const ns = this.scope.currentNamespace();
    const raw = this.table.get(key, ns);
    if (raw === undefined) return undefined;
    if (this.ttl === undefined) return raw as T;
    const s = raw as Stamped<T>;
    const now = this.scope.processingTime();
    if (s.exp <= now) {
      this.table.delete(key, ns);
      return undefined;
    }
    if (this.ttl.updateOnRead) s.exp = now + this.ttl.ttl;
    return s.v;
  }
  write(value: T): void {
    const stored = this.ttl === undefined ? value : { v: value, exp: this.scope.processingTime() + this.ttl.ttl };
    this.table.set(this.scope.currentKey(), this.scope.currentNamespace(), stored);
  }
  clear(): void {
    this.table.delete(this.scope.currentKey(), this.scope.currentNamespace());
  }
}

type AnyTable = StateTable<unknown>;

export function valueState<T>(table: AnyTable, scope: StateScope, ttl?: StateTtl): ValueState<T> {
  const cell = new Cell<T>(table as StateTable<T>, scope, ttl);
  return { value: () => cell.read(), update: (v) => cell.write(v), clear: () => cell.clear() };
}

export function listState<T>(table: AnyTable, scope: StateScope, ttl?: StateTtl): ListState<T> {
  if (ttl === undefined) {
    const cell = new Cell<T[]>(table as StateTable<T[]>, scope, undefined);
    return {
      get: () => cell.read() ?? [],
      add: (v) => cell.write([...(cell.read() ?? []), v]),
      update: (vs) => (vs.length === 0 ? cell.clear() : cell.write([...vs])),
      clear: () => cell.clear(),
    };
  }
  const cell = new Cell<Stamped<T>[]>(table as StateTable<Stamped<T>[]>, scope, undefined);
  const live = (reading: boolean): Stamped<T>[] => unexpired(cell, scope, ttl, reading, (x) => x);
  return {
    get: () => live(true).map((x) => x.v),
    add: (v) => cell.write([...live(false), stamp(v, scope, ttl)]),
    update: (vs) => (vs.length === 0 ? cell.clear() : cell.write(vs.map((v) => stamp(v, scope, ttl)))),
    clear: () => cell.clear(),
  };
}

function stamp<T>(v: T, scope: StateScope, ttl: StateTtl): Stamped<T> {
  return { v, exp: scope.processingTime() + ttl.ttl };
}

/**
 * The elements of a cell whose stamp has not expired; expired ones are removed from state. When
 * `reading` with updateOnRead, the survivors' expiry moves to now + ttl.
 */
function unexpired<E>(cell: Cell<E[]>, scope: StateScope, ttl: StateTtl, reading: boolean, stampOf: (e: E) => Stamped<unknown>): E[] {
  const all = cell.read() ?? [];
  const now = scope.processingTime();
  const live = all.filter((e) => stampOf(e).exp > now);
  if (live.length < all.length) {
    if (live.length === 0) cell.clear();
    else cell.write(live);
  }
  if (reading && ttl.updateOnRead) for (const e of live) stampOf(e).exp = now + ttl.ttl;
  return live;
}

export function mapState<K, V>(table: AnyTable, scope: StateScope, ttl?: StateTtl): MapState<K, V> {
  // Stored as an array of pairs so snapshots are plain JSON and keep insertion order. With a TTL
  // each value is stamped on its own.
  type Stored = V | Stamped<V>;
  const cell = new Cell<[K, Stored][]>(table as StateTable<[K, Stored][]>, scope, undefined);
  const wrap = (v: V): Stored => (ttl === undefined ? v : stamp(v, scope, ttl));
  const unwrap = (s: Stored): V => (ttl === undefined ? (s as V) : (s as Stamped<V>).v);
  const pairs = (reading: boolean): [K, Stored][] =>
    ttl === undefined ? (cell.read() ?? []) : unexpired(cell, scope, ttl, reading, (p) => p[1] as Stamped<unknown>);
  const find = (ps: [K, Stored][], k: K): number => ps.findIndex((p) => Object.is(p[0], k));
  /** The stored value of `k`, its expiry refreshed when reading with updateOnRead. */
  const lookup = (k: K): Stored | undefined => {
    const ps = pairs(false);
    const i = find(ps, k);
    if (i < 0) return undefined;
    const stored = ps[i]![1];
    if (ttl?.updateOnRead) (stored as Stamped<V>).exp = scope.processingTime() + ttl.ttl;
    return stored;
  };
  return {
    get: (k) => {
      const stored = lookup(k);
      return stored === undefined ? undefined : unwrap(stored);
    },
    put: (k, v) => {
      const ps = [...pairs(false)];
      const i = find(ps, k);
      if (i < 0) ps.push([k, wrap(v)]);
      else ps[i] = [k, wrap(v)];
      cell.write(ps);
    },
    remove: (k) => {
      const ps = pairs(false).filter((p) => !Object.is(p[0], k));
      if (ps.length === 0) cell.clear();
      else cell.write(ps);
    },
    contains: (k) => lookup(k) !== undefined,
    entries: () => pairs(true).map(([k, s]) => [k, unwrap(s)] as [K, V]),
    keys: () => pairs(true).map((p) => p[0]),
    values: () => pairs(true).map((p) => unwrap(p[1])),
    isEmpty: () => pairs(true).length === 0,
    clear: () => cell.clear(),
  };
}

export function reducingState<T>(
  table: AnyTable,
  scope: StateScope,
  reduce: (a: T, b: T) => T,
  ttl?: StateTtl,
): ReducingState<T> {
  const cell = new Cell<T>(table as StateTable<T>, scope, ttl);
  return {
    get: () => cell.read(),
    add: (v) => {
      const cur = cell.read();
      cell.write(cur === undefined ? v : reduce(cur, v));
    },
    clear: () => cell.clear(),
  };
}

export function aggregatingState<IN, ACC, OUT>(
  table: AnyTable,
  scope: StateScope,
  fn: AggregateFunction<IN, ACC, OUT>,
  ttl?: StateTtl,
): AggregatingState<IN, OUT> {
  const cell = new Cell<ACC>(table as StateTable<ACC>, scope, ttl);
  return {
    get: () => {
      const acc = cell.read();
      return acc === undefined ? undefined : fn.getResult(acc);
    },
    add: (v) => cell.write(fn.add(v, cell.read() ?? fn.createAccumulator())),
    clear: () => cell.clear(),
  };
}
