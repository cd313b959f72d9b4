// The heap backend's table: (key, window or none) → value in nested maps, with the change
// tracking incremental checkpoints read and the one walk a full snapshot takes into columns.
// Invariant: `size` counts the entries over all namespaces, and while changes are tracked every
// entry set, deleted, or read (a caller may change a value in place) is recorded, so a delta
// snapshot misses nothing.

import type { Key } from '../runtime/record-batch.ts';
import type { Window } from '../windows/window.ts';
import { ColumnFill, EntryColumns, type EntryRow } from './entry-columns.ts';
import type { StateEntry, StateTable } from './state-backend.ts';
import { TableChanges, type EpochClock } from './table-changes.ts';

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

const NONE: readonly never[] = [];

/**
 * Values indexed by window bounds then key (the lookup path: few windows are open at a time,
 * so a lookup costs one key probe), and values without a window by key. A per-key index of
 * entries, which only merging windows need (a key's sessions), is built on first use and kept
 * up to date from then on.
 */
export class HeapStateTable<V> implements StateTable<V> {
  private readonly plain = new Map<Key, V>();
  private readonly byWindow = new Map<number, Map<number, Map<Key, V>>>();
  private byKey: Map<Key, HeapEntry<V>[]> | null = null;
  private count = 0;
  /** What changed since the last completed checkpoint; null while incremental checkpoints are off. */
  changes: TableChanges | null = null;
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
    if (namespace === undefined) {
      const value = this.plain.get(key);
      // A caller may change what it read in place (TTL stamps, buffers): count a read as a change.
      if (this.changes !== null && value !== undefined) this.changes.touch(key);
      return value;
    }
    this.changes?.windowed();
    return this.byWindow.get(namespace.start)?.get(namespace.end)?.get(key);
  }

  set(key: Key, namespace: Window | undefined, value: V): void {
    const index = namespace === undefined ? this.plain : this.windowMap(namespace, true)!;
    const size = index.size;
    index.set(key, value);
    const added = index.size !== size;
    if (added) this.count++;
    const changes = this.changes;
    if (changes !== null) {
      if (namespace !== undefined) changes.windowed();
      else if (added) changes.inserted(key);
      else changes.touch(key);
    }
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
    if (this.changes !== null) {
      if (namespace === undefined) this.changes.deleted(key);
      else this.changes.windowed();
    }
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
    if (this.changes !== null) {
      // Its entries are handed out live: any of them may be changed in place.
      if (this.plain.has(key)) this.changes.touch(key);
      this.changes.windowed();
    }
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

  /**
   * Every entry, straight from the maps (checkpoints), its value as `encode` writes it: entries
   * without a window first, then the window bounds of the rest. One walk of the maps fills the
   * key and value columns (typed while they hold numbers: entry-columns.ts); no array per entry
   * (a checkpoint of 100,000 keys built as many rows here, and the encoder read them apart again).
   */
  snapshotColumns(encode: ((value: V) => unknown) | undefined): EntryColumns {
    const n = this.count;
    const keys = new ColumnFill<Key>(n);
    const values = new ColumnFill<unknown>(n);
    let i = 0;
    if (encode === undefined) {
      this.plain.forEach((value, key) => {
        keys.set(i, key);
        values.set(i++, value);
      });
    } else {
      this.plain.forEach((value, key) => {
        keys.set(i, key);
        values.set(i++, encode(value));
      });
    }
    const plain = i;
    const windows: [number, number][] = [];
    for (const [start, ends] of this.byWindow) {
      for (const [end, m] of ends) {
        const ns: [number, number] = [start, end];
        m.forEach((value, key) => {
          keys.set(i, key);
          values.set(i++, encode === undefined ? value : encode(value));
          windows.push(ns);
        });
      }
    }
    return new EntryColumns(keys.column, values.column, plain, windows);
  }

  /**
   * The table's part of a delta on the state at `baseEpoch`: keys deleted since, keys changed
   * since (in the order of `changes.keyed`), and every windowed entry if any was touched since.
   */
  deltaEntries(baseEpoch: number): { entries: EntryRow[]; deleted: Key[]; windowsKept: boolean } {
    const entries: EntryRow[] = [];
    const deleted: Key[] = [];
    const changes = this.changes!;
    for (const [key, c] of changes.keyed) {
      if (c.mod <= baseEpoch) continue;
      if (c.del > baseEpoch) deleted.push(key);
      const value = this.plain.get(key);
      if (value !== undefined || this.plain.has(key)) entries.push([key, null, value]);
    }
    const windowsKept = changes.windowsTouched <= baseEpoch;
    if (!windowsKept) this.pushWindowed(entries);
    return { entries, deleted, windowsKept };
  }

  /** Entries a delta would write: changed keys, and the windowed entries if any was touched. */
  changedCount(baseEpoch: number): number {
    const changes = this.changes!;
    let n = changes.windowsTouched > baseEpoch ? this.count - this.plain.size : 0;
    for (const c of changes.keyed.values()) if (c.mod > baseEpoch) n++;
    return n;
  }

  private pushWindowed(out: EntryRow[]): void {
    for (const [start, ends] of this.byWindow) {
      for (const [end, m] of ends) {
        const ns: [number, number] = [start, end];
        for (const [key, value] of m) out.push([key, ns, value]);
      }
    }
  }
}
