// Draws a panel made of parts (a metrics card, a state section) in slices while a run is live:
// parts are drawn in turn until a slice of time is spent, and the rest in tasks of their own
// right after, so no one task holds every part's drawing. A part may also do its work in
// pieces (it says it is not done; it is called again, in the next task once the slice is
// spent). Invariant: every part whose drawing is older than the latest key gets drawn, in
// round-robin order, none starved.

/** Round-robin drawing of `parts` parts, in time slices when asked. */
export class SlicedDraw {
  /** The key each part was last drawn for. */
  private readonly drawnFor: (string | undefined)[];
  /** The part to draw first next time (the one after the last drawn). */
  private next = 0;
  private key = '';
  private continuation: ReturnType<typeof setTimeout> | undefined;
  /** When the slice being drawn ends (infinite when not sliced). */
  private sliceEnd = Number.POSITIVE_INFINITY;

  /**
   * @param parts How many parts.
   * @param drawPart Draws part `i` from the owner's latest state; returns false (only) when it did a
   *   piece of its work only (it is called again until it is done).
   * @param sliceMs Milliseconds of drawing per task, when sliced, after which the rest waits.
   */
  constructor(
    parts: number,
    private readonly drawPart: (i: number) => unknown,
    private readonly sliceMs = 12,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.drawnFor = new Array<string | undefined>(parts).fill(undefined);
  }

  /**
   * Draws every part not yet drawn for `key`: all now, or when `sliced` until the slice is
   * spent and the others in the next task(s).
   * @example sliced.run(`${model.version}|${t}`, !model.finished);
   */
  run(key: string, sliced: boolean): void {
    this.cancel();
    this.key = key;
    const n = this.drawnFor.length;
    const start = this.now();
    this.sliceEnd = sliced ? start + this.sliceMs : Number.POSITIVE_INFINITY;
    const first = this.next;
    for (let k = 0; k < n; k++) {
      const i = (first + k) % n;
      if (this.drawnFor[i] === key) continue;
      const done = this.drawPart(i) !== false;
      const spent = sliced && this.now() - start >= this.sliceMs;
      if (!done) {
        // The same part again: at once while the slice lasts, else first in the next task.
        this.next = i;
        if (!spent) k--;
        else {
          this.continue();
          return;
        }
        continue;
      }
      this.drawnFor[i] = key;
      this.next = (i + 1) % n;
      if (spent && this.drawnFor.some((d) => d !== key)) {
        this.continue();
        return;
      }
    }
  }

  /** Goes on with the latest key in a task of its own. */
  private continue(): void {
    this.continuation = setTimeout(() => {
      this.continuation = undefined;
      this.run(this.key, true);
    }, 0);
  }

  /**
   * Milliseconds left of the slice being drawn (infinite when not sliced): a part that splits its
   * own work reads it to do no more than fits, and to leave a heavy step for the next task.
   */
  remaining(): number {
    return this.sliceEnd - this.now();
  }

  /** Whether every part is drawn for `key`. */
  isDrawn(key: string): boolean {
    return this.drawnFor.every((d) => d === key);
  }

  /** Forgets what was drawn, so the next run draws every part. */
  invalidate(): void {
    this.drawnFor.fill(undefined);
  }

  /** Drops a pending continuation (on destroy, or before a new run). */
  cancel(): void {
    if (this.continuation === undefined) return;
    clearTimeout(this.continuation);
    this.continuation = undefined;
  }
}
