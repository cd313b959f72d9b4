// Counts the deltas a sandbox's worker sent as they arrive on their own port, and lets the host
// wait for a count the worker named in an answer: the delta port and the control port keep no
// order between them, so an answer may overtake the deltas sent before it.
// Invariant: a wait ends once the count arrived, the sandbox is gone, or its time limit passed.

/** Deltas of one sandbox, counted as they arrive (reset for each new sandbox). */
export class DeltaArrivals {
  private received = 0;
  private waiter: (() => void) | undefined;

  /** A new sandbox: its worker counts its deltas from zero. */
  reset(): void {
    this.received = 0;
    this.waiter?.();
  }

  /** One delta of the current sandbox arrived. */
  arrived(): void {
    this.received++;
    this.waiter?.();
  }

  /**
   * Resolves once `count` deltas arrived, or after `limitMs`, or once `live()` is false. The
   * count is the untrusted worker's word: a worker that names too many only delays itself.
   */
  async upTo(count: number | undefined, limitMs: number, live: () => boolean): Promise<void> {
    if (count === undefined || !Number.isSafeInteger(count)) return;
    const deadline = performance.now() + limitMs;
    while (this.received < count && live()) {
      const left = deadline - performance.now();
      if (left <= 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => resolve(), left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
  }
}
