import { describe, it, expect } from 'vitest';
import { afterProcessingTime, afterWatermark, globalWindows, repeatedly, tumblingWindows } from '../../../src/engine/api/index.ts';
import { at, id, numbers, rec, run } from './harness.ts';

const INF = Number.POSITIVE_INFINITY;
const W = '[0, 60000)';
const END = 59_999;

describe('afterProcessingTime (Beam AfterProcessingTime.pastFirstElementInPane)', () => {
  it('plusDelayOf fires once, the delay after the first element of the pane arrived', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceProcessingTime(3000)
      .addElements(at(2000, 2))
      .advanceProcessingTime(10_000)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(60_000)).trigger(afterProcessingTime().plusDelayOf(5000)).sum(id).sink('out'));
    // The delay runs from the first element (pt 0), not the latest: the target is pt 5000, and Beam
    // fires once the clock is strictly after it (isAfter), so at pt 5001, with both elements.
    // A OnceTrigger: that firing is the last and closes the window.
    expect(r.out).toEqual([rec('a', 3, W, 'EARLY 0/-1 first last', END, 5001)]);
  });

  it('fires strictly after its target: an element arriving exactly at the target joins the pane', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceProcessingTime(5000)
      .addElements(at(2000, 2))
      .advanceProcessingTime(1)
      .addElements(at(3000, 4))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(60_000)).trigger(afterProcessingTime().plusDelayOf(5000)).sum(id).sink('out'));
    // Target pt 5000. At pt 5000 the clock is not after it (Beam's isAfter; Flink-style timers fire
    // at t + 1), so the element arriving then is still in the pane; the pane fires at pt 5001,
    // before the element that arrives at 5001, which finds the window closed.
    expect(r.out).toEqual([rec('a', 3, W, 'EARLY 0/-1 first last', END, 5001)]);
    expect(r.events('recordDropped').map((e) => [e.reason, e.eventTime, e.pt])).toEqual([['windowClosed', 3000, 5001]]);
  });

  it('once finished, later elements of the window are dropped as windowClosed', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceProcessingTime(6000)
      .addElements(at(2000, 2))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(60_000)).trigger(afterProcessingTime().plusDelayOf(5000)).sum(id).sink('out'));
    // Beam drops elements for a closed window; the final pane at expiry is not emitted for a closed window.
    expect(r.out).toEqual([rec('a', 1, W, 'EARLY 0/-1 first last', END, 5001)]);
    expect(r.events('recordDropped').map((e) => [e.reason, e.eventTime, e.pt])).toEqual([['windowClosed', 2000, 6000]]);
  });

  it('repeatedly restarts the delay with the first element after each firing', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1, 1))
      .advanceProcessingTime(7000)
      .addElements(at(2, 2))
      .advanceProcessingTime(1000)
      .addElements(at(3, 4))
      .advanceProcessingTime(30_000)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(globalWindows()).trigger(repeatedly(afterProcessingTime().plusDelayOf(5000))).discardingFiredPanes().sum(id).sink('out'));
    // Panes: first element pt 0 -> target 5000, fires 5001 [1]; next first element pt 7000 -> target
    // 12000, fires 12001 [2, 4].
    // Nothing is pending at the end, but the global window still owes its ON_TIME pane (FIRE_ALWAYS), empty.
    expect(r.out).toEqual([
      { key: 'a', value: 1, window: 'global', pane: 'EARLY 0/-1 first', ts: INF, pt: 5001 },
      { key: 'a', value: 6, window: 'global', pane: 'EARLY 1/-1', ts: INF, pt: 12_001 },
      { key: 'a', value: 0, window: 'global', pane: 'ON_TIME 2/0 last', ts: INF, pt: 38_000 },
    ]);
  });

  it('alignedTo rounds the firing time up to the next multiple of the period', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .advanceProcessingTime(3000)
      .addElements(at(1000, 1))
      .advanceProcessingTime(12_000)
      .addElements(at(2000, 2))
      .advanceProcessingTime(20_000)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) =>
      k.window(tumblingWindows(60_000)).trigger(repeatedly(afterProcessingTime().alignedTo(10_000))).discardingFiredPanes().sum(id).sink('out'),
    );
    // Beam's AlignFn: pt 3000 -> 10000; pt 15000 -> 20000; each fires 1 ms after its target.
    expect(r.out).toEqual([
      rec('a', 1, W, 'EARLY 0/-1 first', END, 10_001),
      rec('a', 2, W, 'EARLY 1/-1', END, 20_001),
      rec('a', 0, W, 'ON_TIME 2/0 last', END, 35_000),
    ]);
  });

  it('alignedTo takes an offset', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .advanceProcessingTime(3000)
      .addElements(at(1000, 1))
      .advanceProcessingTime(20_000)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(60_000)).trigger(afterProcessingTime().alignedTo(10_000, 4000)).sum(id).sink('out'));
    // Period 10000 starting at 4000: pt 3000 rounds up to 4000; fires strictly after it, at 4001.
    expect(r.out).toEqual([rec('a', 1, W, 'EARLY 0/-1 first last', END, 4001)]);
  });

  it('plusDelayOf then alignedTo applies the steps in order', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .advanceProcessingTime(3500)
      .addElements(at(1000, 1))
      .advanceProcessingTime(20_000)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) =>
      k.window(tumblingWindows(60_000)).trigger(afterProcessingTime().plusDelayOf(1000).alignedTo(5000)).sum(id).sink('out'),
    );
    // Beam applies timestamp mappers in order: 3500 + 1000 = 4500, aligned up to 5000 (fires at 5001).
    const r2 = run(spec, (k) =>
      k.window(tumblingWindows(60_000)).trigger(afterProcessingTime().alignedTo(5000).plusDelayOf(1000)).sum(id).sink('out'),
    );
    // The other order: 3500 aligned to 5000, plus 1000 = 6000 (fires at 6001).
    expect([r.out, r2.out]).toEqual([
      [rec('a', 1, W, 'EARLY 0/-1 first last', END, 5001)],
      [rec('a', 1, W, 'EARLY 0/-1 first last', END, 6001)],
    ]);
  });

  it('a pending processing-time firing is abandoned when the input ends; the window fires at its end instead', () => {
    const spec = numbers().advanceWatermarkTo(0).addElements(at(1000, 1)).advanceProcessingTime(100).advanceWatermarkToInfinity();
    const r = run(spec, (k) =>
      k.window(tumblingWindows(60_000)).trigger(afterWatermark().withEarlyFirings(afterProcessingTime().plusDelayOf(5000))).sum(id).sink('out'),
    );
    // The final watermark reaches the end of the window at pt 100, before the early delay elapsed.
    expect(r.out).toEqual([rec('a', 1, W, 'ON_TIME 0/0 first last', END, 100)]);
  });

  it('each window of a key waits for its own first element', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceProcessingTime(2000)
      .addElements(at(70_000, 2))
      .advanceProcessingTime(10_000)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(60_000)).trigger(afterProcessingTime().plusDelayOf(5000)).sum(id).sink('out'));
    // Trigger state is per window: [0,60000) waits for pt 5000 and fires at 5001, [60000,120000)
    // waits for pt 7000 and fires at 7001.
    expect(r.out).toEqual([
      rec('a', 1, W, 'EARLY 0/-1 first last', END, 5001),
      rec('a', 2, '[60000, 120000)', 'EARLY 0/-1 first last', 119_999, 7001),
    ]);
  });
});
