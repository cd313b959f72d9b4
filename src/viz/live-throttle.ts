// Spaces a panel's redraws while a run is live: the model changes at every frame then, and a
// panel whose drawing costs tens of milliseconds need not follow at 60 Hz. Invariant: the
// latest state is always drawn, at the latest one interval after it came (a trailing draw).

/** At most one draw per interval while live; immediate otherwise. */
export class LiveThrottle {
  private drewAt = Number.NEGATIVE_INFINITY;
  private trailing: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param intervalMs Milliseconds between draws while live.
   * @param draw Draws the latest state (the trailing draw calls it in a task of its own).
   */
  constructor(
    private readonly intervalMs: number,
    private readonly draw: () => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Draws now, or when `live` and the last draw was less than the interval ago, once the
   * interval is over (several requests meanwhile make one draw).
   * @example throttle.request(!model.finished && model === previous);
   */
  request(live: boolean): void {
    const wait = this.drewAt + this.intervalMs - this.now();
    if (live && wait > 0) {
      this.trailing ??= setTimeout(() => {
        this.trailing = undefined;
        this.drawNow();
      }, wait);
      return;
    }
    this.drawNow();
  }

  /** Draws at once (and drops a pending trailing draw). */
  drawNow(): void {
    this.cancel();
    this.drewAt = this.now();
    this.draw();
  }

  /** Drops a pending trailing draw (on destroy). */
  cancel(): void {
    if (this.trailing === undefined) return;
    clearTimeout(this.trailing);
    this.trailing = undefined;
  }
}
