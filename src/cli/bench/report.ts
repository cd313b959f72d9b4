// Numbers for benchmark reports: medians, rates and the fixed-format lines scripts read
// (`ratio engine/loop 0.62`).

/** The median of a non-empty list (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Records per second for each timed repetition. */
export function ratesOf(records: number, millis: readonly number[]): number[] {
  return millis.map((ms) => (records * 1000) / ms);
}

/** `12.3 M records/s`, or `850 K records/s` below a million. */
export function formatRate(recordsPerSecond: number): string {
  if (recordsPerSecond >= 1e6) return `${(recordsPerSecond / 1e6).toFixed(1)} M records/s`;
  return `${(recordsPerSecond / 1e3).toFixed(0)} K records/s`;
}

/** `5,000,000` */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** The line scripts read: `ratio engine/loop 0.62` (ratio of median records/s). */
export function ratioLine(name: string, over: string, rate: number, overRate: number): string {
  return `ratio ${name}/${over} ${(rate / overRate).toFixed(2)}`;
}

/** One implementation's line: name, median rate, and the spread of the repetitions. */
export function rateLine(name: string, rates: readonly number[], nameWidth: number): string {
  const spread = `min ${formatRate(Math.min(...rates))}, max ${formatRate(Math.max(...rates))}`;
  return `  ${name.padEnd(nameWidth)}  ${formatRate(median(rates)).padStart(18)}  (median of ${rates.length}; ${spread})`;
}
