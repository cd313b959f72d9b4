// Which records' kinds changed after they were first judged, as a journal that each reader
// follows from where it stopped: a reader of a million kinds then compares only those records.
// Invariant: within one epoch, every record whose kind changed between two positions is listed
// between them (perhaps more than once); a reader the journal cannot serve is told so.

/** Entries kept at most; past it the journal forgets them and readers behind compare every kind. */
const KEEP = 1 << 16;

/**
 * The records whose kind changed, in the order the changes were made.
 * - State: an epoch (bumped when every kind may have changed: the kinds started over) and the
 *   latest entries, with the position of the first one kept.
 * - Lifetime: one per kinds builder; entries are forgotten past `KEEP` and at a new epoch.
 */
export class KindJournal {
  private epochNow = 0;
  private start = 0;
  private length = 0;
  private entries = new Int32Array(256);

  get epoch(): number {
    return this.epochNow;
  }

  /** The position after the last entry (where a reader that is up to date stands). */
  get position(): number {
    return this.start + this.length;
  }

  /** Every kind may have changed: readers of an earlier epoch compare them all. */
  restart(): void {
    this.epochNow++;
    this.start += this.length;
    this.length = 0;
  }

  /** Notes that record `i`'s kind changed. */
  note(i: number): void {
    if (this.length === this.entries.length) {
      if (this.length >= KEEP) {
        this.start += this.length;
        this.length = 0;
      } else {
        const bigger = new Int32Array(this.entries.length * 2);
        bigger.set(this.entries);
        this.entries = bigger;
      }
    }
    this.entries[this.length++] = i;
  }

  /**
   * The records whose kind changed since position `from` of epoch `epoch` (a view valid until
   * the next note), or undefined when the journal cannot tell: another epoch, entries forgotten.
   * @example const changed = journal.since(readEpoch, readPosition); // undefined: compare every kind
   */
  since(epoch: number, from: number): Int32Array | undefined {
    if (epoch !== this.epochNow || from < this.start || from > this.position) return undefined;
    return this.entries.subarray(from - this.start, this.length);
  }
}
