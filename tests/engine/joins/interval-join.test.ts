// Interval joins (Flink's KeyedStream.intervalJoin(...).between(lower, upper).process(...)), checked
// against IntervalJoinOperator: a left element at t joins the right elements of its key with time in
// [t + lower, t + upper], both bounds inclusive; the pair's timestamp is max(left, right). An element
// with timestamp < W is late and dropped. Each side's buffer is cleaned by an event-time timer: a
// left element at t leaves at t + upper (or t when upper <= 0), a right one at t - lower (or t).

import { describe, expect, it } from 'vitest';
import { testStream, type Pipeline, type TestStreamSpec } from '../../../src/engine/api/index.ts';
import { runSampled, runWithTrace, stateEntriesOf } from '../harness.ts';

interface E {
  k: string;
  t: number;
}
const e = (k: string, t: number) => ({ value: { k, t }, timestamp: t });

function intervalJoin(left: TestStreamSpec<E>, right: TestStreamSpec<E>, lower: number, upper: number) {
  return (p: Pipeline) => {
    p.testStream(left, { name: 'left' })
      .keyBy((x) => x.k)
      .intervalJoin(p.testStream(right, { name: 'right' }).keyBy((x) => x.k))
      .between(lower, upper)
      .process<string>((l, r, ctx) => ctx.output(`${l.t}-${r.t}@${ctx.timestamp}`), { name: 'ij' })
      .sink('pairs');
  };
}

describe('interval join', () => {
  it('pairs each left element with the right elements in [t + lower, t + upper], bounds included', () => {
    // All left elements come first (pt 0), then the right ones (pt 10); the watermark stays at 0.
    const left = testStream<E>().advanceWatermarkTo(0).addElements(e('a', 10), e('a', 20), e('b', 10)).advanceProcessingTime(20).advanceWatermarkToInfinity();
    const right = testStream<E>()
      .advanceWatermarkTo(0)
      .advanceProcessingTime(10)
      .addElements(e('a', 7), e('a', 8), e('a', 9), e('a', 11), e('a', 12), e('a', 18), e('a', 21), e('a', 22), e('c', 10))
      .advanceWatermarkToInfinity();
    const r = runWithTrace(intervalJoin(left, right, -2, 1));
    // Left 10 takes right in [8, 11]: 8, 9, 11 (7 and 12 are just outside); left 20 takes [18, 21]: 18, 21.
    // Each right element joins the buffered left ones as it arrives; the pair's time is the larger one.
    expect(r.records.map((x) => [x.value, x.key])).toEqual([
      ['10-8@10', 'a'],
      ['10-9@10', 'a'],
      ['10-11@11', 'a'],
      ['20-18@20', 'a'],
      ['20-21@21', 'a'],
    ]);
  });

  it('drops elements behind the watermark but keeps one exactly at it', () => {
    const left = testStream<E>().advanceWatermarkTo(100).addElements(e('a', 99), e('a', 100)).advanceProcessingTime(10).advanceWatermarkToInfinity();
    const right = testStream<E>().advanceWatermarkTo(100).addElements(e('a', 100), e('a', 101)).advanceProcessingTime(10).advanceWatermarkToInfinity();
    const r = runWithTrace(intervalJoin(left, right, 0, 5));
    // Flink's isLate is timestamp < W: 99 is dropped at W = 100, 100 is not.
    expect(r.records.map((x) => x.value)).toEqual(['100-100@100', '100-101@101']);
    expect(r.eventsOf('recordDropped').map((x) => [x.eventTime, x.watermark, x.reason])).toEqual([[99, 100, 'late']]);
  });

  it('removes buffered elements when the watermark reaches their cleanup time', () => {
    // between(-5, 5): left 100 is kept until W >= 105, right 100 until W >= 100 - (-5) = 105.
    const steps = (w: number[]) => {
      let b = testStream<E>().advanceWatermarkTo(0).addElements(e('a', 100));
      for (const x of w) b = b.advanceProcessingTime(100).advanceWatermarkTo(x);
      return b.advanceProcessingTime(100).advanceWatermarkToInfinity();
    };
    const run = runSampled(intervalJoin(steps([104, 105]), steps([104, 105]), -5, 5), { sampleAt: [50, 150, 250] });
    // pt 0: both buffered (one entry per side and key); pt 100: W = 104, still there; pt 200: W = 105, gone.
    expect(run.samples.map((s) => stateEntriesOf(s.metrics, 'ij'))).toEqual([2, 2, 0]);
    expect(run.records.map((x) => x.value)).toEqual(['100-100@100']);
    const final = run.trace.find((t) => t.type === 'metrics');
    expect(final?.type === 'metrics' ? stateEntriesOf(final.subtasks, 'ij') : -1).toBe(0);
  });

  it('does not pair an element with a partner already cleaned up at the same watermark', () => {
    // Left 100 with between(-5, 5) is cleaned at W = 105. Right 105 at W = 105 is not late (105 < 105
    // is false) and lies in [95, 105], but left 100 is already gone, as in Flink.
    const left = testStream<E>().advanceWatermarkTo(0).addElements(e('a', 100)).advanceProcessingTime(10).advanceWatermarkTo(105).advanceProcessingTime(10).advanceWatermarkToInfinity();
    const right = testStream<E>().advanceWatermarkTo(0).advanceProcessingTime(10).advanceWatermarkTo(105).advanceProcessingTime(5).addElements(e('a', 105)).advanceWatermarkToInfinity();
    const r = runWithTrace(intervalJoin(left, right, -5, 5));
    expect(r.records).toEqual([]);
    expect(r.eventsOf('recordDropped')).toEqual([]);
  });

  it('handles bounds that are both negative', () => {
    // between(-10, -5): left 100 takes right in [90, 95]. The left buffer is cleaned at t (upper <= 0),
    // the right one at t + 10.
    const left = testStream<E>().advanceWatermarkTo(0).addElements(e('a', 100)).advanceProcessingTime(10).advanceWatermarkToInfinity();
    const right = testStream<E>().advanceWatermarkTo(0).addElements(e('a', 89), e('a', 90), e('a', 95), e('a', 96)).advanceProcessingTime(10).advanceWatermarkToInfinity();
    const r = runWithTrace(intervalJoin(left, right, -10, -5));
    expect(r.records.map((x) => x.value)).toEqual(['100-90@100', '100-95@100']);
    // Cleanup timers (one per key and time): right 89 -> 99, left 100 and right 90 -> 100, 95 -> 105, 96 -> 106.
    expect(r.eventsOf('timerFired').map((x) => x.time)).toEqual([99, 100, 105, 106]);
  });

  it('rejects a lower bound above the upper one', () => {
    const s = testStream<E>().advanceWatermarkToInfinity();
    expect(() => runWithTrace(intervalJoin(s, s, 5, 1))).toThrow(RangeError);
  });
});
