import { describe, it, expect } from 'vitest';
import { afterCount, repeatedly, slidingWindows, tumblingWindows } from '../../../src/engine/api/index.ts';
import { at, id, numbers, rec, run } from './harness.ts';

const W = '[0, 10000)';
const END = 9999;

describe('afterCount (Beam AfterPane.elementCountAtLeast)', () => {
  it('fires once at the nth element and closes the window', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceProcessingTime(100)
      .addElements(at(2000, 2))
      .advanceProcessingTime(100)
      .addElements(at(3000, 4))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(10_000)).trigger(afterCount(2)).sum(id).sink('out'));
    // A OnceTrigger: the pane at the 2nd element is final; the 3rd element finds the window closed.
    expect(r.out).toEqual([rec('a', 3, W, 'EARLY 0/-1 first last', END, 100)]);
    expect(r.events('recordDropped').map((e) => [e.reason, e.eventTime])).toEqual([['windowClosed', 3000]]);
  });

  it('repeatedly fires every n elements and the rest fires when the window expires', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1), at(2000, 2), at(3000, 4), at(4000, 8), at(5000, 16))
      .advanceProcessingTime(100)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(10_000)).trigger(repeatedly(afterCount(2))).discardingFiredPanes().sum(id).sink('out'));
    // Beam: count resets after each firing; 16 is emitted by the final (garbage collection) pane, ON_TIME.
    expect(r.out).toEqual([
      rec('a', 3, W, 'EARLY 0/-1 first', END, 0),
      rec('a', 12, W, 'EARLY 1/-1', END, 0),
      rec('a', 16, W, 'ON_TIME 2/0 last', END, 100),
    ]);
  });

  it('counts only elements of its own window', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1), at(12_000, 2), at(3000, 4))
      .advanceProcessingTime(100)
      .advanceWatermarkTo(1_000_000)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(10_000)).trigger(repeatedly(afterCount(2))).sum(id).sink('out'));
    // [0,10000) reaches 2 with 3000; [10000,20000) holds one element and fires only at expiry.
    expect(r.out).toEqual([
      rec('a', 5, W, 'EARLY 0/-1 first', END, 0),
      rec('a', 5, W, 'ON_TIME 1/0 last', END, 100),
      rec('a', 2, '[10000, 20000)', 'ON_TIME 0/0 first last', 19_999, 100),
    ]);
  });

  it('in sliding windows, each element counts once in every window it belongs to', () => {
    const spec = numbers().advanceWatermarkTo(0).addElements(at(6000, 1), at(7000, 2)).advanceProcessingTime(100).advanceWatermarkTo(20_000).advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(slidingWindows(10_000, 5000)).trigger(repeatedly(afterCount(2))).sum(id).sink('out'));
    // Both elements are in [5000,15000) and [0,10000): each window reaches 2 on the second element
    // (windows listed newest first, as Flink assigns them), then owes its empty ON_TIME pane.
    expect(r.out).toEqual([
      rec('a', 3, '[5000, 15000)', 'EARLY 0/-1 first', 14_999, 0),
      rec('a', 3, W, 'EARLY 0/-1 first', END, 0),
      rec('a', 3, W, 'ON_TIME 1/0 last', END, 100),
      rec('a', 3, '[5000, 15000)', 'ON_TIME 1/0 last', 14_999, 100),
    ]);
  });

  it('counts keys separately', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1, 'a'), at(1000, 10, 'b'), at(2000, 2, 'a'))
      .advanceProcessingTime(100)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(10_000)).trigger(afterCount(2)).sum(id).sink('out'));
    // a reaches 2 elements; b has one, which the window's final pane emits at expiry (ON_TIME, last).
    expect(r.out).toEqual([
      rec('a', 3, W, 'EARLY 0/-1 first last', END, 0),
      rec('b', 10, W, 'ON_TIME 0/0 first last', END, 100),
    ]);
  });

  it('rejects counts that are not positive integers', () => {
    // Beam's elementCountAtLeast needs a count of at least 1.
    expect(() => afterCount(0)).toThrow(RangeError);
    expect(() => afterCount(1.5)).toThrow(RangeError);
  });
});
