// Session windows: each element opens [t, t + gap); windows of one key that overlap or touch
// merge into one (Flink's TimeWindow.intersects; Beam's Sessions merges only overlapping ones,
// so two elements exactly `gap` apart form one session in Flink and two in Beam).

import { DefaultTrigger } from './triggers/composite-triggers.ts';
import type { Trigger } from './triggers/trigger.ts';
import type { WindowAssigner } from './window-assigner.ts';

class SessionWindows implements WindowAssigner {
  readonly isMerging = true;
  readonly isEventTime = true;
  readonly name: string;
  constructor(readonly gap: number) {
    if (!Number.isFinite(gap) || gap <= 0) throw new RangeError(`session gap must be a positive number of milliseconds, got ${gap}`);
    this.name = `SessionWindows(gap ${gap} ms)`;
  }
  assign(timestamp: number, _pt: number, starts: number[], ends: number[]): number {
    starts[0] = timestamp;
    ends[0] = timestamp + this.gap;
    return 1;
  }
  defaultTrigger(): Trigger {
    return new DefaultTrigger();
  }
}

/**
 * Session windows with an inactivity gap: a key's session closes once no element arrived for
 * `gap` ms of event time.
 * @example
 * clicks.keyBy((c) => c.user).window(sessionWindows(minutes(30))).count()
 */
export function sessionWindows(gap: number): WindowAssigner {
  return new SessionWindows(gap);
}
