// The keyed state backend interface and its in-memory implementation. State is organised as
// named tables of (key, namespace) → value, where the namespace is a window or none, as in
// Flink's heap backend. A durable backend implements the same interface.

import type { Key } from '../runtime/record-batch.ts';
import type { Window } from '../windows/window.ts';

/** One entry of a state table. */
export interface StateEntry<V> {
  readonly key: Key;
  readonly namespace: Window | undefined;
  value: V;
}

/**
 * A heap entry keeps its window bounds inline: a lookup then compares numbers in the entry
 * itself instead of following a pointer to the window (the cache miss dominated profiles).
 */
class HeapEntry<V> implements StateEntry<V> {
  readonly start: number;
  readonly end: number;
  constructor(
    readonly key: Key,
    readonly namespace: Window | undefined,
    public value: V,
  ) {
    this.start = namespace === undefined ? Number.NaN : namespace.start;
    this.end = namespace === undefined ? Number.NaN : namespace.end;
  }
  matches(ns: Window | undefined): boolean {
    return ns === undefined ? this.namespace === undefined : this.start === ns.start && this.end === ns.end;
  }
}

/** A named table of keyed (and optionally window-scoped) state. */
export interface StateTable<V> {
  readonly name: string;
  get(key: Key, namespace?: Window): V | undefined;
  set(key: Key, namespace: Window | undefined, value: V): void;
  delete(key: Key, namespace?: Window): void;
  /** Every entry, keys in first-insertion order. */
  entries(): IterableIterator<StateEntry<V>>;
  /** The entries of one key (every namespace), oldest first. */
  entriesOf(key: Key): readonly StateEntry<V>[];
  readonly size: number;
}

/** A snapshot of a backend: per table, its entries as [key, window bounds or null, value]. */
export type StateSnapshot = { readonly table: string; readonly entries: [Key, [number, number] | null, unknown][] }[];

/**
 * How a table's values look in a snapshot, when not as they are: an operator that keeps large,
 * regular values (window panes) writes them positionally, and leaves out what the entry's
 * namespace already says. Plain JSON-compatible values need no codec.
 */
export interface StateCodec<V> {
  encode(value: V): unknown;
  decode(encoded: unknown, namespace: Window | undefined): V;
}

/** Where an operator's keyed state lives. */
export interface KeyedStateBackend {
  /** Every table's entries, for a checkpoint (values are live: encode them at once). */
  snapshot(): StateSnapshot;
  /** Replaces all state with a snapshot's (on a fresh backend, before the job runs). */
  restore(snapshot: StateSnapshot): void;
  /** The table called `name`, created empty on first use. */
  table<V>(name: string, codec?: StateCodec<V>): StateTable<V>;
  /** All tables, for snapshots and the state inspector. */
  tables(): IterableIterator<StateTable<unknown>>;
  /** Number of entries over all tables. */
  entryCount(): number;
}

const NONE: readonly never[] = [];

/**
 * Values indexed by window bounds then key (the lookup path: few windows are open at a time,
 * so a lookup costs one key probe), and values without a window by key. A per-key index of
 * entries, which only merging windows need (a key's sessions), is built on first use and kept
 * up to date from then on.
 */
class HeapStateTable<V> implements StateTable<V> {
  private readonly plain = new Map<Key, V>();
  private readonly byWindow = new Map<number, Map<number, Map<Key, V>>>();
  private byKey: Map<Key, HeapEntry<V>[]> | null = null;
  private count = 0;
  constructor(readonly name: string) {}

  private windowMap(ns: Window, create: boolean): Map<Key, V> | undefined {
    let ends = this.byWindow.get(ns.start);
    if (ends === undefined) {
      if (!create) return undefined;
      ends = new Map();
      this.byWindow.set(ns.start, ends);
    }
    let m = ends.get(ns.end);
    if (m === undefined && create) {
      m = new Map();
      ends.set(ns.end, m);
    }
    return m;
  }

  get(key: Key, namespace?: Window): V | undefined {
    if (namespace === undefined) return this.plain.get(key);
    return this.byWindow.get(namespace.start)?.get(namespace.end)?.get(key);
  }

  set(key: Key, namespace: Window | undefined, value: V): void {
    const index = namespace === undefined ? this.plain : this.windowMap(namespace, true)!;
    const size = index.size;
    index.set(key, value);
    const added = index.size !== size;
    if (added) this.count++;
    const byKey = this.byKey;
    if (byKey === null) return;
    let list = byKey.get(key);
    if (list === undefined) {
      list = [];
      byKey.set(key, list);
    }
    if (added) list.push(new HeapEntry(key, namespace, value));
    else for (const e of list) if (e.matches(namespace)) e.value = value;
  }

  delete(key: Key, namespace?: Window): void {
    const index = namespace === undefined ? this.plain : this.windowMap(namespace, false);
    if (index === undefined || !index.delete(key)) return;
    this.count--;
    if (namespace !== undefined && index.size === 0) {
      const ends = this.byWindow.get(namespace.start)!;
      ends.delete(namespace.end);
      if (ends.size === 0) this.byWindow.delete(namespace.start);
    }
    const list = this.byKey?.get(key);
    if (list === undefined) return;
    for (let i = 0; i < list.length; i++) {
      if (list[i]!.matches(namespace)) {
        list.splice(i, 1);
        if (list.length === 0) this.byKey!.delete(key);
        return;
      }
    }
  }

  entriesOf(key: Key): readonly StateEntry<V>[] {
    if (this.byKey === null) {
      const byKey = new Map<Key, HeapEntry<V>[]>();
      for (const e of this.entries()) {
        let list = byKey.get(e.key);
        if (list === undefined) {
          list = [];
          byKey.set(e.key, list);
        }
        list.push(e as HeapEntry<V>);
      }
      this.byKey = byKey;
    }
    return this.byKey.get(key) ?? NONE;
  }

  *entries(): IterableIterator<StateEntry<V>> {
    if (this.byKey !== null) {
      for (const list of this.byKey.values()) yield* list;
      return;
    }
    for (const [key, value] of this.plain) yield new HeapEntry(key, undefined, value);
    for (const [start, ends] of this.byWindow) {
      for (const [end, m] of ends) {
        const ns: Window = { start, end };
        for (const [key, value] of m) yield new HeapEntry(key, ns, value);
      }
    }
  }

  get size(): number {
    return this.count;
  }

  /** Every entry as [key, window bounds or null, value], straight from the maps (checkpoints). */
  snapshotEntries(): [Key, [number, number] | null, unknown][] {
    const out: [Key, [number, number] | null, unknown][] = [];
    for (const [key, value] of this.plain) out.push([key, null, value]);
    for (const [start, ends] of this.byWindow) {
      for (const [end, m] of ends) {
        const ns: [number, number] = [start, end];
        for (const [key, value] of m) out.push([key, ns, value]);
      }
    }
    return out;
  }
}

/** Keeps all state in memory; it is lost when the engine instance is discarded. */
export class HeapKeyedStateBackend implements KeyedStateBackend {
  private readonly byName = new Map<string, StateTable<unknown>>();

  private readonly codecs = new Map<string, StateCodec<unknown>>();

  table<V>(name: string, codec?: StateCodec<V>): StateTable<V> {
    let t = this.byName.get(name);
    if (t === undefined) {
      t = new HeapStateTable<unknown>(name);
      this.byName.set(name, t);
    }
    if (codec !== undefined) this.codecs.set(name, codec as StateCodec<unknown>);
    return t as StateTable<V>;
  }

  tables(): IterableIterator<StateTable<unknown>> {
    return this.byName.values();
  }

  entryCount(): number {
    let n = 0;
    for (const t of this.byName.values()) n += t.size;
    return n;
  }

  snapshot(): StateSnapshot {
    const out: { table: string; entries: [Key, [number, number] | null, unknown][] }[] = [];
    for (const t of this.byName.values()) {
      const entries = (t as HeapStateTable<unknown>).snapshotEntries();
      const codec = this.codecs.get(t.name);
      if (codec !== undefined) for (const e of entries) e[2] = codec.encode(e[2]);
      if (entries.length > 0) out.push({ table: t.name, entries });
    }
    return out;
  }

  restore(snapshot: StateSnapshot): void {
    for (const { table, entries } of snapshot) {
      const t = this.table<unknown>(table);
      const codec = this.codecs.get(table);
      for (const [key, ns, value] of entries) {
        const namespace = ns === null ? undefined : { start: ns[0], end: ns[1] };
        t.set(key, namespace, codec === undefined ? value : codec.decode(value, namespace));
      }
    }
  }
}
