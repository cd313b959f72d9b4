import { describe, expect, it } from 'vitest';
import { diffWindowSums } from '../../src/cli/bench/window-sum-compare.ts';
import {
  generateWindowSumDataset,
  windowStartOf,
  type WindowSumResult,
} from '../../src/cli/bench/window-sum-dataset.ts';
import { windowSumLoop } from '../../src/cli/bench/window-sum-loop.ts';
import { windowSumRxjs } from '../../src/cli/bench/window-sum-rxjs.ts';
import { median, ratioLine } from '../../src/cli/bench/report.ts';

const job = { windowSize: 10_000, outOfOrderness: 2_000, watermarkInterval: 200 };
const dataset = generateWindowSumDataset({ records: 200_000, keys: 500, rate: 2, seed: 7 }, job);

function total(result: WindowSumResult): number {
  return result.sums.reduce((a, b) => a + b, 0);
}

describe('window-sum benchmark', () => {
  it('generates the same records from the same seed', () => {
    const again = generateWindowSumDataset({ records: 1_000, keys: 500, rate: 2, seed: 7 }, job);
    expect(again.records).toEqual(dataset.records.slice(0, 1_000));
    expect(dataset.lateRecords).toBeGreaterThan(50);
  });

  it('loop and RxJS agree, and drop exactly the records generated late', () => {
    const loop = windowSumLoop(dataset.records, job);
    const rxjs = windowSumRxjs(dataset.records, job);
    expect(diffWindowSums('loop', loop, 'rxjs', rxjs)).toEqual([]);
    expect(loop.dropped).toBe(dataset.lateRecords);
  });

  it('sums every on-time record once, in its own window', () => {
    const loop = windowSumLoop(dataset.records, job);
    const all = dataset.records.reduce((sum, r) => sum + r.value, 0);
    expect(total(loop)).toBeLessThan(all);
    // Without watermarks nothing is late: a naive group-by over all records.
    const naive = new Map<string, number>();
    for (const r of dataset.records) {
      const id = `${r.key}/${windowStartOf(r.timestamp, job.windowSize)}`;
      naive.set(id, (naive.get(id) ?? 0) + r.value);
    }
    const seen = new Set<string>();
    for (let i = 0; i < loop.keys.length; i++) {
      const id = `${loop.keys[i]}/${loop.windowStarts[i]}`;
      expect(seen.has(id)).toBe(false);
      seen.add(id);
      expect(loop.sums[i]).toBeLessThanOrEqual(naive.get(id)!);
    }
    const lateValues = all - total(loop);
    expect(lateValues).toBeGreaterThanOrEqual(loop.dropped);
    expect(lateValues).toBeLessThanOrEqual(loop.dropped * 100);
  });

  it('describes a disagreement', () => {
    const a: WindowSumResult = { keys: [1, 2], windowStarts: [0, 0], sums: [5, 6], dropped: 0 };
    const b: WindowSumResult = { keys: [1, 2], windowStarts: [0, 0], sums: [5, 7], dropped: 1 };
    expect(diffWindowSums('loop', a, 'engine', b)).toEqual([
      'dropped late records: loop 0, engine 1',
      'outputs: loop 2, engine 2; 1 only in loop, 1 only in engine',
      '  only in loop: key 2 window 0 sum 6',
      '  only in engine: key 2 window 0 sum 7',
    ]);
  });

  it('reports medians and ratios with two decimals', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(ratioLine('engine', 'loop', 6.2e6, 1e7)).toBe('ratio engine/loop 0.62');
  });
});
