// The orders the state inspector lists things in: keys by a numeric-aware collator, timers
// soonest first, windows by operator, key and start. Invariant: each order is total over what
// makes an item distinct (its id), so a list kept sorted by merging in what changed equals one
// sorted from scratch, whatever order the items came in.

import type { Key } from '../../engine/runtime/record-batch.ts';
import type { Window } from '../../engine/windows/window.ts';
import type { TimerChange } from '../run-model.ts';

/** A key as text that tells a string key from a number key ('' for no key). */
export const keyText = (k: Key | undefined): string => (k === undefined ? '' : typeof k === 'string' ? `s:${k}` : `n:${k}`);

/** A key as the collator compares it. */
export const keyString = (x: { readonly key: Key | undefined }): string => String(x.key ?? '');

// One collator for every comparison: localeCompare with options builds a collator per call,
// which made sorting a thousand keys take most of a frame.
export const keyCollator = new Intl.Collator('en', { numeric: true });
const byLocale = (a: string, b: string): number => a.localeCompare(b);

/** Code-unit order: the last word between strings a collator calls equal. */
const raw = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The number a string of decimal digits (no leading zero, at most 15 digits) stands for, else
 * NaN. The key collator orders such strings as their numbers (it is numeric-aware), so two of
 * them are compared as numbers: ranking a thousand numeric keys through the collator took tens
 * of milliseconds in a cold page.
 */
export function plainInteger(s: string): number {
  return s.length <= 15 && /^(?:0|[1-9][0-9]*)$/.test(s) ? Number(s) : Number.NaN;
}

/**
 * `ranks`, kept across calls: the keys of a run are mostly the same from one draw to the next,
 * so only the strings not seen before are sorted, and put in place among the others by binary
 * search. Ranks over a superset keep the order (and the ties) of any subset.
 * - State: the distinct strings seen in order, whether each ties with the one before, and their
 *   ranks (a new map whenever a string came). Lifetime: as long as its owner (a model's view).
 */
export class StringRanks {
  private rank = new Map<string, number>();
  private sorted: string[] = [];
  /** `numberOf` of each of `sorted` (NaN: compared by `compare`). */
  private numbers: number[] = [];
  /** Whether each of `sorted` ties with the one before it. */
  private tied: boolean[] = [];

  /**
   * @param compare The order.
   * @param numberOf A number for strings that `compare` orders as numbers (NaN for the others),
   *   compared as numbers when both have one.
   */
  constructor(
    private readonly compare: (a: string, b: string) => number,
    private readonly numberOf?: (s: string) => number,
  ) {}

  /** A rank for each of `strings`, in `compare`'s order. */
  of(strings: Iterable<string>): ReadonlyMap<string, number> {
    let unseen: Set<string> | undefined;
    for (const s of strings) if (!this.rank.has(s)) (unseen ??= new Set()).add(s);
    if (unseen) this.insert([...unseen]);
    return this.rank;
  }

  private order(a: string, x: number, b: string, y: number): number {
    return x === x && y === y ? x - y : this.compare(a, b);
  }

  /** Puts `fresh` (none seen before) in place and ranks every string again. */
  private insert(fresh: string[]): void {
    const numberOf = this.numberOf;
    const freshNumbers = fresh.map((s) => (numberOf ? numberOf(s) : Number.NaN));
    const index = Array.from({ length: fresh.length }, (_, i) => i).sort((i, j) => this.order(fresh[i]!, freshNumbers[i]!, fresh[j]!, freshNumbers[j]!));
    const { sorted, numbers, tied } = this;
    const outSorted: string[] = [];
    const outNumbers: number[] = [];
    const outTied: boolean[] = [];
    const push = (s: string, x: number, tie: boolean) => {
      outSorted.push(s);
      outNumbers.push(x);
      outTied.push(tie);
    };
    // The last string pushed, new or not: a kept string after a new one ties with it afresh.
    let lastNew = false;
    let i = 0;
    for (const k of index) {
      const s = fresh[k]!;
      const x = freshNumbers[k]!;
      let lo = i;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.order(sorted[mid]!, numbers[mid]!, s, x) <= 0) lo = mid + 1;
        else hi = mid;
      }
      for (; i < lo; i++) {
        const n = outSorted.length;
        push(sorted[i]!, numbers[i]!, lastNew ? this.order(outSorted[n - 1]!, outNumbers[n - 1]!, sorted[i]!, numbers[i]!) === 0 : n > 0 && tied[i]!);
        lastNew = false;
      }
      const n = outSorted.length;
      push(s, x, n > 0 && this.order(outSorted[n - 1]!, outNumbers[n - 1]!, s, x) === 0);
      lastNew = true;
    }
    for (; i < sorted.length; i++) {
      const n = outSorted.length;
      push(sorted[i]!, numbers[i]!, lastNew ? this.order(outSorted[n - 1]!, outNumbers[n - 1]!, sorted[i]!, numbers[i]!) === 0 : n > 0 && tied[i]!);
      lastNew = false;
    }
    const rank = new Map<string, number>();
    let r = 0;
    for (let j = 0; j < outSorted.length; j++) {
      if (j > 0 && !outTied[j]) r++;
      rank.set(outSorted[j]!, r);
    }
    this.sorted = outSorted;
    this.numbers = outNumbers;
    this.tied = outTied;
    this.rank = rank;
  }
}

/** Rankers for keys (by the key collator) and for operator names and domains (by locale). */
export interface TimerOrder {
  readonly keys: StringRanks;
  readonly names: StringRanks;
}

export const freshOrder = (): TimerOrder => ({ keys: new StringRanks(keyCollator.compare, plainInteger), names: new StringRanks(byLocale) });

/** What the timer order reads of a timer: what identifies it in the trace. */
export type OrderedTimer = Pick<TimerChange, 'operator' | 'subtask' | 'key' | 'domain' | 'time' | 'window'>;

/** What the window order reads of an open window: its fields and its soonest timer's time and domain. */
export interface OrderedWindow {
  readonly operator: string;
  readonly subtask: number;
  readonly key: Key | undefined;
  readonly window: Window;
  readonly soonest: { readonly time: number; readonly domain: 'eventTime' | 'processingTime' };
}

/** Whether timer `a` comes before `b` of the same window (by time, then event time first). */
export const sooner = (a: OrderedWindow['soonest'], b: OrderedWindow['soonest']): boolean => a.time < b.time || (a.time === b.time && a.domain === 'eventTime' && b.domain !== 'eventTime');

function compareWindowsOf(a: Window | undefined, b: Window | undefined): number {
  if (a === undefined || b === undefined) return (a === undefined ? 0 : 1) - (b === undefined ? 0 : 1);
  return a.start - b.start || a.end - b.end;
}

/** Ties of the ranked fields: the raw texts and the window, which keep the order total. */
export function timerTie(a: OrderedTimer, b: OrderedTimer): number {
  return raw(keyText(a.key), keyText(b.key)) || raw(a.operator, b.operator) || compareWindowsOf(a.window, b.window);
}

/** Ranks of keys and of operator names and domains, for the comparators. */
export interface Ranked {
  readonly keys: ReadonlyMap<string, number>;
  readonly names: ReadonlyMap<string, number>;
}

/** Ranks every key, operator and domain of `items`; the maps returned rank all seen before too. */
export function rankAll(order: TimerOrder, items: readonly (OrderedTimer | OrderedWindow)[]): Ranked {
  const keys = order.keys.of(items.map(keyString));
  const names = order.names.of(['eventTime', 'processingTime', ...new Set(items.map((t) => t.operator))]);
  return { keys, names };
}

/**
 * A total order read as numbers: `fields` numbers per item (compared in turn), then `tie` for
 * items equal in all of them. Sorting and merging read each item's numbers once into a typed
 * array, not at each of the thousands of comparisons (map lookups per comparison were most of
 * the cost of following a run's timers).
 */
export interface NumericOrder<T> {
  readonly fields: number;
  /** Writes `x`'s numbers into `out` from `at`. */
  write(x: T, out: Float64Array, at: number): void;
  tie(a: T, b: T): number;
}

/** The timer order (soonest first, then domain, operator, subtask, key, then the ties) by the ranks of `rankAll` over every timer compared. */
export function timerOrder({ keys, names }: Ranked): NumericOrder<OrderedTimer> {
  return {
    fields: 5,
    write(t, out, at) {
      out[at] = t.time;
      out[at + 1] = names.get(t.domain)!;
      out[at + 2] = names.get(t.operator)!;
      out[at + 3] = t.subtask;
      out[at + 4] = keys.get(keyString(t))!;
    },
    tie: timerTie,
  };
}

/**
 * The window order by the ranks of `rankAll` over every window compared: operator, key and start,
 * then windows alike in those by their soonest timer (the order they first come in the timer
 * list), subtask, the raw texts and end.
 */
export function windowOrder({ keys, names }: Ranked): NumericOrder<OrderedWindow> {
  return {
    fields: 6,
    write(w, out, at) {
      out[at] = names.get(w.operator)!;
      out[at + 1] = keys.get(keyString(w))!;
      out[at + 2] = w.window.start;
      out[at + 3] = w.soonest.time;
      out[at + 4] = names.get(w.soonest.domain)!;
      out[at + 5] = w.subtask;
    },
    tie: (a, b) => raw(keyText(a.key), keyText(b.key)) || raw(a.operator, b.operator) || a.window.end - b.window.end,
  };
}

/** Keys of a state table by the key collator (then the raw text). */
export function compareKeys(a: { readonly key: Key | undefined }, b: { readonly key: Key | undefined }): number {
  return keyCollator.compare(keyString(a), keyString(b)) || raw(keyText(a.key), keyText(b.key));
}

/** The key order of `compareKeys` by the ranks of the key collator (every key compared ranked first). */
export function keyOrder(keys: ReadonlyMap<string, number>): NumericOrder<{ readonly key: Key | undefined }> {
  return {
    fields: 1,
    write(x, out, at) {
      out[at] = keys.get(keyString(x))!;
    },
    tie: (a, b) => raw(keyText(a.key), keyText(b.key)),
  };
}

/** Reads `items`' numbers and compares two of them by index. */
function numbersOf<T extends U, U>(items: readonly T[], order: NumericOrder<U>): { values: Float64Array; compare: (i: number, j: number) => number } {
  const f = order.fields;
  const values = new Float64Array(items.length * f);
  for (let i = 0; i < items.length; i++) order.write(items[i]!, values, i * f);
  return {
    values,
    compare(i, j) {
      for (let k = 0; k < f; k++) {
        const d = values[i * f + k]! - values[j * f + k]!;
        if (d !== 0) return d;
      }
      return order.tie(items[i]!, items[j]!);
    },
  };
}

/** `items` sorted in `order`. */
export function sortBy<T extends U, U>(items: readonly T[], order: NumericOrder<U>): T[] {
  const { compare } = numbersOf(items, order);
  return Array.from({ length: items.length }, (_, i) => i)
    .sort(compare)
    .map((i) => items[i]!);
}

/** Sorts `list` in the timer order (see `timerOrder`). */
export function sortTimerList<T extends OrderedTimer>(list: readonly T[], order: TimerOrder): T[] {
  return sortBy(list, timerOrder(rankAll(order, list)));
}

/**
 * A list kept sorted in a numeric order by merging in what changed: each item's numbers are
 * read once, when it comes, and kept beside it while the ranks they were read with stay valid
 * (ranks are read again only after a new key or operator came). Every merge makes a new array,
 * so a list handed out earlier is never changed.
 * - State: the items in order and their numbers. Lifetime: its owner's (reset with `clear`).
 */
export class SortedList<T> {
  private list: T[] = [];
  private values = new Float64Array(0);
  private ranks: readonly unknown[] = [];

  /** The items in order (do not change it; a merge replaces it). */
  get items(): readonly T[] {
    return this.list;
  }

  clear(): void {
    this.list = [];
    this.values = new Float64Array(0);
    this.ranks = [];
  }

  /**
   * Drops `removed`, adds `added` (any order; those also in `removed` are left out). `ranks` are
   * the maps `order` reads ranks from: when one is not the same object as last time, every
   * item's numbers are read again.
   * @example timers.merge(gone, fresh, timerOrder(ranked), [ranked.keys, ranked.names])
   */
  merge(removed: ReadonlySet<T>, added: readonly T[], order: NumericOrder<T>, ranks: readonly unknown[]): void {
    const f = order.fields;
    const fresh = added.filter((x) => !removed.has(x));
    const list: T[] = [];
    // The kept items, with their numbers (read again when the ranks changed).
    const reread = ranks.length !== this.ranks.length || ranks.some((r, i) => r !== this.ranks[i]);
    this.ranks = ranks;
    const keptValues = new Float64Array(this.list.length * f);
    for (let i = 0; i < this.list.length; i++) {
      const x = this.list[i]!;
      if (removed.has(x)) continue;
      if (reread) order.write(x, keptValues, list.length * f);
      else for (let k = 0; k < f; k++) keptValues[list.length * f + k] = this.values[i * f + k]!;
      list.push(x);
    }
    const n = list.length;
    const freshValues = new Float64Array(fresh.length * f);
    for (let i = 0; i < fresh.length; i++) order.write(fresh[i]!, freshValues, i * f);
    const compare = (a: Float64Array, i: number, b: Float64Array, j: number, x: T, y: T): number => {
      for (let k = 0; k < f; k++) {
        const d = a[i * f + k]! - b[j * f + k]!;
        if (d !== 0) return d;
      }
      return order.tie(x, y);
    };
    const index = Array.from({ length: fresh.length }, (_, i) => i).sort((i, j) => compare(freshValues, i, freshValues, j, fresh[i]!, fresh[j]!));
    const out: T[] = [];
    const values = new Float64Array((n + fresh.length) * f);
    const take = (from: Float64Array, i: number, x: T) => {
      for (let k = 0; k < f; k++) values[out.length * f + k] = from[i * f + k]!;
      out.push(x);
    };
    let j = 0;
    for (let i = 0; i < n; i++) {
      while (j < index.length && compare(freshValues, index[j]!, keptValues, i, fresh[index[j]!]!, list[i]!) < 0) take(freshValues, index[j]!, fresh[index[j++]!]!);
      take(keptValues, i, list[i]!);
    }
    while (j < index.length) take(freshValues, index[j]!, fresh[index[j++]!]!);
    this.list = out;
    this.values = values;
  }
}
