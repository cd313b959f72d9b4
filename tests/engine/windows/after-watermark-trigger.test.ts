import { describe, it, expect } from 'vitest';
import { afterCount, afterProcessingTime, afterWatermark, tumblingWindows } from '../../../src/engine/api/index.ts';
import { at, id, numbers, rec, run } from './harness.ts';

const W = '[0, 10000)';
const END = 9999;

describe('afterWatermark (Beam AfterWatermark.pastEndOfWindow)', () => {
  it('fires one ON_TIME pane that is also the last, and closes the window', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1), at(2000, 2))
      .advanceProcessingTime(100)
      .advanceWatermarkTo(END)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(10_000)).trigger(afterWatermark()).sum(id).sink('out'));
    // AfterWatermark is a OnceTrigger: its only firing finishes it, so the pane is the final one.
    expect(r.out).toEqual([rec('a', 3, W, 'ON_TIME 0/0 first last', END, 100)]);
  });

  it('elements after the trigger finished are dropped as windowClosed, even within the allowed lateness', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceWatermarkTo(12_000)
      .advanceProcessingTime(100)
      .addElements(at(5000, 2))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(10_000)).trigger(afterWatermark()).allowedLateness(60_000).sum(id).sink('out'));
    // Beam's ReduceFnRunner drops elements of a window whose trigger is closed (droppedDueToClosedWindow).
    expect(r.out).toEqual([rec('a', 1, W, 'ON_TIME 0/0 first last', END, 0)]);
    expect(r.events('recordDropped').map((e) => ({ reason: e.reason, eventTime: e.eventTime, watermark: e.watermark, windows: e.windows, pt: e.pt }))).toEqual([
      { reason: 'windowClosed', eventTime: 5000, watermark: 12_000, windows: [{ start: 0, end: 10_000 }], pt: 100 },
    ]);
  });

  it('early processing-time firings repeat before the watermark, then one ON_TIME pane', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceProcessingTime(3000)
      .addElements(at(2000, 2))
      .advanceProcessingTime(3000)
      .advanceProcessingTime(10_000)
      .advanceWatermarkTo(END)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) =>
      k.window(tumblingWindows(10_000)).trigger(afterWatermark().withEarlyFirings(afterProcessingTime().plusDelayOf(1000))).sum(id).sink('out'),
    );
    // Early: pt 0 + 1000, then pt 3000 + 1000 (early firings repeat, each timed from a pane's first
    // element), each firing 1 ms after its target, once the clock is strictly after it (Beam's isAfter).
    // ON_TIME at the watermark with nothing new: FIRE_ALWAYS still emits it; lateness 0 makes it the last.
    expect(r.out).toEqual([
      rec('a', 1, W, 'EARLY 0/-1 first', END, 1001),
      rec('a', 3, W, 'EARLY 1/-1', END, 4001),
      rec('a', 3, W, 'ON_TIME 2/0 last', END, 16_000),
    ]);
  });

  it('early count firings fire every n elements before the end of the window', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1), at(2000, 2), at(3000, 4), at(4000, 8), at(5000, 16))
      .advanceProcessingTime(100)
      .advanceWatermarkTo(END)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) =>
      k.window(tumblingWindows(10_000)).trigger(afterWatermark().withEarlyFirings(afterCount(2))).discardingFiredPanes().sum(id).sink('out'),
    );
    // Discarding: [1,2], [4,8], then the ON_TIME pane holds the remaining 16.
    expect(r.out).toEqual([
      rec('a', 3, W, 'EARLY 0/-1 first', END, 0),
      rec('a', 12, W, 'EARLY 1/-1', END, 0),
      rec('a', 16, W, 'ON_TIME 2/0 last', END, 100),
    ]);
  });

  it('late firings fire a LATE pane per late element within the allowed lateness', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceWatermarkTo(15_000)
      .advanceProcessingTime(100)
      .addElements(at(2000, 2))
      .advanceProcessingTime(100)
      .addElements(at(3000, 4))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) =>
      k.window(tumblingWindows(10_000)).trigger(afterWatermark().withLateFirings(afterCount(1))).allowedLateness(10_000).sum(id).sink('out'),
    );
    // After the ON_TIME pane the late trigger repeats: each late element fires a LATE pane (accumulating).
    // At expiry nothing is pending, so no final pane: the last LATE pane is not marked last.
    expect(r.out).toEqual([
      rec('a', 1, W, 'ON_TIME 0/0 first', END, 0),
      rec('a', 3, W, 'LATE 1/1', END, 100),
      rec('a', 7, W, 'LATE 2/2', END, 200),
    ]);
  });

  it('late firings on a processing-time delay batch the late elements that arrive within the delay', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceWatermarkTo(10_000)
      .advanceProcessingTime(100)
      .addElements(at(2000, 2))
      .advanceProcessingTime(400)
      .addElements(at(3000, 4))
      .advanceProcessingTime(1500)
      .addElements(at(4000, 8))
      .advanceProcessingTime(5000)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) =>
      k
        .window(tumblingWindows(10_000))
        .trigger(afterWatermark().withLateFirings(afterProcessingTime().plusDelayOf(1000)))
        .allowedLateness(60_000)
        .sum(id)
        .sink('out'),
    );
    // The late trigger starts its delay with the first late element after each firing: pt 100 -> 1100,
    // fired at 1101 (holding 2 and 4), pt 2000 -> 3000, fired at 3001 (holding 8). Accumulating: 1, 7, 15.
    expect(r.out).toEqual([
      rec('a', 1, W, 'ON_TIME 0/0 first', END, 0),
      rec('a', 7, W, 'LATE 1/1', END, 1101),
      rec('a', 15, W, 'LATE 2/2', END, 3001),
    ]);
  });

  it('late firings on a count of two leave an odd element to the final pane at expiry', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceWatermarkTo(15_000)
      .advanceProcessingTime(100)
      .addElements(at(2000, 2), at(3000, 4), at(4000, 8))
      .advanceProcessingTime(100)
      .advanceWatermarkTo(19_999)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) =>
      k.window(tumblingWindows(10_000)).trigger(afterWatermark().withLateFirings(afterCount(2))).allowedLateness(10_000).discardingFiredPanes().sum(id).sink('out'),
    );
    // [2,4] fires a LATE pane; 8 waits and is emitted when the window expires at 9999 + 10000 = 19999
    // (Beam's garbage-collection firing: a final LATE pane, isLast).
    expect(r.out).toEqual([
      rec('a', 1, W, 'ON_TIME 0/0 first', END, 0),
      rec('a', 6, W, 'LATE 1/1', END, 100),
      rec('a', 8, W, 'LATE 2/2 last', END, 200),
    ]);
  });

  it('with early but no late firings, the ON_TIME pane finishes the trigger and late elements are dropped', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceProcessingTime(2000)
      .advanceWatermarkTo(10_000)
      .advanceProcessingTime(100)
      .addElements(at(2000, 2))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) =>
      k
        .window(tumblingWindows(10_000))
        .trigger(afterWatermark().withEarlyFirings(afterProcessingTime().plusDelayOf(1000)))
        .allowedLateness(60_000)
        .sum(id)
        .sink('out'),
    );
    // Beam's AfterWatermarkEarlyAndLate without a late trigger finishes at the end of the window.
    // The early pane waits for pt 1000 and fires at 1001.
    expect(r.out).toEqual([
      rec('a', 1, W, 'EARLY 0/-1 first', END, 1001),
      rec('a', 1, W, 'ON_TIME 1/0 last', END, 2000),
    ]);
    expect(r.events('recordDropped').map((e) => e.reason)).toEqual(['windowClosed']);
  });

  it('early and late firings together give EARLY*, ON_TIME, LATE*', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1), at(2000, 2))
      .advanceProcessingTime(100)
      .addElements(at(3000, 4))
      .advanceWatermarkTo(10_000)
      .advanceProcessingTime(100)
      .addElements(at(4000, 8))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) =>
      k
        .window(tumblingWindows(10_000))
        .trigger(afterWatermark().withEarlyFirings(afterCount(2)).withLateFirings(afterCount(1)))
        .allowedLateness(5000)
        .sum(id)
        .sink('out'),
    );
    // Index counts every pane; onTimeIndex is -1 for EARLY panes and counts from the ON_TIME one.
    expect(r.out).toEqual([
      rec('a', 3, W, 'EARLY 0/-1 first', END, 0),
      rec('a', 7, W, 'ON_TIME 1/0', END, 100),
      rec('a', 15, W, 'LATE 2/1', END, 200),
    ]);
  });

  it('the ON_TIME pane can be suppressed when empty with FIRE_IF_NON_EMPTY', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1), at(2000, 2))
      .advanceProcessingTime(100)
      .advanceWatermarkTo(10_000)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) =>
      k
        .window(tumblingWindows(10_000))
        .trigger(afterWatermark().withEarlyFirings(afterCount(2)))
        .withOnTimeBehavior('FIRE_IF_NON_EMPTY')
        .sum(id)
        .sink('out'),
    );
    // Beam's needToEmit: an empty pane is emitted only for FIRE_ALWAYS (ON_TIME) or ClosingBehavior.FIRE_ALWAYS.
    expect(r.out).toEqual([rec('a', 3, W, 'EARLY 0/-1 first', END, 0)]);
  });

  it('a first pane made only of late data is LATE, not ON_TIME', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(15_000, 100))
      .advanceWatermarkTo(12_000)
      .advanceProcessingTime(100)
      .addElements(at(1000, 1))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) =>
      k.window(tumblingWindows(10_000)).trigger(afterWatermark().withLateFirings(afterCount(1))).allowedLateness(5000).sum(id).sink('out'),
    );
    // Beam's PaneInfoTracker: the output watermark (12000) is past 9999, so the pane is LATE with
    // index 0 and onTimeIndex 0. The window [10000, 20000) fires ON_TIME at the end as usual.
    expect(r.out).toEqual([
      rec('a', 1, W, 'LATE 0/0 first', END, 100),
      rec('a', 100, '[10000, 20000)', 'ON_TIME 0/0 first', 19_999, 100),
    ]);
  });
});
