import { describe, it, expect } from 'vitest';
import {
  countTrigger,
  eventTimeTrigger,
  flinkTrigger,
  PipelineDefinitionError,
  processingTimeTrigger,
  purgingTrigger,
  repeatedly,
  afterCount,
  sessionWindows,
  slidingProcessingTimeWindows,
  tumblingProcessingTimeWindows,
  tumblingWindows,
  type FlinkOnMergeContext,
  type FlinkTriggerContext,
  type Trigger,
  type Window,
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

  it('processingTimeTrigger fires a processing-time window 1 ms after its max timestamp, at its end', () => {
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
    // registers a timer at maxTimestamp (4999); Flink fires a processing-time timer for t at t + 1
    // (ProcessingTimeServiceUtil.getProcessingTimeDelay), so the window fires at pt 5000, its end.
    // The firing at the window's end is its one on-time pane, and the last (cleanup is at the same time).
    expect(r.out).toEqual([
      rec('a', 3, '[0, 5000)', 'ON_TIME 0/0 first last', 4999, 5000),
      rec('a', 4, '[5000, 10000)', 'ON_TIME 0/0 first last', 9999, 10_000),
    ]);
  });

  it('panes fired at a processing-time window\'s last millisecond are EARLY; the one at its end is ON_TIME', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .advanceProcessingTime(4999)
      .addElements(at(1, 1), at(2, 2))
      .advanceProcessingTime(10_000)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingProcessingTimeWindows(5000)).trigger(repeatedly(afterCount(1))).sum(id).sink('out'));
    // Both elements arrive at pt 4999, inside [0,5000), which stays open until its timer for 4999
    // fires at pt 5000 (Flink's t + 1). A count trigger firing at pt 4999 is therefore early
    // (before the window's end on the processing clock). At pt 5000 the window ends: Beam's
    // OnTimeBehavior.FIRE_ALWAYS emits the ON_TIME pane even though nothing arrived since the
    // last pane (accumulating, so it carries 1 + 2), and as the window expires it is the last.
    expect(r.out).toEqual([
      rec('a', 1, '[0, 5000)', 'EARLY 0/-1 first', 4999, 4999),
      rec('a', 3, '[0, 5000)', 'EARLY 1/-1', 4999, 4999),
      rec('a', 3, '[0, 5000)', 'ON_TIME 2/0 last', 4999, 5000),
    ]);
  });

  it('an element arriving at a processing-time window\'s max timestamp is in its single firing', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .advanceProcessingTime(1000)
      .addElements(at(1, 1))
      .advanceProcessingTime(3999)
      .addElements(at(2, 2))
      .advanceProcessingTime(1)
      .addElements(at(3, 4))
      .advanceProcessingTime(10_000)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingProcessingTimeWindows(5000)).trigger(processingTimeTrigger()).sum(id).sink('out'));
    // The timer for maxTimestamp 4999 fires at pt 5000, so the element arriving at pt 4999 is still
    // in [0,5000) and in its one firing; the element arriving at pt 5000 is in [5000,10000).
    expect(r.out).toEqual([
      rec('a', 3, '[0, 5000)', 'ON_TIME 0/0 first last', 4999, 5000),
      rec('a', 4, '[5000, 10000)', 'ON_TIME 0/0 first last', 9999, 10_000),
    ]);
  });

  it('tumblingProcessingTimeWindows use processingTimeTrigger by default', () => {
    const spec = numbers().advanceWatermarkTo(0).advanceProcessingTime(1000).addElements(at(5, 1)).advanceProcessingTime(10_000).advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingProcessingTimeWindows(5000)).sum(id).sink('out'));
    // Flink's TumblingProcessingTimeWindows.getDefaultTrigger() is ProcessingTimeTrigger: its timer for
    // 4999 fires at pt 5000.
    expect(r.out).toEqual([rec('a', 1, '[0, 5000)', 'ON_TIME 0/0 first last', 4999, 5000)]);
  });

  it('sliding processing-time windows fire each window at its end on the processing clock', () => {
    const spec = numbers().advanceWatermarkTo(0).advanceProcessingTime(7000).addElements(at(1, 1)).advanceProcessingTime(20_000).advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(slidingProcessingTimeWindows(10_000, 5000)).sum(id).sink('out'));
    // Flink's SlidingProcessingTimeWindows: arrival at pt 7000 is in [0,10000) and [5000,15000), which
    // fire at their ends, pt 10000 and 15000 (timers for 9999 and 14999, fired 1 ms later).
    expect(r.out).toEqual([
      rec('a', 1, '[0, 10000)', 'ON_TIME 0/0 first last', 9999, 10_000),
      rec('a', 1, '[5000, 15000)', 'ON_TIME 0/0 first last', 14_999, 15_000),
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
    // Three elements at pt 0 fire [1,2,4]; the timer set at pt 0 for pt 1000 then fires at 1001 and
    // finds an empty window (Flink emits nothing for empty contents). 8 at pt 2000 sets a timer for
    // 3000 that fires [8] at pt 3001 (Flink fires a processing-time timer 1 ms after its time).
    expect(r.out).toEqual([rec('a', 7, W, 'EARLY 0/-1 first', END, 0), rec('a', 8, W, 'EARLY 1/-1', END, 3001)]);
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

  it('a custom flinkTrigger merges its own state in onMerge, typed with the exported FlinkOnMergeContext', () => {
    // Written apart from flinkTrigger({...}), so the contexts need their exported types.
    const count = (ctx: FlinkTriggerContext): number => {
      const n = (ctx.getState<number>('n') ?? 0) + 1;
      ctx.setState('n', n);
      return n;
    };
    const onMerge = (_w: Window, ctx: FlinkOnMergeContext): void => ctx.mergePartitionedState<number>('n', (a, b) => a + b);
    const everyThird = flinkTrigger<number>({
      name: 'EveryThird',
      onElement: (_v, _ts, _w, ctx) => (count(ctx) % 3 === 0 ? 'FIRE' : 'CONTINUE'),
      onEventTime: () => 'CONTINUE',
      onProcessingTime: () => 'CONTINUE',
      onMerge,
    });
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .addElements(at(8000, 2))
      .advanceProcessingTime(100)
      .addElements(at(5000, 4))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(sessionWindows(5000)).trigger(everyThird).sum(id).sink('out'));
    // Each session counted 1; the merged window starts from 1 + 1, and 5000 makes it 3.
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
