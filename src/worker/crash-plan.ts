// The planned crashes of a run (`RunSettings.crashAt`): which one strikes next, and where a play
// must stop for it. A crash from the "Crash now" button joins them at the time it strikes, so a
// link, which carries them, replays it. Invariant: times stay sorted, and the next crash is the
// first one not struck yet.

/** Planned crash times and the next one to strike. */
export class CrashPlan {
  private times: number[];
  private index = 0;

  constructor(times: readonly number[] = []) {
    this.times = [...times].sort((a, b) => a - b);
  }

  /** Every planned time, sorted (struck ones included). */
  get all(): readonly number[] {
    return this.times;
  }

  /** The next crash time, if one is left. */
  get next(): number | undefined {
    return this.times[this.index];
  }

  /** The next crash struck. */
  struck(): void {
    this.index++;
  }

  /** Where a play that would stop at `stopAt` (undefined: never) stops: there, or at the next crash if nearer. */
  stopFor(stopAt: number | undefined): number | undefined {
    const next = this.next;
    if (next === undefined) return stopAt;
    return stopAt === undefined ? next : Math.min(stopAt, next);
  }

  /**
   * Adds a crash at `pt` for a job whose clock is at `now` (< pt): the crashes before `now` have
   * struck, and one still due before `pt` strikes first.
   */
  add(pt: number, now: number): void {
    this.times = [...this.times.filter((c) => c !== pt), pt].sort((a, b) => a - b);
    this.index = this.times.findIndex((c) => c > now);
  }
}
