// The current attempt's unmarked record indexes by event time, in typed arrays: a hash table from
// event time to the newest such record, and per record the one before it with the same event
// time. A delta of ten thousand dots indexes them without an object (or a Map entry's array) each.
// Invariant: `pop(e)` returns the indexes added with event time `e` newest first, each once, as a
// Map<number, number[]> with push and pop would (keys compared as Map does: NaN equals NaN).

const EMPTY = -1;
/** A key whose records were all taken: it keeps its slot (probe chains pass through it). */
const NONE = -2;

/**
 * Record indexes by event time, a stack per event time.
 * - State: open addressing (linear probing) on `keys`/`heads`, each head the newest index with
 *   its key (or NONE); `below[index]` the next older index with the same key (or NONE).
 * - Lifetime: `clear` at each attempt's start; grows by doubling, never shrinks.
 */
export class EventTimeIndex {
  private keys = new Float64Array(1024);
  private heads = new Int32Array(1024).fill(EMPTY);
  private used = 0;
  private below = new Int32Array(1024);

  /** Forgets every index (a new attempt marks only its own records). */
  clear(): void {
    this.heads.fill(EMPTY);
    this.used = 0;
  }

  /** Adds record `index` (indexes only grow) with event time `eventTime`. */
  add(eventTime: number, index: number): void {
    if (index >= this.below.length) {
      const bigger = new Int32Array(Math.max(index + 1, this.below.length * 2));
      bigger.set(this.below);
      this.below = bigger;
    }
    if ((this.used + 1) * 2 > this.heads.length) this.rehash(this.heads.length * 2);
    const slot = this.slotOf(eventTime);
    const head = this.heads[slot]!;
    if (head === EMPTY) {
      this.keys[slot] = eventTime;
      this.used++;
      this.below[index] = NONE;
    } else this.below[index] = head;
    this.heads[slot] = index;
  }

  /** The newest record index with `eventTime` not yet popped, taken out; undefined when none. */
  pop(eventTime: number): number | undefined {
    const slot = this.slotOf(eventTime);
    const head = this.heads[slot]!;
    if (head < 0) return undefined;
    this.heads[slot] = this.below[head]!;
    return head;
  }

  /** The slot holding `key`, or the empty slot where it would go. */
  private slotOf(key: number): number {
    const mask = this.heads.length - 1;
    let slot = hash(key) & mask;
    for (;;) {
      if (this.heads[slot] === EMPTY) return slot;
      const k = this.keys[slot]!;
      if (k === key || (k !== k && key !== key)) return slot;
      slot = (slot + 1) & mask;
    }
  }

  private rehash(size: number): void {
    const keys = this.keys;
    const heads = this.heads;
    this.keys = new Float64Array(size);
    this.heads = new Int32Array(size).fill(EMPTY);
    for (let s = 0; s < heads.length; s++) {
      if (heads[s] === EMPTY) continue;
      const slot = this.slotOf(keys[s]!);
      this.keys[slot] = keys[s]!;
      this.heads[slot] = heads[s]!;
    }
  }
}

/** Mixes a number's integer part and its fraction (millisecond times are mostly integers); 0 and −0 alike. */
function hash(x: number): number {
  const lo = x | 0;
  const hi = (x / 4294967296) | 0;
  const frac = ((x - Math.trunc(x)) * 1048576) | 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b) ^ frac, 0x9e3779b1);
  h ^= h >>> 15;
  return h;
}
