// Sizes for people: checkpoint and state sizes in bytes (the engine counts characters of JSON,
// one byte each for the ASCII it writes, and bytes of binary chunks) in binary units, as
// Flink's web UI shows them.

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/**
 * `bytes` in the largest unit that keeps the number at or above 1, one decimal below 100.
 * @example humanSize(12595) === '12.3 KB'
 */
export function humanSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  return `${value < 100 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`;
}
