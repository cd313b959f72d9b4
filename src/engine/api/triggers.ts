// Trigger factories with Beam's names (and Flink's built-ins re-exported), so pipelines read
// like the Beam and Flink documentation: afterWatermark().withEarlyFirings(...).

import { AfterCountTrigger } from '../windows/triggers/after-count.ts';
import { AfterProcessingTimeTrigger } from '../windows/triggers/after-processing-time.ts';
import { AfterWatermarkTrigger } from '../windows/triggers/after-watermark.ts';
import {
  AfterAllTrigger,
  AfterEachTrigger,
  AfterFirstTrigger,
  DefaultTrigger,
  NeverTrigger,
  RepeatedlyTrigger,
} from '../windows/triggers/composite-triggers.ts';
import type { Trigger } from '../windows/triggers/trigger.ts';

/**
 * Fires when the watermark passes the end of the window (Beam's AfterWatermark.pastEndOfWindow).
 * Add `.withEarlyFirings(t)` for speculative panes before, `.withLateFirings(t)` for late data after.
 * @example
 * afterWatermark()
 *   .withEarlyFirings(afterProcessingTime().plusDelayOf(seconds(30)))
 *   .withLateFirings(afterCount(1))
 */
export function afterWatermark(): AfterWatermarkTrigger {
  return new AfterWatermarkTrigger();
}

/**
 * Fires once a processing-time delay after the first element of the pane arrived
 * (Beam's AfterProcessingTime.pastFirstElementInPane). Chain `.plusDelayOf(ms)` or `.alignedTo(ms)`.
 */
export function afterProcessingTime(): AfterProcessingTimeTrigger {
  return new AfterProcessingTimeTrigger();
}

/** Fires once the pane holds at least `n` elements (Beam's AfterPane.elementCountAtLeast). */
export function afterCount(n: number): Trigger {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`afterCount needs a positive integer, got ${n}`);
  return new AfterCountTrigger(n);
}

/** Repeats a trigger forever (Beam's Repeatedly.forever). @example repeatedly(afterCount(100)) */
export function repeatedly(trigger: Trigger): Trigger {
  return new RepeatedlyTrigger(trigger);
}

/** Runs triggers one after the other (Beam's AfterEach.inOrder). */
export function afterEach(...triggers: Trigger[]): Trigger {
  return new AfterEachTrigger(triggers);
}

/** Fires once, when the first of the triggers would (Beam's AfterFirst.of). */
export function afterFirst(...triggers: Trigger[]): Trigger {
  return new AfterFirstTrigger(triggers);
}

/** Fires once, when all of the triggers would have (Beam's AfterAll.of). */
export function afterAll(...triggers: Trigger[]): Trigger {
  return new AfterAllTrigger(triggers);
}

/** Never fires; a window still emits a final pane when it expires (Beam's Never.ever). */
export function never(): Trigger {
  return new NeverTrigger();
}

/** Fires at the end of the window and for each late element (Beam's DefaultTrigger, Flink's EventTimeTrigger). */
export function defaultTrigger(): Trigger {
  return new DefaultTrigger();
}
