import { describe, it, expect } from 'vitest';
import { afterCount, afterProcessingTime, afterWatermark, repeatedly, tumblingWindows } from '../../../src/engine/api/index.ts';
import { describePane, type PaneInfo } from '../../../src/engine/windows/pane-info.ts';
import { at, id, numbers, paneString, rec, run } from './harness.ts';

const MAX = 9999;
const NEG = Number.NEGATIVE_INFINITY;

/** describePane with the arguments named, compacted like the other tests. */
function pane(previous: PaneInfo | undefined, inputWm: number, outputWm: number, isFinal = false): string {
  return paneString(describePane(previous, MAX, inputWm, outputWm, isFinal));
}
const p = (timing: PaneInfo['timing'], index: number, onTimeIndex: number): PaneInfo => ({
  timing,
  index,
  onTimeIndex,
  isFirst: index === 0,
  isLast: false,
});

describe('describePane (Beam PaneInfoTracker)', () => {
  it('a first pane before the watermark reaches the max timestamp is EARLY with onTimeIndex -1', () => {
    // Beam: isEarlyForInput (input watermark not past the end) -> EARLY, nonSpeculativeIndex -1.
    expect(pane(undefined, MAX - 1, MAX - 1)).toBe('EARLY 0/-1 first');
    expect(pane(undefined, NEG, NEG)).toBe('EARLY 0/-1 first');
  });

  it('the first pane once the input watermark reaches the max timestamp is ON_TIME', () => {
    // Flink convention: W >= end - 1 is Beam's "input watermark after the max timestamp".
    expect(pane(undefined, MAX, MAX - 1)).toBe('ON_TIME 0/0 first');
  });

  it('a first pane made only of late data is LATE, with index 0 and onTimeIndex 0', () => {
    // Beam: isLateForOutput (output watermark past the end) wins over everything: LATE, never ON_TIME.
    expect(pane(undefined, MAX + 5000, MAX)).toBe('LATE 0/0 first');
    expect(pane(undefined, MAX + 5000, MAX + 5000)).toBe('LATE 0/0 first');
  });

  it('after EARLY panes, the ON_TIME pane counts on in index and starts onTimeIndex at 0', () => {
    // nonSpeculativeIndex = previous (-1) + 1 = 0; index keeps counting every pane.
    expect(pane(p('EARLY', 0, -1), MAX - 1, MAX - 1)).toBe('EARLY 1/-1');
    expect(pane(p('EARLY', 2, -1), MAX, MAX - 1)).toBe('ON_TIME 3/0');
  });

  it('every pane after the ON_TIME one is LATE, even if the output watermark has not passed the end', () => {
    // Beam: !onlyEarlyPanesSoFar -> LATE; onTimeIndex counts on from the ON_TIME pane.
    expect(pane(p('ON_TIME', 3, 0), MAX, MAX - 1)).toBe('LATE 4/1');
    expect(pane(p('LATE', 4, 1), MAX + 10, MAX + 10)).toBe('LATE 5/2');
  });

  it('after EARLY panes, a pane fired once the output watermark has passed the end is LATE, not ON_TIME', () => {
    // The ON_TIME pane was skipped (e.g. it was empty under FIRE_IF_NON_EMPTY): the next pane is LATE, onTimeIndex 0.
    expect(pane(p('EARLY', 1, -1), MAX + 100, MAX + 100)).toBe('LATE 2/0');
  });

  it('isLast is the caller’s: a final pane is marked last whatever its timing', () => {
    // Beam passes isFinal through (trigger finished, or the window is being garbage collected).
    expect(pane(undefined, MAX - 1, MAX - 1, true)).toBe('EARLY 0/-1 first last');
    expect(pane(p('EARLY', 0, -1), MAX, MAX - 1, true)).toBe('ON_TIME 1/0 last');
    expect(pane(p('ON_TIME', 1, 0), MAX + 1, MAX + 1, true)).toBe('LATE 2/1 last');
  });
});

describe('pane sequences end to end', () => {
  it('EARLY*, ON_TIME, LATE*: index counts all panes, onTimeIndex only the non-speculative ones', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceProcessingTime(2000)
      .addElements(at(2000, 2))
      .advanceProcessingTime(2000)
      .advanceWatermarkTo(10_000)
      .advanceProcessingTime(100)
      .addElements(at(3000, 4))
      .advanceProcessingTime(100)
      .addElements(at(4000, 8))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) =>
      k
        .window(tumblingWindows(10_000))
        .trigger(afterWatermark().withEarlyFirings(afterProcessingTime().plusDelayOf(1000)).withLateFirings(afterCount(1)))
        .allowedLateness(60_000)
        .sum(id)
        .sink('out'),
    );
    // Two EARLY panes (delays until pt 1000 and 3000, each fired 1 ms later, once the clock is past
    // it), the ON_TIME pane at W = 10000, one LATE pane per late element.
    expect(r.out).toEqual([
      rec('a', 1, '[0, 10000)', 'EARLY 0/-1 first', MAX, 1001),
      rec('a', 3, '[0, 10000)', 'EARLY 1/-1', MAX, 3001),
      rec('a', 3, '[0, 10000)', 'ON_TIME 2/0', MAX, 4000),
      rec('a', 7, '[0, 10000)', 'LATE 3/1', MAX, 4100),
      rec('a', 15, '[0, 10000)', 'LATE 4/2', MAX, 4200),
    ]);
  });

  it('with no allowed lateness the ON_TIME pane is the last (Beam ON_TIME_AND_ONLY_FIRING)', () => {
    const spec = numbers().advanceWatermarkTo(0).addElements(at(1000, 1)).advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(10_000)).sum(id).sink('out'));
    // The window expires at the same watermark it fires on time, so no later pane can follow.
    expect(r.out).toEqual([rec('a', 1, '[0, 10000)', 'ON_TIME 0/0 first last', MAX, 0)]);
  });

  it('with allowed lateness the ON_TIME pane is not the last; a final pane at expiry is', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceWatermarkTo(10_000)
      .advanceProcessingTime(100)
      .addElements(at(2000, 2), at(3000, 4), at(4000, 8))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) =>
      k.window(tumblingWindows(10_000)).trigger(afterWatermark().withLateFirings(afterCount(2))).allowedLateness(5000).sum(id).sink('out'),
    );
    // Late firings every 2 elements: [2,4] fires LATE; 8 is emitted by the final pane when the window
    // expires at W = 14999 (reached by the final watermark), LATE and last.
    expect(r.out).toEqual([
      rec('a', 1, '[0, 10000)', 'ON_TIME 0/0 first', MAX, 0),
      rec('a', 7, '[0, 10000)', 'LATE 1/1', MAX, 100),
      rec('a', 15, '[0, 10000)', 'LATE 2/2 last', MAX, 100),
    ]);
  });

  it('the pane a process function sees is the pane its output carries', () => {
    const spec = numbers().advanceWatermarkTo(0).addElements(at(1000, 1), at(2000, 2), at(3000, 4)).advanceWatermarkToInfinity();
    const r = run(spec, (k) =>
      k
        .window(tumblingWindows(10_000))
        .trigger(repeatedly(afterCount(2)))
        .process<string>((_k, els, ctx) => ctx.output(`${els.length} ${paneString(ctx.pane)}`))
        .sink('out'),
    );
    // ProcessWindowFunction's context exposes the same PaneInfo (Beam's PaneInfo on the window's value).
    expect(r.out.map((o) => [o.value, o.pane])).toEqual([
      ['2 EARLY 0/-1 first', 'EARLY 0/-1 first'],
      ['3 ON_TIME 1/0 last', 'ON_TIME 1/0 last'],
    ]);
  });

  it('a final pane fired at expiry after the watermark passed the end is LATE (Brook holds no watermark)', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1), at(2000, 2), at(3000, 4))
      .advanceWatermarkTo(12_000)
      .advanceProcessingTime(100)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(10_000)).trigger(repeatedly(afterCount(2))).allowedLateness(5000).sum(id).sink('out'));
    // 4 waits for a second element and is emitted when the window expires at W = 14999. Brook's output
    // watermark was already 12000 > 9999, so by PaneInfoTracker's rule the pane is LATE. (Beam would
    // have held its output watermark at the window's end for the pending element and called it ON_TIME.)
    expect(r.out).toEqual([
      rec('a', 3, '[0, 10000)', 'EARLY 0/-1 first', MAX, 0),
      rec('a', 7, '[0, 10000)', 'LATE 1/0 last', MAX, 100),
    ]);
  });
});
