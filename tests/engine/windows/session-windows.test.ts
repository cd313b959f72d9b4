import { describe, it, expect } from 'vitest';
import {
  afterCount,
  afterProcessingTime,
  afterWatermark,
  eventTimeTrigger,
  repeatedly,
  sessionWindows,
} from '../../../src/engine/api/index.ts';
import { at, id, numbers, rec, run } from './harness.ts';

describe('session windows', () => {
  it('elements closer than the gap form one session spanning first element to last element + gap', () => {
    const spec = numbers().advanceWatermarkTo(0).addElements(at(1000, 1), at(4000, 2)).advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(sessionWindows(5000)).sum(id).sink('out'));
    // [1000, 6000) and [4000, 9000) overlap and merge into [1000, 9000).
    expect(r.out).toEqual([rec('a', 3, '[1000, 9000)', 'ON_TIME 0/0 first last', 8999, 0)]);
  });

  it('elements exactly one gap apart touch and merge, as in Flink', () => {
    const spec = numbers().advanceWatermarkTo(0).addElements(at(1000, 1), at(6000, 2)).advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(sessionWindows(5000)).sum(id).sink('out'));
    // Flink's TimeWindow.intersects: [1000,6000) and [6000,11000) touch (6000 <= 6000) -> one session.
    expect(r.out).toEqual([rec('a', 3, '[1000, 11000)', 'ON_TIME 0/0 first last', 10_999, 0)]);
  });

  it('elements more than one gap apart form separate sessions', () => {
    const spec = numbers().advanceWatermarkTo(0).addElements(at(1000, 1), at(6001, 2)).advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(sessionWindows(5000)).sum(id).sink('out'));
    // [1000, 6000) and [6001, 11001) neither overlap nor touch.
    expect(r.out).toEqual([
      rec('a', 1, '[1000, 6000)', 'ON_TIME 0/0 first last', 5999, 0),
      rec('a', 2, '[6001, 11001)', 'ON_TIME 0/0 first last', 11_000, 0),
    ]);
  });

  it('a new window merges only with the sessions it overlaps or touches', () => {
    const spec = numbers().advanceWatermarkTo(0).addElements(at(1000, 1), at(12_000, 2), at(7000, 4)).advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(sessionWindows(5000)).sum(id).sink('out'));
    // [7000, 12000) touches [12000, 17000) but not [1000, 6000) (6000 < 7000): two sessions remain.
    expect(r.out).toEqual([
      rec('a', 1, '[1000, 6000)', 'ON_TIME 0/0 first last', 5999, 0),
      rec('a', 6, '[7000, 17000)', 'ON_TIME 0/0 first last', 16_999, 0),
    ]);
    const spec2 = numbers().advanceWatermarkTo(0).addElements(at(1000, 1), at(12_000, 2), at(6500, 4)).advanceWatermarkToInfinity();
    const r2 = run(spec2, (k) => k.window(sessionWindows(5000)).sum(id).sink('out'));
    // [6500, 11500) starts after 6000 and ends before 12000: it touches neither, three sessions.
    expect(r2.out.map((o) => o.window)).toEqual(['[1000, 6000)', '[6500, 11500)', '[12000, 17000)']);
  });

  it('an element that bridges two sessions merges all three windows', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1), at(10_000, 2))
      .advanceProcessingTime(100)
      .addElements(at(5500, 4))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(sessionWindows(5000)).sum(id).sink('out'));
    // [5500, 10500) overlaps [1000, 6000) and [10000, 15000): Flink's MergingWindowSet merges all three.
    expect(r.out).toEqual([rec('a', 7, '[1000, 15000)', 'ON_TIME 0/0 first last', 14_999, 100)]);
  });

  it('a merge is traced with the windows merged and the result', () => {
    const spec = numbers().advanceWatermarkTo(0).addElements(at(1000, 1), at(10_000, 2), at(5500, 4)).advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(sessionWindows(5000)).sum(id).sink('out'));
    // One merge: the two existing sessions and the new element's window become [1000, 15000).
    expect(r.events('windowMerged').map((e) => ({ merged: e.merged, into: e.into }))).toEqual([
      {
        merged: [
          { start: 1000, end: 6000 },
          { start: 10_000, end: 15_000 },
          { start: 5500, end: 10_500 },
        ],
        into: { start: 1000, end: 15_000 },
      },
    ]);
  });

  it('the end-of-window timer of a merged-away session does not fire', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .addElements(at(5500, 2))
      .advanceProcessingTime(100)
      .advanceWatermarkTo(6000)
      .advanceProcessingTime(100)
      .advanceWatermarkTo(10_499)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(sessionWindows(5000)).sum(id).sink('out'));
    // [1000,6000)'s timer at 5999 was deleted when it merged into [1000,10500) (Flink clears merged triggers).
    expect(r.out).toEqual([rec('a', 3, '[1000, 10500)', 'ON_TIME 0/0 first last', 10_499, 200)]);
  });

  it('an early processing-time timer of a merged-away session fires no pane for the dead window', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceProcessingTime(5000)
      .addElements(at(3000, 2))
      .advanceProcessingTime(20_000)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) =>
      k
        .window(sessionWindows(5000))
        .trigger(afterWatermark().withEarlyFirings(afterProcessingTime().plusDelayOf(10_000)))
        .sum(id)
        .sink('out'),
    );
    // Beam: the merged window's delay is the earliest of the merged ones (pt 0 + 10000, fired at 10001,
    // strictly after it); the timer of [1000,6000) is for a window that no longer exists and fires nothing.
    expect(r.out).toEqual([
      rec('a', 3, '[1000, 8000)', 'EARLY 0/-1 first', 7999, 10_001),
      rec('a', 3, '[1000, 8000)', 'ON_TIME 1/0 last', 7999, 25_000),
    ]);
    expect(r.events('timerFired').filter((e) => e.domain === 'processingTime' && e.window?.end === 6000)).toEqual([]);
  });

  it('element counts are summed when sessions merge under afterCount', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .addElements(at(8000, 2))
      .advanceProcessingTime(100)
      .addElements(at(5000, 4))
      .advanceProcessingTime(100)
      .addElements(at(9000, 8))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(sessionWindows(5000)).trigger(repeatedly(afterCount(3))).discardingFiredPanes().sum(id).sink('out'));
    // Beam's AfterPane.onMerge sums ELEMENTS_IN_PANE: 1 + 1 then + 1 for 5000 = 3 -> fire. 9000 is one more,
    // emitted by the final pane when the session expires (Beam's closing behaviour).
    expect(r.out).toEqual([
      rec('a', 7, '[1000, 13000)', 'EARLY 0/-1 first', 12_999, 100),
      rec('a', 8, '[1000, 14000)', 'ON_TIME 0/0 first last', 13_999, 200),
    ]);
  });

  it('an element inside an existing session keeps its pane history', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1), at(4000, 2))
      .advanceProcessingTime(100)
      .addElements(at(2000, 4))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(sessionWindows(5000)).trigger(repeatedly(afterCount(1))).sum(id).sink('out'));
    // [2000,7000) lies inside [1000,9000): the merge result is the existing window, so its pane index goes on.
    expect(r.out).toEqual([
      rec('a', 1, '[1000, 6000)', 'EARLY 0/-1 first', 5999, 0),
      rec('a', 3, '[1000, 9000)', 'EARLY 0/-1 first', 8999, 0),
      rec('a', 7, '[1000, 9000)', 'EARLY 1/-1', 8999, 100),
      rec('a', 7, '[1000, 9000)', 'ON_TIME 2/0 last', 8999, 100),
    ]);
  });

  it('a late element that extends a fired session starts a new window at pane index 0', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceWatermarkTo(6000)
      .advanceProcessingTime(100)
      .addElements(at(4000, 2))
      .advanceProcessingTime(100)
      .advanceWatermarkTo(9000)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(sessionWindows(5000)).allowedLateness(10_000).sum(id).sink('out'));
    // [1000,6000) fired ON_TIME. 4000 merges it into [1000,9000), a new window whose end the watermark has
    // not reached: Beam clears the pane info of merged-away windows, so its on-time pane is index 0 again.
    expect(r.out).toEqual([
      rec('a', 1, '[1000, 6000)', 'ON_TIME 0/0 first', 5999, 0),
      rec('a', 3, '[1000, 9000)', 'ON_TIME 0/0 first', 8999, 200),
    ]);
  });

  it('a late element within lateness merging into a fired session fires a LATE pane for it', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1), at(3000, 2))
      .advanceWatermarkTo(10_000)
      .advanceProcessingTime(100)
      .addElements(at(2000, 4))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(sessionWindows(5000)).allowedLateness(10_000).sum(id).sink('out'));
    // [2000,7000) lies inside [1000,8000), which already fired: the default trigger fires again at once (LATE).
    expect(r.out).toEqual([
      rec('a', 3, '[1000, 8000)', 'ON_TIME 0/0 first', 7999, 0),
      rec('a', 7, '[1000, 8000)', 'LATE 1/1', 7999, 100),
    ]);
  });

  it('sessions of different keys never merge', () => {
    const spec = numbers().advanceWatermarkTo(0).addElements(at(1000, 1, 'a'), at(2000, 2, 'b'), at(3000, 4, 'a')).advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(sessionWindows(5000)).sum(id).sink('out'));
    // Merging happens within one key's windows (Flink keeps a MergingWindowSet per key).
    expect(r.out).toEqual([
      rec('b', 2, '[2000, 7000)', 'ON_TIME 0/0 first last', 6999, 0),
      rec('a', 5, '[1000, 8000)', 'ON_TIME 0/0 first last', 7999, 0),
    ]);
  });

  it("Flink's event-time trigger re-registers the merged session's end timer", () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1), at(5000, 2))
      .advanceProcessingTime(100)
      .advanceWatermarkTo(5999)
      .advanceProcessingTime(100)
      .advanceWatermarkTo(9999)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(sessionWindows(5000)).trigger(eventTimeTrigger()).sum(id).sink('out'));
    // EventTimeTrigger.onMerge registers maxTimestamp of [1000, 10000) = 9999; nothing fires at 5999.
    expect(r.out).toEqual([rec('a', 3, '[1000, 10000)', 'ON_TIME 0/0 first last', 9999, 200)]);
  });

  it('a session whose trigger finished no longer merges: a late neighbour starts a session of its own', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceWatermarkTo(7000)
      .advanceProcessingTime(100)
      .addElements(at(1000, 4))
      .advanceProcessingTime(100)
      .addElements(at(4000, 2))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(sessionWindows(5000)).trigger(afterWatermark()).allowedLateness(10_000).sum(id).sink('out'));
    // afterWatermark() finishes with the ON_TIME pane, closing [1000,6000), and Beam removes it from the
    // active windows. A second element at 1000 has exactly the closed window: dropped as windowClosed.
    // 4000's window [4000,9000) overlaps the closed session but merges with nothing: a session of its own.
    expect(r.out).toEqual([
      rec('a', 1, '[1000, 6000)', 'ON_TIME 0/0 first last', 5999, 0),
      rec('a', 2, '[4000, 9000)', 'ON_TIME 0/0 first last', 8999, 200),
    ]);
    expect(r.events('recordDropped').map((e) => [e.reason, e.eventTime, e.windows])).toEqual([['windowClosed', 1000, [{ start: 1000, end: 6000 }]]]);
  });
});
