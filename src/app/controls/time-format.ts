// How the controls print timeline and processing times: a clock reading (h:mm:ss.mmm) that
// stays the same width while a run plays, so the toolbar does not jitter.

/**
 * A time in milliseconds as `m:ss.mmm` (or `h:mm:ss.mmm` from an hour on).
 * @example formatClock(90_250) // '1:30.250'
 */
export function formatClock(ms: number): string {
  if (!Number.isFinite(ms)) return ms > 0 ? '∞' : '−∞';
  const sign = ms < 0 ? '−' : '';
  const total = Math.round(Math.abs(ms));
  const millis = total % 1000;
  const seconds = Math.floor(total / 1000) % 60;
  const minutes = Math.floor(total / 60_000) % 60;
  const hours = Math.floor(total / 3_600_000);
  const sss = String(seconds).padStart(2, '0');
  const mmm = String(millis).padStart(3, '0');
  if (hours > 0) return `${sign}${hours}:${String(minutes).padStart(2, '0')}:${sss}.${mmm}`;
  return `${sign}${minutes}:${sss}.${mmm}`;
}

/**
 * A duration in words for settings (`1 s`, `2.5 min`).
 * @example formatDuration(1500) // '1.5 s'
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(2))} s`;
  if (ms < 3_600_000) return `${Number((ms / 60_000).toFixed(2))} min`;
  return `${Number((ms / 3_600_000).toFixed(2))} h`;
}
