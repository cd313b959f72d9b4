// Records travel between operators in batches stored column-wise, so the per-record path
// allocates nothing but the user's own values. A batch is immutable once it has been sent.

import type { EventTime } from '../time/time.ts';
import type { PaneInfo } from '../windows/pane-info.ts';
import type { Window } from '../windows/window.ts';

/** A key that records are partitioned and grouped by. */
export type Key = string | number;

/** The window and pane a record came out of, when it is the output of a window. */
export interface WindowedMeta {
  readonly window: Window;
  readonly pane: PaneInfo;
  /** Accumulating-and-retracting mode: this record withdraws an earlier result of the window. */
  readonly retraction?: boolean;
}

/** A column-oriented batch of records. */
export class RecordBatch<T = unknown> {
  values: T[] = [];
  timestamps: number[] = [];
  /** Present once the batch has crossed a keyBy (or comes out of a keyed operator). */
  keys: Key[] | null = null;
  /** Present when the records are window outputs (Beam keeps window and pane on a value). */
  meta: (WindowedMeta | undefined)[] | null = null;

  get length(): number {
    return this.values.length;
  }

  push(value: T, timestamp: EventTime | number, key?: Key, meta?: WindowedMeta): void {
    const i = this.values.length;
    this.values.push(value);
    this.timestamps.push(timestamp);
    if (key !== undefined) {
      if (this.keys === null) this.keys = new Array<Key>(i);
      this.keys.push(key);
    } else if (this.keys !== null) {
      this.keys.length = i + 1;
    }
    if (meta !== undefined) {
      if (this.meta === null) this.meta = new Array<WindowedMeta | undefined>(i);
      this.meta.push(meta);
    } else if (this.meta !== null) {
      this.meta.length = i + 1;
    }
  }
}
