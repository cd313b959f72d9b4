import { describe, expect, it } from 'vitest';
import { thinLabels } from '../../../src/viz/time-domain/label-layout.ts';
import { paneRowHeight } from '../../../src/viz/time-domain/draw-chart.ts';

describe('label thinning', () => {
  it('keeps labels by priority and leaves out those that would overlap a kept one', () => {
    const boxes = [
      { x: 0, y: 0, width: 50, height: 10, priority: 0 },
      { x: 40, y: 0, width: 50, height: 10, priority: 1 },
      { x: 100, y: 0, width: 50, height: 10, priority: 0 },
      { x: 0, y: 20, width: 50, height: 10, priority: 0 },
    ];
    expect(thinLabels(boxes)).toEqual([1, 2, 3]);
  });

  it('keeps the earlier of two equal labels that overlap', () => {
    expect(thinLabels([{ x: 0, y: 0, width: 10, height: 10, priority: 0 }, { x: 5, y: 5, width: 10, height: 10, priority: 0 }])).toEqual([0]);
  });
});

describe('pane rows', () => {
  it('keep full height when firings are far apart, and share the smallest gap when they crowd', () => {
    expect(paneRowHeight([100, 300], 7)).toBe(18);
    expect(paneRowHeight([100, 123, 146], 3)).toBeCloseTo(23 / 3);
    expect(paneRowHeight([100, 101], 3)).toBe(3);
    expect(paneRowHeight([100], 3)).toBe(18);
  });
});
