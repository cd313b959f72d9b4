// A state table's entries as a snapshot takes them: a frozen copy in columns (keys, window
// bounds, values) instead of one [key, window, value] array per entry. A column of numbers is
// taken straight into a typed array (Int32Array while every number is an int32, else
// Float64Array), so a checkpoint of 100,000 keys walks its maps once and the encoder copies
// typed columns into its chunks (checkpoint/binary-rows.ts). Invariant: it stands for exactly the
// rows `rows()` returns, and later changes to the table do not reach it (values that are objects
// are the table's at the take, by reference, as an entry list's were: encode them before the
// job steps again).

import type { Key } from '../runtime/record-batch.ts';

/** One entry of a table as a snapshot lists it: key, window bounds or null, value. */
export type EntryRow = [Key, [number, number] | null, unknown];

/** A column of entries: typed when all its values are numbers, plain values otherwise. */
export type EntryColumn<T> = Int32Array | Float64Array | readonly T[];

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
    readonly keys: EntryColumn<Key>,
    readonly values: EntryColumn<unknown>,
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

/**
 * Fills a column of `n` values by index, in order: into an Int32Array while every value is an
 * int32, a Float64Array while every one is a number, then a plain array (what came so far is
 * copied over once, when a value first does not fit).
 */
export class ColumnFill<T> {
  private ints: Int32Array | null;
  private doubles: Float64Array | null = null;
  private values: T[] | null = null;

  constructor(private readonly n: number) {
    this.ints = new Int32Array(n);
  }

  /** Sets value `i` (every index below it set already). */
  set(i: number, x: T): void {
    const ints = this.ints;
    if (ints !== null) {
      // As the binary format decides a column's kind: `(x | 0) === x` (so -0 is an int, written 0, as JSON writes it).
      if (typeof x === 'number' && (x | 0) === x) ints[i] = x;
      else this.widen(i, x);
      return;
    }
    const doubles = this.doubles;
    if (doubles !== null) {
      if (typeof x === 'number') doubles[i] = x;
      else this.widen(i, x);
      return;
    }
    this.values![i] = x;
  }

  /** The column filled so far (all `n` values once each was set). */
  get column(): EntryColumn<T> {
    return this.ints ?? this.doubles ?? this.values!;
  }

  private widen(i: number, x: T): void {
    const from = (this.ints ?? this.doubles)!;
    if (this.ints !== null && typeof x === 'number') {
      const doubles = new Float64Array(this.n);
      for (let j = 0; j < i; j++) doubles[j] = from[j]!;
      doubles[i] = x;
      this.doubles = doubles;
    } else {
      const values = new Array<T>(this.n);
      for (let j = 0; j < i; j++) values[j] = from[j] as T;
      values[i] = x;
      this.values = values;
      this.doubles = null;
    }
    this.ints = null;
  }
}
