// The processing-time x domain of a panel that follows a growing run: the run so far, and while
// it grows, held until the run outgrows it, then stepped a quarter of its span past the run's end.
// Invariant: a live run's domain only ever widens, a few times over a run (so a panel rescales and
// redraws then, not at every frame); a finished run's is exactly its span.

/** What the domain is made of (a RunModel has it). */
export interface RunSpan {
  readonly attempts: readonly { readonly startT: number }[];
  readonly endT: number;
  readonly finished: boolean;
}
/** How far past the run's end a live domain reaches when it steps, as a part of its span. */
export const LIVE_DOMAIN_STEP = 0.25;

/** One panel's held domain; `reset()` when it is shown another run. */
export class HeldTimeDomain {
  private heldEnd: number | undefined;

  /** The x domain for `m`: [first attempt's start, end], the end held while `m` is live. */
  of(m: RunSpan): [number, number] {
    const start = m.attempts[0]?.startT ?? 0;
    const end = Math.max(m.endT, start + 1);
    if (m.finished) return [start, end];
    if (this.heldEnd === undefined || this.heldEnd < end) this.heldEnd = end + (end - start) * LIVE_DOMAIN_STEP;
    return [start, this.heldEnd];
  }

  /** Forgets the held end (another run is shown). */
  reset(): void {
    this.heldEnd = undefined;
  }
}
