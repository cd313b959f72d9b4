// How times read in the graph, state, checkpoint and metrics panels: timeline and processing
// times as a clock ("1:05.25"), durations in the largest sensible unit ("1.2 s"), and event
// times (which may be epoch milliseconds) as a clock too. Invariant: infinities print as ±∞.

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Epoch milliseconds start here (2001-09-09); smaller times are read as offsets from zero. */
const EPOCH_LIKE = 1e12;

function fraction(ms: number): string {
  const rest = Math.round(ms % 1000);
  if (rest === 0) return '';
  return `.${String(rest).padStart(3, '0').replace(/0+$/, '')}`;
}

/**
 * A time in milliseconds as a clock: `m:ss`, `h:mm:ss`, with milliseconds only when present.
 * Epoch times print as the UTC time of day.
 * @example formatClock(65250) === '1:05.25'
 */
export function formatClock(ms: number): string {
  if (ms === Number.POSITIVE_INFINITY) return '+∞';
  if (ms === Number.NEGATIVE_INFINITY) return '−∞';
  if (!Number.isFinite(ms)) return '–';
  if (Math.abs(ms) >= EPOCH_LIKE) {
    const d = new Date(ms);
    return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}${fraction(d.getUTCMilliseconds())}`;
  }
  const sign = ms < 0 ? '−' : '';
  const abs = Math.abs(ms);
  const whole = Math.floor(abs / 1000);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const clock = h > 0 ? `${h}:${pad2(m)}:${pad2(s)}` : `${m}:${pad2(s)}`;
  return `${sign}${clock}${fraction(abs)}`;
}

/**
 * A duration in milliseconds: `450 ms`, `1.2 s`, `2 min 5 s`, `1 h 3 min`.
 * @example formatDuration(1234) === '1.2 s'
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return ms > 0 ? '∞' : '–';
  const sign = ms < 0 ? '−' : '';
  const abs = Math.abs(ms);
  if (abs < 1000) return `${sign}${Math.round(abs)} ms`;
  if (abs < 60_000) {
    const s = abs / 1000;
    return `${sign}${s < 10 ? trim(s.toFixed(1)) : Math.round(s)} s`;
  }
  const totalS = Math.round(abs / 1000);
  if (totalS < 3600) {
    const s = totalS % 60;
    return `${sign}${Math.floor(totalS / 60)} min${s ? ` ${s} s` : ''}`;
  }
  const m = Math.floor((totalS % 3600) / 60);
  return `${sign}${Math.floor(totalS / 3600)} h${m ? ` ${m} min` : ''}`;
}

function trim(fixed: string): string {
  return fixed.replace(/\.0$/, '');
}

/**
 * A count or rate with thousands separators and at most one decimal below 100.
 * @example formatCount(12345) === '12,345'
 */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const abs = Math.abs(n);
  const digits = abs !== 0 && abs < 100 && !Number.isInteger(n) ? 1 : 0;
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}
