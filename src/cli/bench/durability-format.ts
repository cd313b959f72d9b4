// Formatting shared by the durability benchmarks (checkpoint-overhead.ts, snapshot-write.ts,
// recovery.ts): sizes, milliseconds and the line saying whether a target was met.

/** `3.12 M chars` / `850 K chars` / `120 chars` (characters of JSON, as checkpoint sizes are counted). */
export function formatChars(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M chars`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} K chars`;
  return `${n.toFixed(0)} chars`;
}

/** `1234 ms` / `12.3 ms` / `0.42 ms`. */
export function formatMillis(ms: number): string {
  if (Math.abs(ms) >= 100) return `${ms.toFixed(0)} ms`;
  if (Math.abs(ms) >= 1) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** `  target: checkpointed/plain >= 0.90: MISSED (0.03)` */
export function targetLine(ratioName: string, comparison: '>=' | '<=', target: number, value: number): string {
  const met = comparison === '>=' ? value >= target : value <= target;
  return `  target: ${ratioName} ${comparison} ${target.toFixed(2)}: ${met ? 'met' : 'MISSED'} (${value.toFixed(2)})`;
}
