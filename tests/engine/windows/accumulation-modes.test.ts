import { describe, it, expect } from 'vitest';
import { afterCount, afterWatermark, repeatedly, sessionWindows, tumblingWindows, type Trigger } from '../../../src/engine/api/index.ts';
import { at, id, numbers, rec, retraction, run } from './harness.ts';

const W = '[0, 10000)';
const END = 9999;

/** Elements 1, 2 at pt 0; 4 at pt 100; the watermark passes the window's end at pt 200; a late 8 at pt 300. */
const spec = numbers()
  .advanceWatermarkTo(0)
  .addElements(at(1000, 1), at(2000, 2))
  .advanceProcessingTime(100)
  .addElements(at(3000, 4))
  .advanceProcessingTime(100)
  .advanceWatermarkTo(10_000)
  .advanceProcessingTime(100)
  .addElements(at(4000, 8))
  .advanceWatermarkToInfinity();

const earlyOnTimeLate: Trigger = afterWatermark().withEarlyFirings(afterCount(1)).withLateFirings(afterCount(1));

describe('accumulation modes', () => {
  it('discarding: each pane holds only the elements since the previous pane', () => {
    const r = run(spec, (k) => k.window(tumblingWindows(10_000)).trigger(earlyOnTimeLate).allowedLateness(5000).discardingFiredPanes().sum(id).sink('out'));
    // Beam's DISCARDING_FIRED_PANES clears the buffered data after every firing; the ON_TIME pane is empty (0).
    expect(r.out).toEqual([
      rec('a', 1, W, 'EARLY 0/-1 first', END, 0),
      rec('a', 2, W, 'EARLY 1/-1', END, 0),
      rec('a', 4, W, 'EARLY 2/-1', END, 100),
      rec('a', 0, W, 'ON_TIME 3/0', END, 200),
      rec('a', 8, W, 'LATE 4/1', END, 300),
    ]);
  });

  it('accumulating: each pane holds everything so far', () => {
    const r = run(spec, (k) => k.window(tumblingWindows(10_000)).trigger(earlyOnTimeLate).allowedLateness(5000).accumulatingFiredPanes().sum(id).sink('out'));
    // Beam's ACCUMULATING_FIRED_PANES keeps the state until the window is garbage collected.
    expect(r.out).toEqual([
      rec('a', 1, W, 'EARLY 0/-1 first', END, 0),
      rec('a', 3, W, 'EARLY 1/-1', END, 0),
      rec('a', 7, W, 'EARLY 2/-1', END, 100),
      rec('a', 7, W, 'ON_TIME 3/0', END, 200),
      rec('a', 15, W, 'LATE 4/1', END, 300),
    ]);
  });

  it('accumulating is the default, as in Flink without a purging trigger', () => {
    const r = run(spec, (k) => k.window(tumblingWindows(10_000)).trigger(earlyOnTimeLate).allowedLateness(5000).sum(id).sink('out'));
    // Brook's documented default; Beam's default would be discarding.
    expect(r.out.map((o) => o.value)).toEqual([1, 3, 7, 7, 15]);
  });

  it('accumulating and retracting: every pane after the first is preceded by a retraction of the previous result', () => {
    const r = run(spec, (k) =>
      k.window(tumblingWindows(10_000)).trigger(earlyOnTimeLate).allowedLateness(5000).accumulatingAndRetractingFiredPanes().sum(id).sink('out'),
    );
    // The Dataflow paper's third mode: retract the last value, then emit the new accumulated one.
    // A retraction carries the window, timestamp and pane info of the pane that replaces it.
    expect(r.out).toEqual([
      rec('a', 1, W, 'EARLY 0/-1 first', END, 0),
      retraction('a', 1, W, 'EARLY 1/-1', END, 0),
      rec('a', 3, W, 'EARLY 1/-1', END, 0),
      retraction('a', 3, W, 'EARLY 2/-1', END, 100),
      rec('a', 7, W, 'EARLY 2/-1', END, 100),
      retraction('a', 7, W, 'ON_TIME 3/0', END, 200),
      rec('a', 7, W, 'ON_TIME 3/0', END, 200),
      retraction('a', 7, W, 'LATE 4/1', END, 300),
      rec('a', 15, W, 'LATE 4/1', END, 300),
    ]);
  });

  it('a sum over a retracting stream always equals the latest result', () => {
    const r = run(spec, (k) =>
      k.window(tumblingWindows(10_000)).trigger(earlyOnTimeLate).allowedLateness(5000).accumulatingAndRetractingFiredPanes().sum(id).sink('out'),
    );
    // Retractions exist so that a downstream aggregation can undo superseded results.
    const total = r.out.reduce((s, o) => s + (o.retraction ? -1 : 1) * (o.value as number), 0);
    expect(total).toBe(15);
  });

  it('retracting: when sessions merge, the merged session retracts the results of the sessions it replaced', () => {
    const s = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceProcessingTime(100)
      .addElements(at(10_000, 2))
      .advanceProcessingTime(100)
      .addElements(at(5500, 4))
      .advanceWatermarkToInfinity();
    const r = run(s, (k) => k.window(sessionWindows(5000)).trigger(repeatedly(afterCount(1))).accumulatingAndRetractingFiredPanes().sum(id).sink('out'));
    // The Dataflow paper (sessions, accumulating & retracting): when 5500 merges [1000,6000) and
    // [10000,15000), their results 1 and 2 are retracted, with their own windows, before the merged 7.
    // The merged window is new, so its pane index starts at 0 (Beam). The final ON_TIME pane retracts 7.
    expect(r.out).toEqual([
      rec('a', 1, '[1000, 6000)', 'EARLY 0/-1 first', 5999, 0),
      rec('a', 2, '[10000, 15000)', 'EARLY 0/-1 first', 14_999, 100),
      retraction('a', 1, '[1000, 6000)', 'EARLY 0/-1 first', 5999, 200),
      retraction('a', 2, '[10000, 15000)', 'EARLY 0/-1 first', 14_999, 200),
      rec('a', 7, '[1000, 15000)', 'EARLY 0/-1 first', 14_999, 200),
      retraction('a', 7, '[1000, 15000)', 'ON_TIME 1/0 last', 14_999, 200),
      rec('a', 7, '[1000, 15000)', 'ON_TIME 1/0 last', 14_999, 200),
    ]);
  });

  it('retracting: a process function that emitted several results has each of them retracted', () => {
    const s = numbers().advanceWatermarkTo(0).addElements(at(1000, 1)).advanceProcessingTime(100).addElements(at(2000, 2)).advanceWatermarkToInfinity();
    const r = run(s, (k) =>
      k
        .window(tumblingWindows(10_000))
        .trigger(repeatedly(afterCount(1)))
        .accumulatingAndRetractingFiredPanes()
        .process<string>((_key, els, ctx) => {
          for (const e of els) ctx.output(`saw ${e}`);
        })
        .sink('out'),
    );
    // Every result of the previous pane is withdrawn before the new ones, so a consumer can undo all of it.
    expect(r.out.map((o) => `${o.retraction ? '-' : '+'}${String(o.value)} ${o.pane}`)).toEqual([
      '+saw 1 EARLY 0/-1 first',
      '-saw 1 EARLY 1/-1',
      '+saw 1 EARLY 1/-1',
      '+saw 2 EARLY 1/-1',
      '-saw 1 ON_TIME 2/0 last',
      '-saw 2 ON_TIME 2/0 last',
      '+saw 1 ON_TIME 2/0 last',
      '+saw 2 ON_TIME 2/0 last',
    ]);
  });

  it('discarding with sessions: a merged window holds only the elements no pane has emitted', () => {
    const s = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1), at(2000, 2))
      .advanceProcessingTime(100)
      .addElements(at(10_000, 4))
      .advanceProcessingTime(100)
      .addElements(at(5500, 8))
      .advanceWatermarkToInfinity();
    const r = run(s, (k) => k.window(sessionWindows(5000)).trigger(repeatedly(afterCount(2))).discardingFiredPanes().sum(id).sink('out'));
    // [1000,7000) fired [1,2] and was emptied; [10000,15000) holds 4; 8 merges them: 4 + 8 = 12 fires the
    // count of 2 (0 + 1 + 1 merged). Nothing is left for the final pane but the ON_TIME pane is owed.
    expect(r.out).toEqual([
      rec('a', 3, '[1000, 7000)', 'EARLY 0/-1 first', 6999, 0),
      rec('a', 12, '[1000, 15000)', 'EARLY 0/-1 first', 14_999, 200),
      rec('a', 0, '[1000, 15000)', 'ON_TIME 1/0 last', 14_999, 200),
    ]);
  });
});
