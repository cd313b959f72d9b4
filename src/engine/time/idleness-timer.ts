// Idleness detection for one source partition, exactly as Flink's WatermarksWithIdleness.IdlenessTimer:
// it is only evaluated on periodic watermark emissions. The countdown starts at the first
// emission that saw no record since the previous one, and the partition is idle at the first
// emission after strictly more than the timeout has passed since then. So a partition goes idle
// no earlier than `timeout` after its last record and at most about three emission intervals later.
// The clock it is given is the partition's own: it stands still while the partition is paused by
// watermark alignment (Flink's PausableRelativeClock), so a paused partition never looks idle.

export class IdlenessTimer {
  private counter = 0;
  private lastCounter = 0;
  /** When the countdown started, on the partition's clock; undefined while it is not running. */
  private inactiveSince: number | undefined = undefined;

  constructor(readonly timeout: number) {}

  snapshot(): { counter: number; lastCounter: number; inactiveSince: number | null } {
    return { counter: this.counter, lastCounter: this.lastCounter, inactiveSince: this.inactiveSince ?? null };
  }

  restore(s: { counter: number; lastCounter: number; inactiveSince: number | null }): void {
    this.counter = s.counter;
    this.lastCounter = s.lastCounter;
    this.inactiveSince = s.inactiveSince ?? undefined;
  }

  /** A record arrived. */
  activity(): void {
    this.counter++;
  }

  /** Called on every periodic emission with the partition's clock; true once the partition is idle. */
  checkIfIdle(now: number): boolean {
    if (this.counter !== this.lastCounter) {
      this.lastCounter = this.counter;
      this.inactiveSince = undefined;
      return false;
    }
    if (this.inactiveSince === undefined) {
      this.inactiveSince = now;
      return false;
    }
    return now - this.inactiveSince > this.timeout;
  }
}
