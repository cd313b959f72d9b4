// Watermark triggers (Beam's AfterWatermark): fire when the input watermark reaches the end of
// the window, optionally with repeating early firings before it and late firings after it.
// Phase invariant: the early child's finished bit means "the on-time pane has fired".

import { maxTimestamp } from '../window.ts';
import { Trigger, type MergeContext, type TriggerContext } from './trigger.ts';
import { NeverTrigger } from './composite-triggers.ts';

function endOfWindowReached(c: TriggerContext): boolean {
  return c.watermark >= maxTimestamp(c.window);
}

/** Fires once, when the watermark passes the end of the window. */
export class AfterWatermarkTrigger extends Trigger {
  override readonly waitsForWatermarkOnly = true;
  onElement(c: TriggerContext): void {
    if (!endOfWindowReached(c)) c.setTimer(maxTimestamp(c.window), 'eventTime');
  }
  shouldFire(c: TriggerContext): boolean {
    return endOfWindowReached(c);
  }
  onFire(c: TriggerContext): void {
    this.setFinished(c, true);
  }
  override onMerge(c: MergeContext): void {
    const done = this.finishedInAllMerging(c) && endOfWindowReached(c);
    this.setFinished(c, done);
    if (!done) c.setTimer(maxTimestamp(c.window), 'eventTime');
  }
  /** Adds firings before the watermark passes the end of the window (they repeat). */
  withEarlyFirings(early: Trigger): AfterWatermarkEarlyAndLateTrigger {
    return new AfterWatermarkEarlyAndLateTrigger(early, null);
  }
  /** Adds firings for late data after the on-time pane (they repeat). */
  withLateFirings(late: Trigger): AfterWatermarkEarlyAndLateTrigger {
    return new AfterWatermarkEarlyAndLateTrigger(new NeverTrigger(), late);
  }
  toString(): string {
    return 'AfterWatermark.pastEndOfWindow()';
  }
}

/** AfterWatermark with early and/or late firings. */
export class AfterWatermarkEarlyAndLateTrigger extends Trigger {
  constructor(early: Trigger, late: Trigger | null) {
    super(late === null ? [early] : [early, late]);
  }
  private get early(): Trigger {
    return this.children[0]!;
  }
  private get late(): Trigger | undefined {
    return this.children[1];
  }

  withEarlyFirings(early: Trigger): AfterWatermarkEarlyAndLateTrigger {
    return new AfterWatermarkEarlyAndLateTrigger(early, this.late ?? null);
  }
  withLateFirings(late: Trigger): AfterWatermarkEarlyAndLateTrigger {
    return new AfterWatermarkEarlyAndLateTrigger(this.early, late);
  }

  onElement(c: TriggerContext): void {
    if (!endOfWindowReached(c)) c.setTimer(maxTimestamp(c.window), 'eventTime');
    if (!c.isMerging) {
      const active = !this.early.isFinished(c) ? this.early : this.late;
      active?.onElement(c);
    } else {
      for (const child of this.children) child.onElement(c);
    }
  }

  shouldFire(c: TriggerContext): boolean {
    if (!this.early.isFinished(c)) return this.early.shouldFire(c) || endOfWindowReached(c);
    return this.late !== undefined && this.late.shouldFire(c);
  }

  onFire(c: TriggerContext): void {
    if (!this.early.isFinished(c)) {
      if (!endOfWindowReached(c)) {
        // An early firing; early firings repeat implicitly.
        this.early.onFire(c);
        this.early.clear(c);
        this.early.setFinished(c, false);
        return;
      }
      // The on-time firing: the early phase is over for good.
      if (this.early.shouldFire(c)) this.early.onFire(c);
      this.early.clear(c);
      this.early.setFinished(c, true);
      if (this.late === undefined) this.setFinished(c, true);
      else this.late.clear(c);
    } else if (this.late !== undefined) {
      // A late firing; late firings repeat implicitly.
      this.late.onFire(c);
      this.late.clear(c);
      this.late.setFinished(c, false);
    } else {
      this.setFinished(c, true);
    }
  }

  override onMerge(c: MergeContext): void {
    if (!this.early.finishedInAllMerging(c) || !endOfWindowReached(c)) {
      this.early.onMerge(c);
      this.early.setFinished(c, false);
      if (this.late !== undefined) {
        this.late.setFinished(c, false);
        this.late.clear(c);
      }
      c.setTimer(maxTimestamp(c.window), 'eventTime');
    } else {
      this.early.setFinished(c, true);
      this.late?.onMerge(c);
    }
  }

  toString(): string {
    let s = 'AfterWatermark.pastEndOfWindow()';
    if (!(this.early instanceof NeverTrigger)) s += `.withEarlyFirings(${this.early})`;
    if (this.late !== undefined && !(this.late instanceof NeverTrigger)) s += `.withLateFirings(${this.late})`;
    return s;
  }
}
