import { describe, it, expect } from 'vitest';
import {
  afterCount,
  defaultTrigger,
  processingTimeTrigger,
  repeatedly,
  type Trigger,
  type WindowAssigner,
} from '../../../src/engine/api/index.ts';
import { at, id, numbers, rec, run } from './harness.ts';

/** Every element goes to its second and to its minute: two windows of different sizes. */
const secondAndMinute: WindowAssigner = {
  name: 'SecondAndMinute',
  isMerging: false,
  isEventTime: true,
  assign(ts, _pt, starts, ends) {
    const s = Math.floor(ts / 1000) * 1000;
    const m = Math.floor(ts / 60_000) * 60_000;
    starts[0] = s;
    ends[0] = s + 1000;
    starts[1] = m;
    ends[1] = m + 60_000;
    return 2;
  },
  defaultTrigger: (): Trigger => defaultTrigger(),
};

describe('a user-written WindowAssigner', () => {
  it('may put an element into windows of different sizes', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1500, 1), at(1700, 2), at(2100, 4))
      .advanceProcessingTime(100)
      .advanceWatermarkTo(1999)
      .advanceProcessingTime(100)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(secondAndMinute).sum(id).sink('out'));
    // Each window fires at its own max timestamp: [1000,2000) at W=1999; [2000,3000) and [0,60000) at the end.
    expect(r.out).toEqual([
      rec('a', 3, '[1000, 2000)', 'ON_TIME 0/0 first last', 1999, 100),
      rec('a', 4, '[2000, 3000)', 'ON_TIME 0/0 first last', 2999, 200),
      rec('a', 7, '[0, 60000)', 'ON_TIME 0/0 first last', 59_999, 200),
    ]);
  });

  it('supplies the trigger used when the pipeline sets none', () => {
    const everyTwo: WindowAssigner = { ...secondAndMinute, name: 'EveryTwo', defaultTrigger: () => repeatedly(afterCount(2)) };
    const spec = numbers().advanceWatermarkTo(0).addElements(at(1500, 1), at(1700, 2)).advanceProcessingTime(100).advanceWatermarkTo(1000).advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(everyTwo).sum(id).sink('out'));
    // Flink's WindowAssigner.getDefaultTrigger: both windows count 2 elements and fire EARLY together;
    // at the end each owes its ON_TIME pane (Beam FIRE_ALWAYS), empty but accumulating.
    expect(r.out).toEqual([
      rec('a', 3, '[1000, 2000)', 'EARLY 0/-1 first', 1999, 0),
      rec('a', 3, '[0, 60000)', 'EARLY 0/-1 first', 59_999, 0),
      rec('a', 3, '[1000, 2000)', 'ON_TIME 1/0 last', 1999, 100),
      rec('a', 3, '[0, 60000)', 'ON_TIME 1/0 last', 59_999, 100),
    ]);
  });

  it('a processing-time assigner windows by arrival time and fires on the processing clock', () => {
    const arrivalBuckets: WindowAssigner = {
      name: 'ArrivalBuckets',
      isMerging: false,
      isEventTime: false,
      assign(_ts, pt, starts, ends) {
        const s = pt - (pt % 10_000);
        starts[0] = s;
        ends[0] = s + 10_000;
        return 1;
      },
      defaultTrigger: () => processingTimeTrigger(),
    };
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(999_999, 1))
      .advanceProcessingTime(4000)
      .addElements(at(-5, 2))
      .advanceProcessingTime(8000)
      .addElements(at(7, 4))
      .advanceProcessingTime(20_000)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(arrivalBuckets).sum(id).sink('out'));
    // Event timestamps are ignored: arrivals at pt 0 and 4000 share [0,10000) (the ProcessingTimeTrigger's
    // timer for 9999 fires at pt 10000, as in Flink), the one at pt 12000 is in [10000,20000) (fires at
    // pt 20000). Measured on the processing clock, each firing at its window's end is that window's
    // ON_TIME and final pane.
    expect(r.out).toEqual([
      rec('a', 3, '[0, 10000)', 'ON_TIME 0/0 first last', 9999, 10_000),
      rec('a', 4, '[10000, 20000)', 'ON_TIME 0/0 first last', 19_999, 20_000),
    ]);
  });

  it('a merging assigner has its overlapping windows merged', () => {
    const grow: WindowAssigner = {
      name: 'Grow2s',
      isMerging: true,
      isEventTime: true,
      assign(ts, _pt, starts, ends) {
        starts[0] = ts;
        ends[0] = ts + 2000;
        return 1;
      },
      defaultTrigger: () => defaultTrigger(),
    };
    const spec = numbers().advanceWatermarkTo(0).addElements(at(1000, 1), at(2500, 2), at(5000, 4)).advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(grow).sum(id).sink('out'));
    // [1000,3000) and [2500,4500) merge into [1000,4500); [5000,7000) stays apart (4500 < 5000).
    expect(r.out).toEqual([
      rec('a', 3, '[1000, 4500)', 'ON_TIME 0/0 first last', 4499, 0),
      rec('a', 4, '[5000, 7000)', 'ON_TIME 0/0 first last', 6999, 0),
    ]);
  });
});
