// Beam's AfterProcessingTime.pastFirstElementInPane: fires once processing time is strictly
// after the first element's arrival plus a delay, optionally aligned up to a period (Beam's
// shouldFire: currentTime.isAfter(delayedUntil)); its timer for the target fires 1 ms later.
// State: the processing time the pane waits for (the earliest one when windows merge).

import { Trigger, type MergeContext, type TriggerContext } from './trigger.ts';

type Step = { kind: 'delay'; ms: number } | { kind: 'align'; size: number; offset: number };

/**
 * Fires once, when the processing clock is past (strictly after) the pane's first element's
 * arrival plus the delay: with `plusDelayOf(60000)` and a first element at 0, at 60001.
 */
export class AfterProcessingTimeTrigger extends Trigger {
  override readonly stateKind = 'processing-time trigger (AfterProcessingTime.pastFirstElementInPane)';
  private readonly steps: readonly Step[];
  constructor(steps: readonly Step[] = []) {
    super();
    this.steps = steps;
  }

  /** Waits `delay` ms of processing time after the pane's first element. */
  plusDelayOf(delay: number): AfterProcessingTimeTrigger {
    return new AfterProcessingTimeTrigger([...this.steps, { kind: 'delay', ms: delay }]);
  }

  /** Rounds the target time up to the next multiple of `size` (since `offset`), like Beam's alignedTo. */
  alignedTo(size: number, offset = 0): AfterProcessingTimeTrigger {
    return new AfterProcessingTimeTrigger([...this.steps, { kind: 'align', size, offset }]);
  }

  targetTime(arrival: number): number {
    let t = arrival;
    for (const s of this.steps) {
      if (s.kind === 'delay') t += s.ms;
      else {
        const since = (((t - s.offset) % s.size) + s.size) % s.size;
        t = since === 0 ? t : t + s.size - since;
      }
    }
    return t;
  }

  onElement(c: TriggerContext): void {
    if (c.state.data[this.id] != null) return;
    const target = this.targetTime(c.processingTime);
    c.state.data[this.id] = target;
    c.setTimer(target, 'processingTime');
  }
  shouldFire(c: TriggerContext): boolean {
    const until = c.state.data[this.id];
    return until != null && c.processingTime > until;
  }
  onFire(c: TriggerContext): void {
    this.setFinished(c, true);
    c.state.data[this.id] = null;
  }
  override onMerge(c: MergeContext): void {
    if (this.isFinished(c)) {
      c.state.data[this.id] = null;
      return;
    }
    let earliest: number | null = null;
    for (const s of c.merging) {
      const t = s.data[this.id];
      if (t != null && (earliest === null || t < earliest)) earliest = t;
    }
    c.state.data[this.id] = earliest;
    if (earliest !== null) c.setTimer(earliest, 'processingTime');
  }
  toString(): string {
    const parts = this.steps.map((s) =>
      s.kind === 'delay' ? `.plusDelayOf(${s.ms} ms)` : `.alignedTo(${s.size} ms)`,
    );
    return `AfterProcessingTime.pastFirstElementInPane()${parts.join('')}`;
  }
}
