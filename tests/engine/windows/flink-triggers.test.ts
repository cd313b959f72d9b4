import { describe, it, expect } from 'vitest';
import {
  countTrigger,
  eventTimeTrigger,
  flinkTrigger,
  PipelineDefinitionError,
  processingTimeTrigger,
  purgingTrigger,
  sessionWindows,
  slidingProcessingTimeWindows,
  tumblingProcessingTimeWindows,
  tumblingWindows,
  type Trigger,
} from '../../../src/engine/api/index.ts';
import { at, id, numbers, rec, run } from './harness.ts';

const W = '[0, 10000)';
const END = 9999;

/** One element (value 2^i at timestamp 1000 + i) every 100 ms of processing time, then the end. */
function oneByOne(n: number) {
  let b = numbers().advanceWatermarkTo(0);
  for (let i = 0; i < n; i++) b = b.addElements(at(1000 + i, 2 ** i)).advanceProcessingTime(100);
  return b.advanceWatermarkToInfinity();
}

const tumblingSum = (trigger: Trigger, n: number) => run(oneByOne(n), (k) => k.window(tumblingWindows(10_000)).trigger(trigger).sum(id).sink('out'));

describe("Flink's triggers", () => {
  it('eventTimeTrigger fires at the end of the window and again for every late element', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceWatermarkTo(10_000)
      .advanceProcessingTime(100)
      .addElements(at(2000, 2))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(10_000)).trigger(eventTimeTrigger()).allowedLateness(5000).sum(id).sink('out'));
    // EventTimeTrigger.onElement returns FIRE when maxTimestamp <= watermark; without purging the window
    // keeps its contents, so the late pane holds 1 + 2. The cleanup timer fires nothing (Flink).
    expect(r.out).toEqual([rec('a', 1, W, 'ON_TIME 0/0 first', END, 0), rec('a', 3, W, 'LATE 1/1', END, 100)]);
  });

  it('processingTimeTrigger fires a processing-time window when the clock reaches its max timestamp', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .advanceProcessingTime(1000)
      .addElements(at(123, 1))
      .advanceProcessingTime(2000)
      .addElements(at(-50, 2))
      .advanceProcessingTime(3000)
      .addElements(at(7, 4))
      .advanceProcessingTime(10_000)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingProcessingTimeWindows(5000)).trigger(processingTimeTrigger()).sum(id).sink('out'));
    // Arrivals at pt 1000 and 3000 are in [0,5000), pt 6000 in [5000,10000). ProcessingTimeTrigger
    // registers a timer at maxTimestamp; Brook fires processing-time timers when the clock >= t.
    // The firing at the window's end is its one on-time pane, and the last (cleanup is at the same time).
    expect(r.out).toEqual([
      rec('a', 3, '[0, 5000)', 'ON_TIME 0/0 first last', 4999, 4999),
      rec('a', 4, '[5000, 10000)', 'ON_TIME 0/0 first last', 9999, 9999),
    ]);
  });

  it('tumblingProcessingTimeWindows use processingTimeTrigger by default', () => {
    const spec = numbers().advanceWatermarkTo(0).advanceProcessingTime(1000).addElements(at(5, 1)).advanceProcessingTime(10_000).advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingProcessingTimeWindows(5000)).sum(id).sink('out'));
    // Flink's TumblingProcessingTimeWindows.getDefaultTrigger() is ProcessingTimeTrigger.
    expect(r.out).toEqual([rec('a', 1, '[0, 5000)', 'ON_TIME 0/0 first last', 4999, 4999)]);
  });

  it('sliding processing-time windows fire each window at its end on the processing clock', () => {
    const spec = numbers().advanceWatermarkTo(0).advanceProcessingTime(7000).addElements(at(1, 1)).advanceProcessingTime(20_000).advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(slidingProcessingTimeWindows(10_000, 5000)).sum(id).sink('out'));
    // Flink's SlidingProcessingTimeWindows: arrival at pt 7000 is in [0,10000) and [5000,15000).
    expect(r.out).toEqual([
      rec('a', 1, '[0, 10000)', 'ON_TIME 0/0 first last', 9999, 9999),
      rec('a', 1, '[5000, 15000)', 'ON_TIME 0/0 first last', 14_999, 14_999),
    ]);
  });

  it('countTrigger fires every n elements without purging, and never on expiry', () => {
    const r = tumblingSum(countTrigger(2), 5);
    // CountTrigger returns FIRE (not FIRE_AND_PURGE): contents accumulate, 1+2 then 1+2+4+8. The 5th element
    // waits for a 6th that never comes; Flink's window operator does not fire on cleanup.
    expect(r.out).toEqual([rec('a', 3, W, 'EARLY 0/-1 first', END, 100), rec('a', 15, W, 'EARLY 1/-1', END, 300)]);
  });

  it('purgingTrigger turns every FIRE into FIRE_AND_PURGE', () => {
    const r = tumblingSum(purgingTrigger(countTrigger(2)), 5);
    // PurgingTrigger clears the window after each firing: [1,2], [4,8].
    expect(r.out).toEqual([rec('a', 3, W, 'EARLY 0/-1 first', END, 100), rec('a', 12, W, 'EARLY 1/-1', END, 300)]);
  });

  it('a purged window fires nothing when its trigger fires again with no new elements', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceWatermarkTo(10_000)
      .advanceProcessingTime(100)
      .addElements(at(2000, 2))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(10_000)).trigger(purgingTrigger(eventTimeTrigger())).allowedLateness(5000).sum(id).sink('out'));
    // On time: [1], purged. Late: [2] alone. Flink emits only when the window contents are not null.
    expect(r.out).toEqual([rec('a', 1, W, 'ON_TIME 0/0 first', END, 0), rec('a', 2, W, 'LATE 1/1', END, 100)]);
  });

  it('a custom flinkTrigger can fire early on a condition and fire-and-purge at the end', () => {
    const big = flinkTrigger<number>({
      name: 'BigValue',
      onElement: (v, _ts, w, ctx) => {
        ctx.registerEventTimeTimer(w.end - 1);
        return v > 100 ? 'FIRE' : 'CONTINUE';
      },
      onEventTime: (t, w) => (t === w.end - 1 ? 'FIRE_AND_PURGE' : 'CONTINUE'),
      onProcessingTime: () => 'CONTINUE',
    });
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 5), at(2000, 200))
      .advanceProcessingTime(100)
      .addElements(at(3000, 7))
      .advanceProcessingTime(100)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(10_000)).trigger(big).sum(id).sink('out'));
    // FIRE at 200 emits 5 + 200 and keeps it; the end-of-window timer emits 5 + 200 + 7 and purges.
    expect(r.out).toEqual([rec('a', 205, W, 'EARLY 0/-1 first', END, 0), rec('a', 212, W, 'ON_TIME 1/0 last', END, 200)]);
    expect(String(big)).toBe('BigValue');
  });

  it('a custom flinkTrigger keeps per-window state and sets processing-time timers', () => {
    const everyThreeOrOneSecond = flinkTrigger<number>({
      onElement: (_v, _ts, _w, ctx) => {
        const n = (ctx.getState<number>('n') ?? 0) + 1;
        if (n === 1) ctx.registerProcessingTimeTimer(ctx.currentProcessingTime + 1000);
        if (n === 3) {
          ctx.clearState('n');
          return 'FIRE_AND_PURGE';
        }
        ctx.setState('n', n);
        return 'CONTINUE';
      },
      onEventTime: () => 'CONTINUE',
      onProcessingTime: (_t, _w, ctx) => {
        ctx.clearState('n');
        return 'FIRE_AND_PURGE';
      },
    });
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1), at(2000, 2), at(3000, 4))
      .advanceProcessingTime(2000)
      .addElements(at(4000, 8))
      .advanceProcessingTime(2000)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(10_000)).trigger(everyThreeOrOneSecond).sum(id).sink('out'));
    // Three elements at pt 0 fire [1,2,4]; the timer set at pt 0 for pt 1000 then finds an empty window
    // (Flink emits nothing for empty contents). 8 at pt 2000 sets a timer for 3000 that fires [8].
    expect(r.out).toEqual([rec('a', 7, W, 'EARLY 0/-1 first', END, 0), rec('a', 8, W, 'EARLY 1/-1', END, 3000)]);
  });

  it('a PURGE result clears the window without emitting', () => {
    const resetOnNegative = flinkTrigger<number>({
      onElement: (v, _ts, w, ctx) => {
        ctx.registerEventTimeTimer(w.end - 1);
        return v < 0 ? 'PURGE' : 'CONTINUE';
      },
      onEventTime: (t, w) => (t === w.end - 1 ? 'FIRE' : 'CONTINUE'),
      onProcessingTime: () => 'CONTINUE',
    });
    const spec = numbers().advanceWatermarkTo(0).addElements(at(1000, 1), at(2000, 2), at(3000, -1), at(4000, 8)).advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(10_000)).trigger(resetOnNegative).sum(id).sink('out'));
    // PURGE drops 1, 2 and the -1 itself (it was added before the trigger ran); only 8 remains at the end.
    expect(r.out).toEqual([rec('a', 8, W, 'ON_TIME 0/0 first last', END, 0)]);
  });

  it("countTrigger merges its counts when session windows merge (Flink's CountTrigger.onMerge)", () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .addElements(at(8000, 2))
      .advanceProcessingTime(100)
      .addElements(at(5000, 4))
      .advanceProcessingTime(100)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(sessionWindows(5000)).trigger(countTrigger(3)).sum(id).sink('out'));
    // CountTrigger.onMerge calls mergePartitionedState: 1 + 1 counted in the two sessions, + 1 for 5000 = 3.
    expect(r.out).toEqual([rec('a', 7, '[1000, 13000)', 'EARLY 0/-1 first', 12_999, 100)]);
  });

  it('a Flink trigger without onMerge cannot be used with session windows', () => {
    const noMerge = flinkTrigger<number>({ onElement: () => 'FIRE', onEventTime: () => 'CONTINUE', onProcessingTime: () => 'CONTINUE' });
    const spec = numbers().addElements(at(1, 1)).advanceWatermarkToInfinity();
    // Flink's WindowedStream.trigger rejects a trigger whose canMerge() is false for a merging assigner.
    expect(() => run(spec, (k) => k.window(sessionWindows(5000)).trigger(noMerge).sum(id).sink('out'))).toThrow(PipelineDefinitionError);
    expect(() => run(spec, (k) => k.window(tumblingWindows(5000)).trigger(noMerge).sum(id).sink('out'))).not.toThrow();
  });
});
