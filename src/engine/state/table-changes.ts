// Which entries of one state table changed since the base of the next incremental checkpoint
// (the newest checkpoint this subtask knows completed), so a delta writes only those
// (docs/durability.md, "Incremental checkpoints"). Keyed entries without a namespace are tracked
// one by one; entries scoped to a window are tracked as one flag for the whole windowed section:
// panes are short-lived (they die when their window fires) and are mutated in place by the
// window operator, so most of them change between two checkpoints anyway.
//
// Invariants: every entry read, written or deleted since the base is recorded, a read too
// (callers may mutate a value they read, as TTL refreshes and interval-join buffers do);
// records are stamped with the epoch (the number of snapshots taken before) of their last change,
// so records up to a completed checkpoint's epoch can be dropped; a key inserted (new, or again
// after a delete) moves to the end of `keyed`, so among inserted keys `keyed` is in the order the
// live table's Map holds them, which is what lets a delta rebuild the exact same order.

import type { Key } from '../runtime/record-batch.ts';

/** What happened to a key since the base. */
export interface KeyChange {
  /** Epoch of the last read, write or delete. */
  mod: number;
  /** Epoch of the last delete; -1 if it was never deleted since it was first recorded. */
  del: number;
}

/** Shared by every table of a backend: the epoch changes are stamped with now. */
export interface EpochClock {
  epoch: number;
}

/**
 * The changes of one table. Lifetime: from the table's creation (or the moment the backend
 * started tracking) until the backend drops them once a checkpoint covering them completed.
 */
export class TableChanges {
  /** Keys (no namespace) touched since the base, inserted ones in order of their last insertion. */
  readonly keyed = new Map<Key, KeyChange>();
  /** Epoch of the last access to any windowed entry; -1 if none since the base. */
  windowsTouched = -1;

  constructor(private readonly clock: EpochClock) {}

  /** `key` was read or updated in place. */
  touch(key: Key): void {
    const c = this.keyed.get(key);
    if (c === undefined) this.keyed.set(key, { mod: this.clock.epoch, del: -1 });
    else c.mod = this.clock.epoch;
  }

  /** `key` was inserted (it was not in the table): it moves to the end, as in the table's Map. */
  inserted(key: Key): void {
    const c = this.keyed.get(key);
    if (c !== undefined) this.keyed.delete(key);
    this.keyed.set(key, { mod: this.clock.epoch, del: c?.del ?? -1 });
  }

  /** `key` was deleted. */
  deleted(key: Key): void {
    const epoch = this.clock.epoch;
    const c = this.keyed.get(key);
    if (c === undefined) this.keyed.set(key, { mod: epoch, del: epoch });
    else c.mod = c.del = epoch;
  }

  /** A windowed entry was read, written or deleted. */
  windowed(): void {
    this.windowsTouched = this.clock.epoch;
  }

  /** Forgets what a completed checkpoint taken at `epoch` already holds. */
  dropUpTo(epoch: number): void {
    for (const [key, c] of this.keyed) if (c.mod <= epoch) this.keyed.delete(key);
    if (this.windowsTouched <= epoch) this.windowsTouched = -1;
  }
}
