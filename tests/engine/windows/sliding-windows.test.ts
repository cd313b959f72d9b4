import { describe, it, expect } from 'vitest';
import { slidingWindows } from '../../../src/engine/api/index.ts';
import { at, id, numbers, rec, run } from './harness.ts';

describe('sliding event-time windows', () => {
  it('an element belongs to size / slide windows and each fires at its own end', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(7000, 1))
      .advanceProcessingTime(100)
      .advanceWatermarkTo(9999)
      .advanceProcessingTime(100)
      .advanceWatermarkTo(14_999)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(slidingWindows(10_000, 5000)).sum(id).sink('out'));
    // Flink's SlidingEventTimeWindows: 7000 is in [0, 10000) and [5000, 15000); each fires at end - 1.
    expect(r.out).toEqual([
      rec('a', 1, '[0, 10000)', 'ON_TIME 0/0 first last', 9999, 100),
      rec('a', 1, '[5000, 15000)', 'ON_TIME 0/0 first last', 14_999, 200),
    ]);
  });

  it('overlapping windows each count the elements they cover', () => {
    const spec = numbers().advanceWatermarkTo(0).addElements(at(1000), at(6000), at(11_000)).advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(slidingWindows(10_000, 5000)).count().sink('out'));
    // [-5000,5000) has 1000; [0,10000) has 1000, 6000; [5000,15000) has 6000, 11000; [10000,20000) has 11000.
    expect(r.out).toEqual([
      rec('a', 1, '[-5000, 5000)', 'ON_TIME 0/0 first last', 4999, 0),
      rec('a', 2, '[0, 10000)', 'ON_TIME 0/0 first last', 9999, 0),
      rec('a', 2, '[5000, 15000)', 'ON_TIME 0/0 first last', 14_999, 0),
      rec('a', 1, '[10000, 20000)', 'ON_TIME 0/0 first last', 19_999, 0),
    ]);
  });

  it('a slide that does not divide the size gives ceil(size / slide) windows per element', () => {
    const spec = numbers().advanceWatermarkTo(0).addElements(at(7000, 1)).advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(slidingWindows(10_000, 3000)).sum(id).sink('out'));
    // Flink: for start = 6000 (last slide start <= 7000); start > 7000 - 10000; start -= 3000 -> 6000, 3000, 0.
    expect(r.out).toEqual([
      rec('a', 1, '[0, 10000)', 'ON_TIME 0/0 first last', 9999, 0),
      rec('a', 1, '[3000, 13000)', 'ON_TIME 0/0 first last', 12_999, 0),
      rec('a', 1, '[6000, 16000)', 'ON_TIME 0/0 first last', 15_999, 0),
    ]);
  });

  it('sliding windows honour an offset', () => {
    const spec = numbers().advanceWatermarkTo(0).addElements(at(7000, 1)).advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(slidingWindows(10_000, 5000, 2000)).sum(id).sink('out'));
    // Offset 2000: window starts are 2000 + 5000n; 7000 lies in [2000, 12000) and [7000, 17000).
    expect(r.out).toEqual([
      rec('a', 1, '[2000, 12000)', 'ON_TIME 0/0 first last', 11_999, 0),
      rec('a', 1, '[7000, 17000)', 'ON_TIME 0/0 first last', 16_999, 0),
    ]);
  });

  it('an element late for some of its windows still lands in the open ones, and is not traced as dropped', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceWatermarkTo(10_000)
      .advanceProcessingTime(100)
      .addElements(at(8000, 2))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(slidingWindows(10_000, 5000)).sum(id).sink('out'));
    // 8000's windows: [0,10000) expired (9999 <= 10000, Flink's isWindowLate) is skipped; [5000,15000) is open.
    expect(r.out).toEqual([
      rec('a', 1, '[-5000, 5000)', 'ON_TIME 0/0 first last', 4999, 0),
      rec('a', 1, '[0, 10000)', 'ON_TIME 0/0 first last', 9999, 0),
      rec('a', 2, '[5000, 15000)', 'ON_TIME 0/0 first last', 14_999, 100),
    ]);
    // Flink counts a record late only when every one of its windows was skipped.
    expect(r.events('recordDropped')).toEqual([]);
  });

  it('slide larger than size leaves gaps that no window covers', () => {
    const spec = numbers().advanceWatermarkTo(0).addElements(at(1000, 1), at(3500, 2), at(5500, 4)).advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(slidingWindows(2000, 5000)).sum(id).sink('out'));
    // Windows [0,2000), [5000,7000), ...: 3500 is in none (Flink assigns it no window and drops it silently).
    expect(r.out).toEqual([
      rec('a', 1, '[0, 2000)', 'ON_TIME 0/0 first last', 1999, 0),
      rec('a', 4, '[5000, 7000)', 'ON_TIME 0/0 first last', 6999, 0),
    ]);
  });
});
