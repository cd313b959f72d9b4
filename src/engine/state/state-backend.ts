// The keyed state backend interface and its in-memory implementation (its tables:
// heap-state-table.ts). State is organised as named tables of (key, namespace) → value, where
// the namespace is a window or none, as in Flink's heap backend. A durable backend implements the
// same interface. With incremental checkpoints on, the heap backend records what changed
// (table-changes.ts) and snapshots a delta on its newest completed checkpoint when that pays
// (incremental-policy.ts).

import type { Key } from '../runtime/record-batch.ts';
import type { Window } from '../windows/window.ts';
import type { EntryColumns, EntryRow } from './entry-columns.ts';
import { HeapStateTable } from './heap-state-table.ts';
import { chooseSnapshot, type IncrementalPolicy } from './incremental-policy.ts';
import { TableChanges, type EpochClock } from './table-changes.ts';

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

/**
 * A snapshot of a backend as read back (decoded): per table, its entries as [key, window bounds
 * or null, value]. A delta (incremental checkpoints, state-delta.ts) lists every table, with
 * `deleted` keys and changed entries, and `windowsKept` when its windowed entries are those of the base.
 */
export type StateSnapshot = {
  readonly table: string;
  readonly entries: EntryRow[];
  readonly deleted?: Key[];
  readonly windowsKept?: true;
}[];

/**
 * A snapshot of a backend as taken (`KeyedStateBackend.snapshot`): a full table's entries as a
 * frozen columnar copy (entry-columns.ts), a delta's as rows. Encoded, it is the text of a
 * StateSnapshot, and it decodes as one; only the snapshot codec and tests read it as it is.
 */
export type TakenStateSnapshot = {
  readonly table: string;
  readonly entries: EntryRow[] | EntryColumns;
  readonly deleted?: Key[];
  readonly windowsKept?: true;
}[];

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
  /** Every table's entries, for a checkpoint (a copy of the tables, but values are live: encode them at once). */
  snapshot(checkpointId?: number): TakenStateSnapshot;
  /** Replaces all state with a snapshot's (on a fresh backend, before the job runs). */
  restore(snapshot: StateSnapshot): void;
  /** The table called `name`, created empty on first use. */
  table<V>(name: string, codec?: StateCodec<V>): StateTable<V>;
  /** All tables, for snapshots and the state inspector. */
  tables(): IterableIterator<StateTable<unknown>>;
  /** Number of entries over all tables. */
  entryCount(): number;
  /**
   * Incremental checkpoints: from now on, record what changes, and let `snapshot(checkpointId)`
   * return a delta on the newest completed checkpoint when `policy` says it pays.
   */
  trackChanges?(policy: IncrementalPolicy): void;
  /** The checkpoint the snapshot for `checkpointId` is a delta on; undefined for a full one. */
  deltaBase?(checkpointId: number): number | undefined;
  /** Checkpoint `checkpointId` is durable: later deltas build on it. */
  notifyCheckpointComplete?(checkpointId: number): void;
}

/** A snapshot taken for a checkpoint while tracking: when, and what it builds on. */
interface Taken {
  readonly epoch: number;
  /** The checkpoint it is a delta on; undefined for a full snapshot. */
  readonly base: number | undefined;
  /** Deltas from the last full snapshot to this one (0 for a full one). */
  readonly deltas: number;
}

/**
 * Incremental checkpoints of one backend.
 * - **State**: the epoch (snapshots taken so far), the newest completed checkpoint (the base of
 *   the next delta) and the snapshots taken whose checkpoints have not completed yet.
 * - **Lifetime**: from `trackChanges` on; a restored backend starts without a base, so its first
 *   checkpoint is full (it cannot know whether the chain it was restored from is still stored).
 */
interface Tracking {
  readonly policy: IncrementalPolicy;
  readonly clock: EpochClock;
  base: { readonly checkpointId: number; readonly epoch: number; readonly deltas: number } | null;
  readonly taken: Map<number, Taken>;
}

/** Keeps all state in memory; it is lost when the engine instance is discarded. */
export class HeapKeyedStateBackend implements KeyedStateBackend {
  private readonly byName = new Map<string, StateTable<unknown>>();

  private readonly codecs = new Map<string, StateCodec<unknown>>();

  private tracking: Tracking | null = null;

  table<V>(name: string, codec?: StateCodec<V>): StateTable<V> {
    let t = this.byName.get(name);
    if (t === undefined) {
      const table = new HeapStateTable<unknown>(name);
      if (this.tracking !== null) table.changes = new TableChanges(this.tracking.clock);
      this.byName.set(name, (t = table));
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

  trackChanges(policy: IncrementalPolicy): void {
    if (this.tracking !== null) return;
    const clock: EpochClock = { epoch: 0 };
    this.tracking = { policy, clock, base: null, taken: new Map() };
    for (const t of this.byName.values()) (t as HeapStateTable<unknown>).changes = new TableChanges(clock);
  }

  /**
   * Every table's entries (a full snapshot), or, for a checkpoint while tracking changes, a delta
   * on the newest completed checkpoint when the incremental policy says it pays.
   */
  snapshot(checkpointId?: number): TakenStateSnapshot {
    const t = this.tracking;
    if (t === null || checkpointId === undefined) return this.fullSnapshot();
    const epoch = t.clock.epoch++;
    const base = t.base;
    const changed = base === null ? 0 : this.heapTables().reduce((n, table) => n + table.changedCount(base.epoch), 0);
    if (base === null || checkpointId <= base.checkpointId || chooseSnapshot(t.policy, base.deltas, changed, this.entryCount()) === 'full') {
      t.taken.set(checkpointId, { epoch, base: undefined, deltas: 0 });
      return this.fullSnapshot();
    }
    t.taken.set(checkpointId, { epoch, base: base.checkpointId, deltas: base.deltas + 1 });
    return this.heapTables().map((table) => {
      const d = table.deltaEntries(base.epoch);
      const codec = this.codecs.get(table.name);
      if (codec !== undefined) for (const e of d.entries) e[2] = codec.encode(e[2]);
      return { table: table.name, entries: d.entries, deleted: d.deleted, ...(d.windowsKept ? { windowsKept: true as const } : {}) };
    });
  }

  deltaBase(checkpointId: number): number | undefined {
    return this.tracking?.taken.get(checkpointId)?.base;
  }

  notifyCheckpointComplete(checkpointId: number): void {
    const t = this.tracking;
    const done = t?.taken.get(checkpointId);
    if (t === null || done === undefined) return;
    if (t.base === null || done.epoch > t.base.epoch) {
      t.base = { checkpointId, epoch: done.epoch, deltas: done.deltas };
      for (const table of this.heapTables()) table.changes!.dropUpTo(done.epoch);
    }
    for (const [id, taken] of t.taken) if (taken.epoch <= done.epoch) t.taken.delete(id);
  }

  private heapTables(): HeapStateTable<unknown>[] {
    return [...this.byName.values()] as HeapStateTable<unknown>[];
  }

  private fullSnapshot(): TakenStateSnapshot {
    const out: { table: string; entries: EntryColumns }[] = [];
    for (const t of this.byName.values()) {
      if (t.size === 0) continue;
      const codec = this.codecs.get(t.name);
      out.push({ table: t.name, entries: (t as HeapStateTable<unknown>).snapshotColumns(codec === undefined ? undefined : (v) => codec.encode(v)) });
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
