import { describe, expect, it } from 'vitest';
import { thinLabels } from '../../../src/viz/time-domain/label-layout.ts';

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
