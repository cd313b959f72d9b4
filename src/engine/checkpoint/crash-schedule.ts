// Planned crashes of a durable session: at processing times, and at the n-th time a named phase
// is reached. Invariant: each planned crash strikes once, by throwing an InjectedCrash, which
// ends the attempt at once and restarts it without consulting the restart strategy.

import type { CrashPhase, CrashPlan } from './session-options.ts';

/** An injected crash (not a failure of the job): restart at once, whatever the strategy. */
export class InjectedCrash extends Error {
  override readonly name = 'Crash';
}

export class CrashSchedule {
  /** Processing times still to strike, ascending. */
  private readonly times: number[];
  private readonly phaseCount = new Map<CrashPhase, number>();

  constructor(private readonly plan: CrashPlan | undefined) {
    this.times = [...(plan?.atProcessingTimes ?? [])].sort((a, b) => a - b);
  }

  /** Throws when the next event, at `nextEventTime`, would run at or past a planned time. */
  strikeBefore(nextEventTime: number): void {
    if (this.times.length > 0 && nextEventTime >= this.times[0]!) {
      throw new InjectedCrash(`crash injected at processing time ${this.times.shift()!}`);
    }
  }

  /** Counts one more arrival at `phase`; throws when that occurrence is planned. */
  reach(phase: CrashPhase): void {
    const n = (this.phaseCount.get(phase) ?? 0) + 1;
    this.phaseCount.set(phase, n);
    if (this.plan?.phases?.some((c) => c.phase === phase && c.occurrence === n)) throw new InjectedCrash(`crash injected at phase ${phase} (#${n})`);
  }
}
