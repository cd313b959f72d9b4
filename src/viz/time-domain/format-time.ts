// How the panels write times: instants as clock readings (`2:00`, `1:00:00`, `0:00.050`, or a
// UTC time of day for epoch timestamps), spans as durations (`30 s`, `10 min`), and tick values
// on round steps. Invariant: pure, so chart labels and explanation texts agree everywhere.

/** Timestamps from 1973 on are read as epoch milliseconds; smaller ones as time since 0. */
const EPOCH_FROM = 1e11;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * An instant as a clock reading: `m:ss` or `h:mm:ss` from time 0, or the UTC time of day
 * (`12:07:30`) for epoch timestamps, with milliseconds only when not whole seconds.
 * @example formatTime(120000) // '2:00'; formatTime(60001) // '1:00.001'
 */
export function formatTime(ms: number): string {
  if (ms === Number.POSITIVE_INFINITY) return '+∞';
  if (ms === Number.NEGATIVE_INFINITY) return '−∞';
  if (Math.abs(ms) >= EPOCH_FROM) {
    const d = new Date(ms);
    const frac = d.getUTCMilliseconds();
    return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${frac ? `.${pad(frac, 3)}` : ''}`;
  }
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(Math.round(ms));
  const h = Math.floor(abs / HOUR);
  const m = Math.floor((abs % HOUR) / MINUTE);
  const s = Math.floor((abs % MINUTE) / SECOND);
  const frac = abs % SECOND;
  const clock = h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
  return `${sign}${clock}${frac ? `.${pad(frac, 3)}` : ''}`;
}

/**
 * A span of time in words: `250 ms`, `30 s`, `1.5 s`, `10 min`, `1 min 30 s`, `2 h`.
 * @example formatDuration(30000) // '30 s'
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '∞';
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (abs < SECOND) return `${sign}${abs} ms`;
  const parts: string[] = [];
  const d = Math.floor(abs / DAY);
  const h = Math.floor((abs % DAY) / HOUR);
  const m = Math.floor((abs % HOUR) / MINUTE);
  const s = (abs % MINUTE) / SECOND;
  if (d) parts.push(`${d} d`);
  if (h) parts.push(`${h} h`);
  if (m) parts.push(`${m} min`);
  if (s) parts.push(`${Number.isInteger(s) ? s : s.toFixed(3).replace(/0+$/, '')} s`);
  return sign + parts.join(' ');
}

/** A window `[start, end)` as `2:00–7:00`. */
export function formatSpan(start: number, end: number): string {
  if (start === Number.NEGATIVE_INFINITY && end === Number.POSITIVE_INFINITY) return 'global';
  return `${formatTime(start)}–${formatTime(end)}`;
}

const STEPS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500,
  SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY,
];

/**
 * About `count` tick values on round time steps (seconds, minutes, hours) within [lo, hi].
 * @example timeTicks(0, 600000, 5) // [0, 120000, 240000, 360000, 480000, 600000]
 */
export function timeTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return Number.isFinite(lo) ? [lo] : [];
  const raw = (hi - lo) / Math.max(1, count);
  let step = STEPS.find((s) => s >= raw);
  if (step === undefined) step = Math.ceil(raw / DAY) * DAY;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) ticks.push(v);
  return ticks;
}
