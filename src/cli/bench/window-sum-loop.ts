// The hand-written baseline of the windowed-sum benchmark: one loop, plain objects and Maps,
// doing what Flink does for a keyed tumbling event-time window with bounded out-of-orderness.

import { emptyResult, type SumRecord, type WindowSumJob, type WindowSumResult } from './window-sum-dataset.ts';

/**
 * Sums `value` per key and tumbling window, firing windows as the watermark passes them.
 *
 * 1. Processing time is the largest timestamp seen so far (records arrive as they happen).
 *    Each time it crosses a multiple of `watermarkInterval`, the watermark becomes
 *    max timestamp - bound - 1 (if that is higher), and every window whose last timestamp
 *    (end - 1) is at or below it fires and is forgotten.
 * 2. A record whose window has already fired (end - 1 <= watermark) is late: dropped, counted.
 * 3. At the end of the input the watermark goes to +infinity and every window fires.
 */
export function windowSumLoop(records: readonly SumRecord[], job: WindowSumJob): WindowSumResult {
  const { windowSize, outOfOrderness, watermarkInterval } = job;
  const result = emptyResult();
  /** Open windows by end: key -> running sum. Lifetime: from the first record until the window fires. */
  const windows = new Map<number, Map<number, number>>();
  let watermark = Number.NEGATIVE_INFINITY;
  let maxTimestamp = Number.NEGATIVE_INFINITY;
  let nextWatermarkAt = Number.NEGATIVE_INFINITY;
  /** The window the previous record went to (most records share it); reset when it fires. */
  let lastEnd = Number.NaN;
  let lastSums: Map<number, number> | undefined;

  const fire = (upTo: number) => {
    for (const [end, sums] of windows) {
      if (end - 1 > upTo) continue;
      const start = end - windowSize;
      for (const [key, sum] of sums) {
        result.keys.push(key);
        result.windowStarts.push(start);
        result.sums.push(sum);
      }
      windows.delete(end);
      if (end === lastEnd) lastSums = undefined;
    }
  };

  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    const timestamp = record.timestamp;
    // 1.
    if (timestamp > maxTimestamp) {
      maxTimestamp = timestamp;
      if (maxTimestamp >= nextWatermarkAt) {
        nextWatermarkAt = (Math.floor(maxTimestamp / watermarkInterval) + 1) * watermarkInterval;
        const candidate = maxTimestamp - outOfOrderness - 1;
        if (candidate > watermark) {
          watermark = candidate;
          fire(watermark);
        }
      }
    }
    // 2.
    const end = timestamp - (timestamp % windowSize) + windowSize;
    if (end - 1 <= watermark) {
      result.dropped++;
      continue;
    }
    // Consecutive records mostly share a window: remember the last one looked up.
    if (end !== lastEnd || lastSums === undefined) {
      lastSums = windows.get(end);
      if (lastSums === undefined) {
        lastSums = new Map();
        windows.set(end, lastSums);
      }
      lastEnd = end;
    }
    lastSums.set(record.key, (lastSums.get(record.key) ?? 0) + record.value);
  }
  // 3.
  fire(Number.POSITIVE_INFINITY);
  return result;
}
