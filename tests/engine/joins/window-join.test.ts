// Window joins (Flink's DataStream.join(...).where(...).equalTo(...).window(...).apply(...)):
// built as a coGroup over the union of both tagged inputs, keyed and windowed; when a window fires
// the join function gets every (left, right) pair of the key's elements in that window, left
// elements in arrival order, each with every right element in arrival order. Results carry the
// window's max timestamp (end - 1).

import { describe, expect, it } from 'vitest';
import { testStream, tumblingWindows, type Pipeline, type TestStreamSpec } from '../../../src/engine/api/index.ts';
import { runSampled, runWithTrace, stateEntriesOf } from '../harness.ts';

interface E {
  k: string;
  t: number;
}
const e = (k: string, t: number) => ({ value: { k, t }, timestamp: t });

function join(left: TestStreamSpec<E>, right: TestStreamSpec<E>, lateness = 0) {
  return (p: Pipeline) => {
    p.testStream(left, { name: 'left' })
      .join(p.testStream(right, { name: 'right' }))
      .where((l) => l.k)
      .equalTo((r) => r.k)
      .window(tumblingWindows(1000))
      .allowedLateness(lateness)
      .apply((l, r) => `${l.k}${l.t}-${r.k}${r.t}`)
      .sink('pairs');
  };
}

describe('window join', () => {
  it('pairs the elements of equal keys that share a window', () => {
    const left = testStream<E>().advanceWatermarkTo(0).addElements(e('a', 100), e('a', 900), e('b', 200), e('a', 1500)).advanceWatermarkTo(999).advanceProcessingTime(10).advanceWatermarkToInfinity();
    const right = testStream<E>().advanceWatermarkTo(0).addElements(e('a', 300), e('b', 1100), e('a', 1200), e('a', 1900)).advanceWatermarkTo(999).advanceProcessingTime(10).advanceWatermarkToInfinity();
    const r = runWithTrace(join(left, right));
    // [0,1000): a has left 100, 900 and right 300; b has no right element. [1000,2000): a has left 1500
    // and right 1200, 1900; b has only a right element. Both windows fire when W >= their max timestamp.
    expect(stateEntriesOf(r.metrics, 'windowJoin')).toBe(0);
    expect(r.records.map((x) => [x.value, x.timestamp, x.processingTime])).toEqual([
      ['a100-a300', 999, 0],
      ['a900-a300', 999, 0],
      ['a1500-a1200', 1999, 10],
      ['a1500-a1900', 1999, 10],
    ]);
  });

  it('drops elements whose window has expired', () => {
    const left = testStream<E>().advanceWatermarkTo(0).addElements(e('a', 100)).advanceWatermarkTo(1500).addElements(e('a', 900), e('a', 1600)).advanceWatermarkToInfinity();
    const right = testStream<E>().advanceWatermarkTo(0).advanceWatermarkTo(1500).addElements(e('a', 950), e('a', 1700)).advanceWatermarkToInfinity();
    const r = runWithTrace(join(left, right));
    // At W = 1500 window [0,1000) has expired (999 <= 1500): left 900 and right 950 are dropped, so
    // left 100 never meets a partner; [1000,2000) pairs 1600 with 1700.
    expect(r.records.map((x) => x.value)).toEqual(['a1600-a1700']);
    expect(r.eventsOf('recordDropped').map((x) => x.eventTime).sort()).toEqual([900, 950]);
  });

  it('re-fires a window with all its elements for a late element within the allowed lateness', () => {
    const left = testStream<E>().advanceWatermarkTo(0).addElements(e('a', 100)).advanceWatermarkTo(1000).advanceProcessingTime(20).advanceWatermarkToInfinity();
    const right = testStream<E>().advanceWatermarkTo(0).addElements(e('a', 200)).advanceWatermarkTo(1000).advanceProcessingTime(10).addElements(e('a', 300)).advanceWatermarkToInfinity();
    const r = runWithTrace(join(left, right, 1000));
    // W = 1000 fires [0,1000) with (100, 200). Right 300 is late but within the lateness (999 + 1000 > 1000):
    // Flink's EventTimeTrigger fires again and, the window keeping all elements, the join sees
    // left 100 with right 200 and 300, repeating the first pair.
    expect(r.records.map((x) => [x.value, x.processingTime])).toEqual([
      ['a100-a200', 0],
      ['a100-a200', 10],
      ['a100-a300', 10],
    ]);
  });

  it('cleans up a window state once the watermark passes it', () => {
    const left = testStream<E>().advanceWatermarkTo(0).addElements(e('a', 100), e('b', 150)).advanceProcessingTime(100).advanceWatermarkTo(999).advanceProcessingTime(100).advanceWatermarkToInfinity();
    const right = testStream<E>().advanceWatermarkTo(0).addElements(e('a', 300)).advanceProcessingTime(100).advanceWatermarkTo(999).advanceProcessingTime(100).advanceWatermarkToInfinity();
    const run = runSampled(join(left, right), { sampleAt: [50, 150] });
    // At 50 the panes of a and b in [0,1000) are held; at 100 W = 999 fires and expires them.
    expect(run.samples.map((s) => stateEntriesOf(s.metrics, 'windowJoin'))).toEqual([2, 0]);
    expect(run.records.map((x) => x.value)).toEqual(['a100-a300']);
  });
});
