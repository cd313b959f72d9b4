// Decides whether two runs of the windowed-sum job agree: the same multiset of
// (key, window start, sum) and the same number of dropped late records. Order is free.

import type { WindowSumResult } from './window-sum-dataset.ts';

/** How many examples of each kind of difference a summary shows. */
const EXAMPLES = 5;

/** Lines describing how `actual` differs from `expected`; empty when they agree. */
export function diffWindowSums(expectedName: string, expected: WindowSumResult, actualName: string, actual: WindowSumResult): string[] {
  const differences: string[] = [];
  if (expected.dropped !== actual.dropped) {
    differences.push(`dropped late records: ${expectedName} ${expected.dropped}, ${actualName} ${actual.dropped}`);
  }
  const counts = new Map<string, number>();
  const entry = (r: WindowSumResult, i: number) => `key ${r.keys[i]} window ${r.windowStarts[i]} sum ${r.sums[i]}`;
  for (let i = 0; i < expected.keys.length; i++) {
    const e = entry(expected, i);
    counts.set(e, (counts.get(e) ?? 0) + 1);
  }
  for (let i = 0; i < actual.keys.length; i++) {
    const e = entry(actual, i);
    counts.set(e, (counts.get(e) ?? 0) - 1);
  }
  const missing: string[] = [];
  const extra: string[] = [];
  for (const [e, count] of counts) {
    for (let n = count; n > 0; n--) missing.push(e);
    for (let n = count; n < 0; n++) extra.push(e);
  }
  if (missing.length > 0 || extra.length > 0) {
    differences.push(
      `outputs: ${expectedName} ${expected.keys.length}, ${actualName} ${actual.keys.length}; ` +
        `${missing.length} only in ${expectedName}, ${extra.length} only in ${actualName}`,
    );
    for (const e of missing.slice(0, EXAMPLES)) differences.push(`  only in ${expectedName}: ${e}`);
    for (const e of extra.slice(0, EXAMPLES)) differences.push(`  only in ${actualName}: ${e}`);
  }
  return differences;
}
