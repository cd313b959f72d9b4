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

/** Where an operator's keyed state lives. */
export interface KeyedStateBackend {
  /** The table called `name`, created empty on first use. */
  table<V>(name: string): StateTable<V>;
  /** All tables, for snapshots and the state inspector. */
  tables(): IterableIterator<StateTable<unknown>>;
  /** Number of entries over all tables. */
  entryCount(): number;
}

function sameNamespace(a: Window | undefined, b: Window | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return a.start === b.start && a.end === b.end;
}

const NONE: readonly never[] = [];

class HeapStateTable<V> implements StateTable<V> {
  private readonly byKey = new Map<Key, StateEntry<V>[]>();
  private count = 0;
  constructor(readonly name: string) {}

  get(key: Key, namespace?: Window): V | undefined {
    const list = this.byKey.get(key);
    if (list === undefined) return undefined;
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      if (sameNamespace(e.namespace, namespace)) return e.value;
    }
    return undefined;
  }

  set(key: Key, namespace: Window | undefined, value: V): void {
    let list = this.byKey.get(key);
    if (list === undefined) {
      list = [];
      this.byKey.set(key, list);
    }
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      if (sameNamespace(e.namespace, namespace)) {
        e.value = value;
        return;
      }
    }
    list.push({ key, namespace, value });
    this.count++;
  }

  delete(key: Key, namespace?: Window): void {
    const list = this.byKey.get(key);
    if (list === undefined) return;
    for (let i = 0; i < list.length; i++) {
      if (sameNamespace(list[i]!.namespace, namespace)) {
        list.splice(i, 1);
        this.count--;
        if (list.length === 0) this.byKey.delete(key);
        return;
      }
    }
  }

  entriesOf(key: Key): readonly StateEntry<V>[] {
    return this.byKey.get(key) ?? NONE;
  }

  *entries(): IterableIterator<StateEntry<V>> {
    for (const list of this.byKey.values()) yield* list;
  }

  get size(): number {
    return this.count;
  }
}

/** Keeps all state in memory; it is lost when the engine instance is discarded. */
export class HeapKeyedStateBackend implements KeyedStateBackend {
  private readonly byName = new Map<string, StateTable<unknown>>();

  table<V>(name: string): StateTable<V> {
    let t = this.byName.get(name);
    if (t === undefined) {
      t = new HeapStateTable<unknown>(name);
      this.byName.set(name, t);
    }
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
}
