import { describe, it, expect } from 'vitest';
import { slidingWindows, sessionWindows, tumblingWindows } from '../../../src/engine/api/index.ts';
import { at, id, numbers, rec, run } from './harness.ts';

const W = '[0, 10000)';
const END = 9999;

describe('allowed lateness', () => {
  it('a late element within the lateness fires a LATE pane at once, with everything so far', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceWatermarkTo(12_000)
      .advanceProcessingTime(100)
      .addElements(at(2000, 2))
      .advanceProcessingTime(100)
      .addElements(at(9999, 4))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(10_000)).allowedLateness(5000).sum(id).sink('out'));
    // Flink's EventTimeTrigger / Beam's DefaultTrigger fire for every late element; contents accumulate.
    expect(r.out).toEqual([
      rec('a', 1, W, 'ON_TIME 0/0 first', END, 0),
      rec('a', 3, W, 'LATE 1/1', END, 100),
      rec('a', 7, W, 'LATE 2/2', END, 200),
    ]);
  });

  it('an element is dropped once max timestamp + lateness <= watermark, and accepted one ms before', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceWatermarkTo(14_998)
      .advanceProcessingTime(100)
      .addElements(at(2000, 2))
      .advanceWatermarkTo(14_999)
      .advanceProcessingTime(100)
      .addElements(at(3000, 4))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(10_000)).allowedLateness(5000).sum(id).sink('out'));
    // Flink's isWindowLate: 9999 + 5000 <= W. At W = 14998 the window is open; at W = 14999 it is gone.
    expect(r.out).toEqual([rec('a', 1, W, 'ON_TIME 0/0 first', END, 0), rec('a', 3, W, 'LATE 1/1', END, 100)]);
    expect(r.events('recordDropped')).toEqual([
      {
        type: 'recordDropped',
        pt: 200,
        operator: 'sum TumblingWindows(10 s)',
        subtask: 0,
        reason: 'windowExpired',
        key: 'a',
        eventTime: 3000,
        watermark: 14_999,
        windows: [{ start: 0, end: 10_000 }],
      },
    ]);
  });

  it('with no allowed lateness an element whose window has reached its end is dropped', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceWatermarkTo(9999)
      .advanceProcessingTime(100)
      .addElements(at(9999, 2), at(10_000, 4))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(10_000)).sum(id).sink('out'));
    // W = 9999 = max timestamp: [0,10000) has fired and expired (9999 + 0 <= 9999); 10000 is on time for the next.
    expect(r.out).toEqual([rec('a', 1, W, 'ON_TIME 0/0 first last', END, 0), rec('a', 4, '[10000, 20000)', 'ON_TIME 0/0 first last', 19_999, 100)]);
    expect(r.events('recordDropped').map((e) => [e.reason, e.eventTime, e.watermark])).toEqual([['windowExpired', 9999, 9999]]);
  });

  it('every dropped record is traced, each with the windows it would have joined', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .advanceWatermarkTo(30_000)
      .addElements(at(1000, 1, 'a'), at(7000, 2, 'b'), at(25_000, 4, 'a'))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(slidingWindows(10_000, 5000)).sum(id).sink('out'));
    // 1000 and 7000 have only expired windows (listed newest first, as assigned). Of 25000's windows,
    // [20000,30000) has expired (29999 <= 30000) but [25000,35000) is open, so 25000 is not dropped.
    expect(r.events('recordDropped').map((e) => ({ key: e.key, eventTime: e.eventTime, windows: e.windows }))).toEqual([
      { key: 'a', eventTime: 1000, windows: [{ start: 0, end: 10_000 }, { start: -5000, end: 5000 }] },
      { key: 'b', eventTime: 7000, windows: [{ start: 5000, end: 15_000 }, { start: 0, end: 10_000 }] },
    ]);
    expect(r.out).toEqual([rec('a', 4, '[25000, 35000)', 'ON_TIME 0/0 first last', 34_999, 0)]);
  });

  it('sideOutputLateData sends records of expired windows to the side output instead of dropping them', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceWatermarkTo(20_000)
      .advanceProcessingTime(100)
      .addElements(at(2000, 2), at(21_000, 4))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => {
      const sums = k.window(tumblingWindows(10_000)).allowedLateness(5000).sideOutputLateData('late').sum(id);
      sums.sink('out');
      sums.getSideOutput<number>('late').sink('late');
    });
    // Flink's sideOutputLateData: the element goes out unchanged, with its own timestamp and key.
    expect(r.all).toEqual([
      { sink: 'out', key: 'a', value: 1, window: W, pane: 'ON_TIME 0/0 first', ts: END, pt: 0 },
      { sink: 'late', key: 'a', value: 2, ts: 2000, pt: 100 },
      { sink: 'out', key: 'a', value: 4, window: '[20000, 30000)', pane: 'ON_TIME 0/0 first', ts: 29_999, pt: 100 },
    ]);
    // A side-output record is traced as late, not as dropped.
    expect(r.events('recordDropped')).toEqual([]);
    expect(r.events('recordLate').map((e) => [e.eventTime, e.watermark, e.sideOutput])).toEqual([[2000, 20_000, 'late']]);
  });

  it('a window is cleaned up at max timestamp + lateness and traced as expired', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceWatermarkTo(14_998)
      .advanceProcessingTime(100)
      .advanceWatermarkTo(14_999)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(10_000)).allowedLateness(5000).sum(id).sink('out'));
    // Flink's cleanup timer at window.maxTimestamp() + allowedLateness = 14999.
    expect(r.events('windowExpired').map((e) => [e.pt, e.window])).toEqual([[100, { start: 0, end: 10_000 }]]);
  });

  it('a first element that arrives late but within the lateness gives a LATE first pane', () => {
    const spec = numbers().advanceWatermarkTo(12_000).addElements(at(5000, 1)).advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(10_000)).allowedLateness(5000).sum(id).sink('out'));
    // The window never fired on time; the output watermark already passed its end: Beam marks it LATE.
    expect(r.out).toEqual([rec('a', 1, W, 'LATE 0/0 first', END, 12_000)]);
  });

  it('a late element for a session merges within the lateness and is dropped after it', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceWatermarkTo(8000)
      .advanceProcessingTime(100)
      .addElements(at(2000, 2))
      .advanceWatermarkTo(9000)
      .advanceProcessingTime(100)
      .addElements(at(3000, 4))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(sessionWindows(5000)).allowedLateness(3000).sum(id).sink('out'));
    // [1000,6000) fires at 5999. 2000 -> [2000,7000) merges into [1000,7000): 6999 + 3000 > 8000, kept, and
    // W is past 6999 so it fires LATE at once (a new window: index 0, first). At W = 9000, 3000's merged
    // window [1000,8000) would end at 7999 + 3000 > 9000: still kept; LATE again.
    expect(r.out).toEqual([
      rec('a', 1, '[1000, 6000)', 'ON_TIME 0/0 first', 5999, 0),
      rec('a', 3, '[1000, 7000)', 'LATE 0/0 first', 6999, 100),
      rec('a', 7, '[1000, 8000)', 'LATE 0/0 first', 7999, 200),
    ]);
    const spec2 = numbers().advanceWatermarkTo(0).addElements(at(1000, 1)).advanceWatermarkTo(11_000).addElements(at(2000, 2)).advanceWatermarkToInfinity();
    const r2 = run(spec2, (k) => k.window(sessionWindows(5000)).allowedLateness(3000).sum(id).sink('out'));
    // The merged window [1000,7000) would have expired (6999 + 3000 <= 11000): Flink drops the element.
    expect(r2.events('recordDropped').map((e) => [e.reason, e.eventTime])).toEqual([['windowExpired', 2000]]);
  });

  it('a session element whose own window has expired is kept when it joins a live session (Flink)', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(5000, 1), at(7000, 2))
      .advanceWatermarkTo(6000)
      .advanceProcessingTime(100)
      .addElements(at(500, 4), at(100, 8))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(sessionWindows(5000)).sum(id).sink('out'));
    // 500's own window [500,5500) expired (5499 <= 6000) but touches the live [5000,12000): Flink merges
    // first and checks isWindowLate on the result [500,12000), which is open. 100's window [100,5100)
    // then also touches it. (Beam drops both before merging: its late-data check sees only [t, t + gap).)
    expect(r.out).toEqual([rec('a', 15, '[100, 12000)', 'ON_TIME 0/0 first last', 11_999, 100)]);
    expect(r.events('recordDropped')).toEqual([]);
  });
});
