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
  return COUNT_FORMATS[digits]!.format(n);
}

/** Whole and one-decimal count formats, made once: `toLocaleString` with options builds one per call (axes format a few per frame). */
const COUNT_FORMATS = [0, 1].map((digits) => new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 }));

/**
 * A count short enough for an axis (a chart's left margin holds about six characters): `950`,
 * `20k`, `1.5M`.
 * @example compactCount(20000) === '20k'
 */
export function compactCount(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const sign = n < 0 ? '−' : '';
  const abs = Math.abs(n);
  if (abs < 1000) return sign + formatCount(abs);
  if (abs < 999_500) return `${sign}${trim((abs / 1000).toFixed(abs < 9_950 ? 1 : 0))}k`;
  return `${sign}${trim((abs / 1_000_000).toFixed(abs < 10_000_000 ? 1 : 0))}M`;
}

/**
 * A duration in one unit, short enough for an axis: `450 ms`, `80 s`, `12 min`.
 * @example compactDuration(-80000) === '−80 s'
 */
export function compactDuration(ms: number): string {
  const sign = ms < 0 ? '−' : '';
  const abs = Math.abs(ms);
  if (abs < 1000) return `${sign}${Math.round(abs)} ms`;
  if (abs < 120_000) return `${sign}${trim((abs / 1000).toFixed(abs < 10_000 ? 1 : 0))} s`;
  if (abs < 7_200_000) return `${sign}${Math.round(abs / 60_000)} min`;
  return `${sign}${trim((abs / 3_600_000).toFixed(1))} h`;
}

const CLOCK_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000];

/**
 * Tick values for a time axis in milliseconds, on steps a clock reader expects (10 s, 30 s,
 * 1 min, 5 min, …), about `count` of them.
 * @example clockTicks(0, 180000, 4) // [0, 60000, 120000, 180000]
 */
export function clockTicks(from: number, to: number, count: number): number[] {
  const span = to - from;
  if (!(span > 0) || count < 1) return [from];
  const step = CLOCK_STEPS.find((s) => span / s <= count) ?? CLOCK_STEPS.at(-1)!;
  const out: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) out.push(t);
  return out;
}
