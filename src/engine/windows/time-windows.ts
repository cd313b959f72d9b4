// Fixed-size time windows: tumbling (size), sliding (size, slide) and their processing-time
// variants. Bounds follow Flink's TimeWindow.getWindowStartWithOffset, so negative timestamps
// and offsets land in the same windows as in Flink.

import { DefaultTrigger } from './triggers/composite-triggers.ts';
import { processingTimeTrigger } from './triggers/flink-triggers.ts';
import type { Trigger } from './triggers/trigger.ts';
import type { WindowAssigner } from './window-assigner.ts';

/** Start of the window of length `size` (shifted by `offset`) that holds `timestamp`. */
export function windowStart(timestamp: number, offset: number, size: number): number {
  const remainder = (timestamp - offset) % size;
  return remainder < 0 ? timestamp - (remainder + size) : timestamp - remainder;
}

function describe(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}

function checkPositive(what: string, ms: number): void {
  if (!Number.isFinite(ms) || ms <= 0) throw new RangeError(`${what} must be a positive number of milliseconds, got ${ms}`);
}

class SlidingTimeWindows implements WindowAssigner {
  readonly isMerging = false;
  readonly name: string;
  constructor(
    readonly size: number,
    readonly slide: number,
    readonly offset: number,
    readonly isEventTime: boolean,
  ) {
    checkPositive('window size', size);
    checkPositive('window slide', slide);
    const prefix = isEventTime ? '' : 'ProcessingTime';
    this.name =
      size === slide
        ? `${prefix}TumblingWindows(${describe(size)})`
        : `${prefix}SlidingWindows(${describe(size)}, every ${describe(slide)})`;
  }
  assign(timestamp: number, processingTime: number, starts: number[], ends: number[]): number {
    const t = this.isEventTime ? timestamp : processingTime;
    if (this.size === this.slide) {
      const start = windowStart(t, this.offset, this.size);
      starts[0] = start;
      ends[0] = start + this.size;
      return 1;
    }
    // Newest window first, as Flink's SlidingEventTimeWindows lists them.
    const last = windowStart(t, this.offset, this.slide);
    let n = 0;
    for (let start = last; start > t - this.size; start -= this.slide) {
      starts[n] = start;
      ends[n] = start + this.size;
      n++;
    }
    return n;
  }
  defaultTrigger(): Trigger {
    return this.isEventTime ? new DefaultTrigger() : processingTimeTrigger();
  }
}

/**
 * Tumbling event-time windows: fixed size, no overlap; each element lands in exactly one.
 * @param size window length in ms
 * @param offset shifts window bounds, e.g. `hours(-8)` for days in UTC-8
 * @example
 * stream.keyBy((r) => r.meter).window(tumblingWindows(minutes(15))).sum((r) => r.kwh)
 */
export function tumblingWindows(size: number, offset = 0): WindowAssigner {
  return new SlidingTimeWindows(size, size, offset, true);
}

/**
 * Sliding event-time windows: windows of `size` starting every `slide`; each element lands in
 * size / slide of them.
 * @example
 * stream.keyBy((r) => r.geohash).window(slidingWindows(minutes(10), minutes(1))).count()
 */
export function slidingWindows(size: number, slide: number, offset = 0): WindowAssigner {
  return new SlidingTimeWindows(size, slide, offset, true);
}

/** Tumbling windows on the processing clock (Flink's TumblingProcessingTimeWindows). */
export function tumblingProcessingTimeWindows(size: number, offset = 0): WindowAssigner {
  return new SlidingTimeWindows(size, size, offset, false);
}

/** Sliding windows on the processing clock (Flink's SlidingProcessingTimeWindows). */
export function slidingProcessingTimeWindows(size: number, slide: number, offset = 0): WindowAssigner {
  return new SlidingTimeWindows(size, slide, offset, false);
}
