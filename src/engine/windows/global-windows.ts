// The global window holds every element of a key; it only fires when its trigger says so
// (count windows are the global window with a count trigger, as in Flink's countWindow).

import { GLOBAL_WINDOW } from './window.ts';
import { NeverTrigger } from './triggers/composite-triggers.ts';
import { countTrigger, purgingTrigger } from './triggers/flink-triggers.ts';
import type { Trigger } from './triggers/trigger.ts';
import type { WindowAssigner } from './window-assigner.ts';

class GlobalWindows implements WindowAssigner {
  readonly windowKind = 'global windows';
  readonly isMerging = false;
  readonly isEventTime = true;
  constructor(
    readonly name: string,
    private readonly trigger: () => Trigger,
    readonly evictToLast?: number,
  ) {}
  assign(_ts: number, _pt: number, starts: number[], ends: number[]): number {
    starts[0] = GLOBAL_WINDOW.start;
    ends[0] = GLOBAL_WINDOW.end;
    return 1;
  }
  defaultTrigger(): Trigger {
    return this.trigger();
  }
}

/** One window for all time per key; set a trigger, or it fires only when the input ends. */
export function globalWindows(): WindowAssigner {
  return new GlobalWindows('GlobalWindows', () => new NeverTrigger());
}

/**
 * Tumbling count windows: fires every `size` elements of a key, then starts afresh
 * (Flink's `countWindow(size)`).
 */
export function countWindows(size: number): WindowAssigner;
/**
 * Sliding count windows: every `slide` elements, fires over the last `size` elements
 * (Flink's `countWindow(size, slide)`).
 */
export function countWindows(size: number, slide: number): WindowAssigner;
export function countWindows(size: number, slide?: number): WindowAssigner {
  if (!Number.isInteger(size) || size <= 0) throw new RangeError(`count window size must be a positive integer, got ${size}`);
  if (slide === undefined) {
    return new GlobalWindows(`CountWindows(${size})`, () => purgingTrigger(countTrigger(size)));
  }
  if (!Number.isInteger(slide) || slide <= 0) throw new RangeError(`count window slide must be a positive integer, got ${slide}`);
  return new GlobalWindows(`CountWindows(${size}, every ${slide})`, () => countTrigger(slide), size);
}
