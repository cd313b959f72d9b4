import { describe, it, expect } from 'vitest';
import { afterCount, countWindows, globalWindows, repeatedly } from '../../../src/engine/api/index.ts';
import { at, id, numbers, run } from './harness.ts';

const INF = Number.POSITIVE_INFINITY;

describe('the global window', () => {
  it('without a trigger fires once, when the input ends', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1), at(50_000, 2))
      .advanceProcessingTime(5000)
      .advanceWatermarkTo(1_000_000)
      .advanceProcessingTime(5000)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(globalWindows()).sum(id).sink('out'));
    // Beam: the global window's end is only reached by the final watermark; its result carries the
    // window's max timestamp (+inf in Brook).
    expect(r.out).toEqual([{ key: 'a', value: 3, window: 'global', pane: 'ON_TIME 0/0 first last', ts: INF, pt: 10_000 }]);
  });

  it('with repeatedly(afterCount(2)) fires every two elements, then a final pane for the rest', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1, 1), at(2, 2), at(3, 4))
      .advanceProcessingTime(100)
      .addElements(at(4, 8), at(5, 16))
      .advanceProcessingTime(100)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(globalWindows()).trigger(repeatedly(afterCount(2))).sum(id).sink('out'));
    // Accumulating (Brook's default): 1+2, then +4+8; the fifth element is emitted when the window
    // expires at the end of input (Beam fires a final pane for data not yet emitted), ON_TIME.
    expect(r.out).toEqual([
      { key: 'a', value: 3, window: 'global', pane: 'EARLY 0/-1 first', ts: INF, pt: 0 },
      { key: 'a', value: 15, window: 'global', pane: 'EARLY 1/-1', ts: INF, pt: 100 },
      { key: 'a', value: 31, window: 'global', pane: 'ON_TIME 2/0 last', ts: INF, pt: 200 },
    ]);
  });

  it('emits an empty ON_TIME pane at the end when every element was already emitted early', () => {
    const spec = numbers().advanceWatermarkTo(0).addElements(at(1, 1), at(2, 2)).advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(globalWindows()).trigger(repeatedly(afterCount(2))).discardingFiredPanes().count().sink('out'));
    // Beam's OnTimeBehavior.FIRE_ALWAYS: the ON_TIME pane fires even if empty; discarding, it counts 0.
    expect(r.out).toEqual([
      { key: 'a', value: 2, window: 'global', pane: 'EARLY 0/-1 first', ts: INF, pt: 0 },
      { key: 'a', value: 0, window: 'global', pane: 'ON_TIME 1/0 last', ts: INF, pt: 0 },
    ]);
  });
});

describe('count windows', () => {
  it('countWindows(n) fires and purges every n elements of a key; leftovers never fire', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(10, 1), at(20, 2), at(30, 4))
      .advanceProcessingTime(100)
      .addElements(at(40, 8), at(50, 16), at(60, 32), at(70, 64))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(countWindows(3)).sum(id).sink('out'));
    // Flink's countWindow(3) = GlobalWindows + PurgingTrigger(CountTrigger(3)): [1,2,4], [8,16,32];
    // 64 is left over and, with a Flink trigger, a window never fires on expiry.
    expect(r.out).toEqual([
      { key: 'a', value: 7, window: 'global', pane: 'EARLY 0/-1 first', ts: INF, pt: 0 },
      { key: 'a', value: 56, window: 'global', pane: 'EARLY 1/-1', ts: INF, pt: 100 },
    ]);
  });

  it('countWindows(size, slide) fires every slide elements over the last size elements', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1, 1), at(2, 2), at(3, 3), at(4, 4), at(5, 5), at(6, 6), at(7, 7))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(countWindows(3, 2)).sum(id).sink('out'));
    // Flink's countWindow(3, 2) = CountTrigger(2) + CountEvictor(3): fires after 2, 4, 6 elements over
    // [1,2], [2,3,4], [4,5,6]; 7 is never emitted.
    expect(r.out.map((o) => o.value)).toEqual([3, 9, 15]);
    expect(r.out.map((o) => o.pane)).toEqual(['EARLY 0/-1 first', 'EARLY 1/-1', 'EARLY 2/-1']);
  });

  it('a process function on a sliding count window sees exactly the kept elements', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1, 1), at(2, 2), at(3, 3), at(4, 4), at(5, 5), at(6, 6))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) =>
      k
        .window(countWindows(3, 2))
        .process<string>((_key, els, ctx) => ctx.output(els.join(',')))
        .sink('out'),
    );
    // The CountEvictor removes all but the last 3 elements before each evaluation (evictBefore).
    expect(r.out.map((o) => o.value)).toEqual(['1,2', '2,3,4', '4,5,6']);
  });

  it('each key counts its own elements', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1, 1, 'a'), at(2, 10, 'b'), at(3, 2, 'a'), at(4, 20, 'b'), at(5, 4, 'a'))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(countWindows(2)).sum(id).sink('out'));
    // A count window is the global window per key: a fires after its 2nd element, b after its 2nd.
    expect(r.out).toEqual([
      { key: 'a', value: 3, window: 'global', pane: 'EARLY 0/-1 first', ts: INF, pt: 0 },
      { key: 'b', value: 30, window: 'global', pane: 'EARLY 0/-1 first', ts: INF, pt: 0 },
    ]);
  });

  it('rejects sizes that are not positive integers', () => {
    // Flink's countWindow takes a long count; zero, negative or fractional sizes make no window.
    expect(() => countWindows(0)).toThrow(RangeError);
    expect(() => countWindows(2.5)).toThrow(RangeError);
    expect(() => countWindows(3, 0)).toThrow(RangeError);
  });
});
