// A state table's entries as a snapshot takes them: a frozen copy in columns (keys, window
// bounds, values) instead of one [key, window, value] array per entry, so a checkpoint of
// 100,000 keys copies two flat arrays and the encoder writes its typed columns straight from them
// (checkpoint/binary-rows.ts). Invariant: it stands for exactly the rows `rows()` returns, and
// later changes to the table do not reach it (its values are the table's at the take, by
// reference, as an entry list's were: encode them before the job steps again).

import type { Key } from '../runtime/record-batch.ts';

/** One entry of a table as a snapshot lists it: key, window bounds or null, value. */
export type EntryRow = [Key, [number, number] | null, unknown];

/**
 * A table's entries in columns: the first `plain` entries have no window, the rest have the
 * bounds `windows` lists for them, in order. Read it as rows with `rows()`; JSON sees rows too.
 */
export class EntryColumns {
  /**
   * @param keys every entry's key
   * @param values every entry's value (as its codec encodes it), at the same index
   * @param plain how many entries, first, have no window
   * @param windows the bounds of entries `plain`, `plain + 1`, … (arrays shared by the entries of one window)
   */
  constructor(
    readonly keys: readonly Key[],
    readonly values: readonly unknown[],
    readonly plain: number,
    readonly windows: readonly (readonly [number, number])[],
  ) {
    if (values.length !== keys.length || plain + windows.length !== keys.length) {
      throw new RangeError(`entry columns of unequal lengths: ${keys.length} keys, ${values.length} values, ${plain} without a window and ${windows.length} windows`);
    }
  }

  /** Number of entries. */
  get length(): number {
    return this.keys.length;
  }

  /** The window bounds of entry `i`, or null. */
  window(i: number): [number, number] | null {
    return i < this.plain ? null : (this.windows[i - this.plain] as [number, number]);
  }

  /** The entries as rows, built anew on each call (the text fallback, tests, anything reading a snapshot as data). */
  rows(): EntryRow[] {
    const n = this.keys.length;
    const out = new Array<EntryRow>(n);
    for (let i = 0; i < n; i++) out[i] = [this.keys[i]!, this.window(i), this.values[i]];
    return out;
  }

  /** JSON.stringify writes the rows this stands for (the snapshot codec swaps them in itself, to mark non-finite numbers). */
  toJSON(): EntryRow[] {
    return this.rows();
  }
}
