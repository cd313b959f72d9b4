// Triggers built from other triggers (Beam's Repeatedly, AfterEach, AfterFirst, AfterAll),
// plus Never and the default trigger. Composites keep no data of their own, only the
// finished bits of their children.

import { maxTimestamp } from '../window.ts';
import { Trigger, type MergeContext, type TriggerContext } from './trigger.ts';

/** Never fires; the window still fires a final pane when it expires (Beam's Never.ever()). */
export class NeverTrigger extends Trigger {
  onElement(): void {}
  shouldFire(): boolean {
    return false;
  }
  onFire(): void {}
  toString(): string {
    return 'Never.ever()';
  }
}

/**
 * Beam's DefaultTrigger, which is Flink's EventTimeTrigger too: fires when the watermark
 * passes the end of the window and again for every late element, and never finishes.
 */
export class DefaultTrigger extends Trigger {
  override readonly waitsForWatermarkOnly = true;
  onElement(c: TriggerContext): void {
    if (c.watermark < maxTimestamp(c.window)) c.setTimer(maxTimestamp(c.window), 'eventTime');
  }
  shouldFire(c: TriggerContext): boolean {
    return c.watermark >= maxTimestamp(c.window);
  }
  onFire(): void {}
  override onMerge(c: MergeContext): void {
    if (c.watermark < maxTimestamp(c.window)) c.setTimer(maxTimestamp(c.window), 'eventTime');
  }
  toString(): string {
    return 'DefaultTrigger';
  }
}

/** Repeats its sub-trigger forever: each time it finishes, it starts over. */
export class RepeatedlyTrigger extends Trigger {
  constructor(repeated: Trigger) {
    super([repeated]);
  }
  private get repeated(): Trigger {
    return this.children[0]!;
  }
  onElement(c: TriggerContext): void {
    this.repeated.onElement(c);
  }
  shouldFire(c: TriggerContext): boolean {
    return this.repeated.shouldFire(c);
  }
  onFire(c: TriggerContext): void {
    this.repeated.onFire(c);
    if (this.repeated.isFinished(c)) {
      this.repeated.clear(c);
      this.repeated.setFinished(c, false);
    }
  }
  toString(): string {
    return `Repeatedly.forever(${this.repeated})`;
  }
}

/**
 * Runs its sub-triggers one after another; finishes when the last one has. With merging windows
 * every step sees every element (a merge may reopen an earlier step), as Beam's AfterEach does.
 */
export class AfterEachTrigger extends Trigger {
  private current(c: TriggerContext): Trigger | undefined {
    return this.children.find((t) => !t.isFinished(c));
  }
  onElement(c: TriggerContext): void {
    if (!c.isMerging) {
      this.current(c)?.onElement(c);
      return;
    }
    for (const t of this.children) t.onElement(c);
  }
  shouldFire(c: TriggerContext): boolean {
    return this.current(c)?.shouldFire(c) ?? false;
  }
  onFire(c: TriggerContext): void {
    const t = this.current(c);
    if (t === undefined) return;
    t.onFire(c);
    // Merging windows ran the later steps in parallel: they start afresh once their turn comes.
    if (c.isMerging) for (const u of this.children) if (!u.isFinished(c)) u.clear(c);
    this.setFinished(c, this.current(c) === undefined);
  }
  override onMerge(c: MergeContext): void {
    // Beam: merge the steps in order while they are finished; the steps after the first
    // unfinished one have not started yet.
    let priorFinished = true;
    for (const t of this.children) {
      if (priorFinished) {
        t.onMerge(c);
        priorFinished = t.isFinished(c);
      } else {
        t.clear(c);
      }
    }
    this.setFinished(c, this.current(c) === undefined);
  }
  toString(): string {
    return `AfterEach.inOrder(${this.children.join(', ')})`;
  }
}

/** Fires once, as soon as any sub-trigger would fire. */
export class AfterFirstTrigger extends Trigger {
  onElement(c: TriggerContext): void {
    for (const t of this.children) t.onElement(c);
  }
  shouldFire(c: TriggerContext): boolean {
    return this.children.some((t) => t.shouldFire(c));
  }
  onFire(c: TriggerContext): void {
    for (const t of this.children) if (t.shouldFire(c)) t.onFire(c);
    this.setFinished(c, true);
  }
  override onMerge(c: MergeContext): void {
    super.onMerge(c);
    if (this.children.some((t) => t.isFinished(c))) this.setFinished(c, true);
  }
  toString(): string {
    return `AfterFirst.of(${this.children.join(', ')})`;
  }
}

/** Fires once, when every sub-trigger has been ready (finished ones count as ready). */
export class AfterAllTrigger extends Trigger {
  onElement(c: TriggerContext): void {
    for (const t of this.children) if (!t.isFinished(c)) t.onElement(c);
  }
  shouldFire(c: TriggerContext): boolean {
    return this.children.every((t) => t.isFinished(c) || t.shouldFire(c));
  }
  onFire(c: TriggerContext): void {
    for (const t of this.children) if (!t.isFinished(c)) t.onFire(c);
    this.setFinished(c, true);
  }
  override onMerge(c: MergeContext): void {
    super.onMerge(c);
    if (this.children.every((t) => t.isFinished(c))) this.setFinished(c, true);
  }
  toString(): string {
    return `AfterAll.of(${this.children.join(', ')})`;
  }
}
