import { afterEach, describe, expect, it, vi } from 'vitest';
import { SlicedDraw } from '../../src/viz/sliced-draw.ts';

describe('SlicedDraw', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('draws every part at once when not sliced, and nothing again for the same key', () => {
    const drawn: number[] = [];
    const sliced = new SlicedDraw(3, (i) => drawn.push(i), 10, () => 0);
    sliced.run('v1', false);
    sliced.run('v1', false);
    expect(drawn).toEqual([0, 1, 2]);
    expect(sliced.isDrawn('v1')).toBe(true);
  });

  it('when sliced, stops once the slice is spent and draws the rest in the next task', () => {
    vi.useFakeTimers();
    let clock = 0;
    const drawn: number[] = [];
    const sliced = new SlicedDraw(4, (i) => (drawn.push(i), (clock += 7)), 12, () => clock);
    sliced.run('v1', true);
    expect(drawn).toEqual([0, 1]);
    vi.runOnlyPendingTimers();
    expect(drawn).toEqual([0, 1, 2, 3]);
    expect(sliced.isDrawn('v1')).toBe(true);
  });

  it('goes on from the part after the last drawn when a new key comes mid-way, so no part starves', () => {
    vi.useFakeTimers();
    let clock = 0;
    const drawn: string[] = [];
    let key = 'v1';
    const sliced = new SlicedDraw(3, (i) => (drawn.push(`${i}@${key}`), (clock += 20)), 12, () => clock);
    sliced.run(key, true);
    key = 'v2';
    sliced.run(key, true);
    key = 'v3';
    sliced.run(key, true);
    expect(drawn).toEqual(['0@v1', '1@v2', '2@v3']);
    vi.runOnlyPendingTimers();
    vi.runOnlyPendingTimers();
    expect(drawn).toEqual(['0@v1', '1@v2', '2@v3', '0@v3', '1@v3']);
    expect(sliced.isDrawn('v3')).toBe(true);
  });

  it('draws every part again after invalidate, and a cancelled continuation draws nothing', () => {
    vi.useFakeTimers();
    let clock = 0;
    const drawn: number[] = [];
    const sliced = new SlicedDraw(2, (i) => (drawn.push(i), (clock += 20)), 12, () => clock);
    sliced.run('v1', true);
    sliced.cancel();
    vi.advanceTimersByTime(10);
    expect(drawn).toEqual([0]);
    sliced.invalidate();
    sliced.run('v1', false);
    expect(drawn).toEqual([0, 1, 0]);
  });

  it("draws a finished run's final key in slices too, one expensive part per task, ending with every part drawn for it", () => {
    // As the metrics panel at a run's end: four cards, each a computing part and a drawing part,
    // every part over the slice (a rescale to the whole run); the key moves on once meanwhile.
    vi.useFakeTimers();
    let clock = 0;
    const drawn: string[] = [];
    let key = 'live';
    const sliced = new SlicedDraw(8, (i) => (drawn.push(`${i}@${key}`), (clock += 9)), 8, () => clock);
    sliced.run(key, true);
    key = 'final';
    sliced.run(key, true);
    const tasks = [drawn.length];
    while (vi.getTimerCount() > 0) {
      vi.runOnlyPendingTimers();
      tasks.push(drawn.length - tasks.reduce((a, b) => a + b, 0));
    }
    expect(tasks).toEqual([2, 1, 1, 1, 1, 1, 1, 1]);
    expect(drawn).toEqual(['0@live', '1@final', '2@final', '3@final', '4@final', '5@final', '6@final', '7@final', '0@final']);
    expect(sliced.isDrawn('final')).toBe(true);
  });

  it('calls a part that did a piece of its work again, at once while the slice lasts and in the next task once it is spent', () => {
    vi.useFakeTimers();
    let clock = 0;
    const calls: number[] = [];
    // Part 1 needs five pieces of 3 ms; the others 1 ms.
    let pieces = 5;
    const sliced = new SlicedDraw(3, (i) => {
      calls.push(i);
      clock += i === 1 ? 3 : 1;
      return i === 1 ? --pieces === 0 : undefined;
    }, 8, () => clock);
    sliced.run('v1', true);
    expect(calls).toEqual([0, 1, 1, 1]);
    expect(sliced.isDrawn('v1')).toBe(false);
    vi.runOnlyPendingTimers();
    expect(calls).toEqual([0, 1, 1, 1, 1, 1, 2]);
    expect(sliced.isDrawn('v1')).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('when not sliced, calls a part in pieces until it is done, in the same task', () => {
    let pieces = 3;
    const calls: number[] = [];
    const sliced = new SlicedDraw(2, (i) => (calls.push(i), i === 0 ? --pieces === 0 : undefined), 8, () => 0);
    sliced.run('v1', false);
    expect(calls).toEqual([0, 0, 0, 1]);
    expect(sliced.isDrawn('v1')).toBe(true);
  });
});
