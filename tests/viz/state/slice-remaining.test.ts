import { afterEach, describe, expect, it, vi } from 'vitest';
import { SlicedDraw } from '../../../src/viz/sliced-draw.ts';

// The state panel's lists catch up with a run within what is left of SlicedDraw's slice
// (SlicedDraw.remaining), leaving the rest of it for writing the lists.

describe('SlicedDraw.remaining', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is what is left of the slice, in each task of a sliced draw, and infinite when not sliced', () => {
    vi.useFakeTimers();
    let clock = 100;
    const left: number[] = [];
    const sliced = new SlicedDraw(3, () => {
      left.push(sliced.remaining());
      clock += 5;
    }, 8, () => clock);
    sliced.run('v1', true);
    // Parts 0 and 1 in the first task (8 ms slice: 8 left, then 3), part 2 first in the next.
    expect(left).toEqual([8, 3]);
    clock += 50;
    vi.runOnlyPendingTimers();
    expect(left).toEqual([8, 3, 8]);
    sliced.run('v2', false);
    expect(left.slice(3)).toEqual([Infinity, Infinity, Infinity]);
  });
});
