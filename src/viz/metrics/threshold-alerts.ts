// Alerts from a threshold the user sets on a chart: the spans during which a series was above
// (or below) it, as "latency above 5 s from 0:12 to 0:15". Invariant: a span opens at the first
// point past the threshold and closes at the first point back; still open at the playhead, it
// is ongoing.

import type { ChartPoint } from './line-chart.ts';
import { formatClock } from './time-format.ts';

export type ThresholdDirection = 'above' | 'below';

export interface Threshold {
  readonly value: number;
  readonly direction: ThresholdDirection;
}

export interface AlertSpan {
  readonly series: string;
  readonly from: number;
  /** The first point back within the threshold; undefined while ongoing. */
  readonly to?: number;
  /** The most extreme value during the span. */
  readonly peak: number;
}

/** Spans where `series` crossed `threshold`, from points up to `playheadT`. */
export function thresholdCrossings(series: readonly { readonly label: string; readonly points: readonly ChartPoint[] }[], threshold: Threshold, playheadT: number): AlertSpan[] {
  const out: AlertSpan[] = [];
  const past = (v: number) => (threshold.direction === 'above' ? v > threshold.value : v < threshold.value);
  for (const s of series) {
    let open: { from: number; peak: number } | undefined;
    for (const p of s.points) {
      if (p.t > playheadT) break;
      if (!Number.isFinite(p.v)) continue;
      if (past(p.v)) {
        if (!open) open = { from: p.t, peak: p.v };
        else open.peak = threshold.direction === 'above' ? Math.max(open.peak, p.v) : Math.min(open.peak, p.v);
      } else if (open) {
        out.push({ series: s.label, from: open.from, to: p.t, peak: open.peak });
        open = undefined;
      }
    }
    if (open) out.push({ series: s.label, from: open.from, peak: open.peak });
  }
  return out.sort((a, b) => a.from - b.from || a.series.localeCompare(b.series));
}

/**
 * One alert in words.
 * @example alertText('latency', { series: 'billing', from: 723000, to: 725000, peak: 6100 }, { value: 5000, direction: 'above' }, (v) => `${v / 1000} s`)
 * // 'latency above 5 s from 12:03 to 12:05 (billing, peak 6.1 s)'
 */
export function alertText(metric: string, span: AlertSpan, threshold: Threshold, format: (v: number) => string): string {
  const when = span.to === undefined ? `since ${formatClock(span.from)} (ongoing)` : `from ${formatClock(span.from)} to ${formatClock(span.to)}`;
  return `${metric} ${threshold.direction} ${format(threshold.value)} ${when} (${span.series}, peak ${format(span.peak)})`;
}
