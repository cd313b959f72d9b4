// Finding what held at a playhead in the RunModel's time-ordered arrays: the latest metrics
// sample, the attempt running, the latest watermark. Invariant: every array searched here is
// sorted by `t` (RunModel appends in timeline order), so a binary search is exact.

import type { Attempt, MetricsSample, WatermarkPoint } from '../run-model.ts';

/** The index of the last item with `t <= at`, or -1 when every item is later. */
export function lastIndexAtOrBefore(items: readonly { readonly t: number }[], at: number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.t <= at) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The latest metrics sample at or before `at`, and the sample before it (for rates). */
export function samplesAt(samples: readonly MetricsSample[], at: number): { latest?: MetricsSample; previous?: MetricsSample } {
  const i = lastIndexAtOrBefore(samples, at);
  if (i < 0) return {};
  return i > 0 ? { latest: samples[i]!, previous: samples[i - 1]! } : { latest: samples[i]! };
}

/** The attempt running at timeline time `at` (the latest to have begun by then). */
export function attemptAt(attempts: readonly Attempt[], at: number): Attempt | undefined {
  let found: Attempt | undefined;
  for (const a of attempts) if (a.startT <= at) found = a;
  return found ?? attempts[0];
}

/** The watermark a subtask or partition had at `at`, or undefined before its first. */
export function watermarkAt(points: readonly WatermarkPoint[] | undefined, at: number): number | undefined {
  if (!points) return undefined;
  const i = lastIndexAtOrBefore(points, at);
  return i < 0 ? undefined : points[i]!.watermark;
}
