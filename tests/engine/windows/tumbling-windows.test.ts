import { describe, it, expect } from 'vitest';
import { tumblingWindows } from '../../../src/engine/api/index.ts';
import { at, id, numbers, rec, run } from './harness.ts';

describe('tumbling event-time windows', () => {
  it('a tumbling window fires once the watermark reaches its max timestamp', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1), at(2000, 2))
      .advanceProcessingTime(1000)
      .advanceWatermarkTo(4998)
      .advanceProcessingTime(1000)
      .advanceWatermarkTo(4999)
      .advanceProcessingTime(1000)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(5000)).sum(id).sink('out'));
    // Flink: an event-time timer at end - 1 = 4999 fires when W >= 4999, not at W = 4998.
    expect(r.out).toEqual([rec('a', 3, '[0, 5000)', 'ON_TIME 0/0 first last', 4999, 2000)]);
  });

  it('an element stamped exactly at a window end belongs to the next window', () => {
    const spec = numbers().advanceWatermarkTo(0).addElements(at(4999, 1), at(5000, 10)).advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(5000)).sum(id).sink('out'));
    // Windows are half-open [start, end): 5000 starts [5000, 10000).
    expect(r.out).toEqual([
      rec('a', 1, '[0, 5000)', 'ON_TIME 0/0 first last', 4999, 0),
      rec('a', 10, '[5000, 10000)', 'ON_TIME 0/0 first last', 9999, 0),
    ]);
  });

  it('negative timestamps fall into windows before the epoch', () => {
    const spec = numbers().addElements(at(-1, 1), at(-7000, 2), at(-5000, 4)).advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(5000)).sum(id).sink('out'));
    // Flink's getWindowStartWithOffset: -1 -> [-5000, 0), -7000 -> [-10000, -5000), -5000 -> [-5000, 0).
    expect(r.out).toEqual([
      rec('a', 2, '[-10000, -5000)', 'ON_TIME 0/0 first last', -5001, 0),
      rec('a', 5, '[-5000, 0)', 'ON_TIME 0/0 first last', -1, 0),
    ]);
  });

  it('an offset shifts every window bound', () => {
    const spec = numbers().advanceWatermarkTo(-10_000).addElements(at(500, 1), at(999, 2), at(1000, 4)).advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(5000, 1000)).sum(id).sink('out'));
    // Offset 1000: windows are [-4000, 1000), [1000, 6000), ... (start = ts - (ts - offset) mod size).
    expect(r.out).toEqual([
      rec('a', 3, '[-4000, 1000)', 'ON_TIME 0/0 first last', 999, -10_000),
      rec('a', 4, '[1000, 6000)', 'ON_TIME 0/0 first last', 5999, -10_000),
    ]);
  });

  it('one watermark jump fires every window it passes, in window order', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(12_000, 100), at(1000, 1), at(6000, 10))
      .advanceProcessingTime(500)
      .advanceWatermarkTo(20_000)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(5000)).sum(id).sink('out'));
    // Timers fire in time order (Flink's timer queue): 4999, 9999, 14999, whatever the arrival order.
    expect(r.out).toEqual([
      rec('a', 1, '[0, 5000)', 'ON_TIME 0/0 first last', 4999, 500),
      rec('a', 10, '[5000, 10000)', 'ON_TIME 0/0 first last', 9999, 500),
      rec('a', 100, '[10000, 15000)', 'ON_TIME 0/0 first last', 14999, 500),
    ]);
  });

  it('each key has its own windows', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1, 'a'), at(2000, 2, 'b'), at(3000, 4, 'a'), at(7000, 8, 'b'))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(5000)).sum(id).sink('out'));
    // Window state is per (key, window); equal-time timers fire in registration order (a's first).
    expect(r.out).toEqual([
      rec('a', 5, '[0, 5000)', 'ON_TIME 0/0 first last', 4999, 0),
      rec('b', 2, '[0, 5000)', 'ON_TIME 0/0 first last', 4999, 0),
      rec('b', 8, '[5000, 10000)', 'ON_TIME 0/0 first last', 9999, 0),
    ]);
  });

  it('an element at or before the watermark still joins its window while that window is open', () => {
    const spec = numbers()
      .advanceWatermarkTo(3000)
      .addElements(at(1000, 1))
      .advanceProcessingTime(100)
      .advanceWatermarkTo(4999)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(5000)).sum(id).sink('out'));
    // Lateness is judged per window (Flink's isWindowLate: 4999 + 0 <= 3000 is false), not per element.
    expect(r.out).toEqual([rec('a', 1, '[0, 5000)', 'ON_TIME 0/0 first last', 4999, 3100)]);
  });

  it('windows with no elements produce nothing', () => {
    const spec = numbers().advanceWatermarkTo(0).addElements(at(1000, 1), at(21_000, 2)).advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(5000)).count().sink('out'));
    // Windows exist only once an element is assigned to them (Flink and Beam create window state lazily).
    expect(r.out).toEqual([
      rec('a', 1, '[0, 5000)', 'ON_TIME 0/0 first last', 4999, 0),
      rec('a', 1, '[20000, 25000)', 'ON_TIME 0/0 first last', 24999, 0),
    ]);
  });

  it('reduce, aggregate, count and process see the same pane', () => {
    const spec = numbers().advanceWatermarkTo(0).addElements(at(1000, 3), at(2000, 5), at(3000, 4)).advanceWatermarkToInfinity();
    const r = run(spec, (k) => {
      const w = () => k.window(tumblingWindows(5000));
      w().reduce((a, b) => Math.max(a, b)).sink('out');
      w()
        .aggregate<{ n: number; s: number }, number>({
          createAccumulator: () => ({ n: 0, s: 0 }),
          add: (v, acc) => ({ n: acc.n + 1, s: acc.s + v }),
          getResult: (acc) => acc.s / acc.n,
          merge: (a, b) => ({ n: a.n + b.n, s: a.s + b.s }),
        })
        .sink('avg');
      w().count().sink('count');
      w()
        .process<string>((key, elements, ctx) =>
          ctx.output(`${key}:${elements.join('+')} in [${ctx.window.start},${ctx.window.end}) ${ctx.pane.timing} wm=${ctx.currentWatermark}`),
        )
        .sink('process');
    });
    // All four are window functions over the elements 3, 5, 4 of [0, 5000), emitted at its max timestamp.
    expect(r.all).toEqual([
      { sink: 'out', key: 'a', value: 5, window: '[0, 5000)', pane: 'ON_TIME 0/0 first last', ts: 4999, pt: 0 },
      { sink: 'avg', key: 'a', value: 4, window: '[0, 5000)', pane: 'ON_TIME 0/0 first last', ts: 4999, pt: 0 },
      { sink: 'count', key: 'a', value: 3, window: '[0, 5000)', pane: 'ON_TIME 0/0 first last', ts: 4999, pt: 0 },
      {
        sink: 'process',
        key: 'a',
        value: 'a:3+5+4 in [0,5000) ON_TIME wm=Infinity',
        window: '[0, 5000)',
        pane: 'ON_TIME 0/0 first last',
        ts: 4999,
        pt: 0,
      },
    ]);
  });

  it('a pane fires at the processing time the watermark arrives', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceProcessingTime(60_000)
      .addElements(at(6000, 2))
      .advanceProcessingTime(60_000)
      .advanceWatermarkTo(9999)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) => k.window(tumblingWindows(5000)).sum(id).sink('out'));
    // Event-time windows ignore the processing clock: both fire at pt 120000, when W reaches 9999.
    expect(r.out).toEqual([
      rec('a', 1, '[0, 5000)', 'ON_TIME 0/0 first last', 4999, 120_000),
      rec('a', 2, '[5000, 10000)', 'ON_TIME 0/0 first last', 9999, 120_000),
    ]);
  });

  it('windowAll windows every record together, whatever its key', () => {
    const spec = numbers().advanceWatermarkTo(0).addElements(at(1000, 1, 'a'), at(2000, 2, 'b'), at(12_000, 4, 'c')).advanceWatermarkToInfinity();
    const r = run(spec, (_k, input) => input.windowAll(tumblingWindows(10_000)).sum(id).sink('out'));
    // Flink's windowAll: one window operator instance sees all records, so a and b share [0, 10000).
    // Its results are a non-keyed stream: the records carry no key at all.
    expect(r.out).toEqual([
      { value: 3, window: '[0, 10000)', pane: 'ON_TIME 0/0 first last', ts: 9999, pt: 0 },
      { value: 4, window: '[10000, 20000)', pane: 'ON_TIME 0/0 first last', ts: 19_999, pt: 0 },
    ]);
    expect(r.records.every((x) => !('key' in x))).toBe(true);
  });

  it('windowAll late data and process-function side outputs carry no key either', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1, 'a'))
      .advanceWatermarkTo(10_000)
      .addElements(at(2000, 2, 'b'))
      .advanceWatermarkToInfinity();
    const r = run(spec, (_k, input) => {
      const windowed = input
        .windowAll(tumblingWindows(10_000))
        .sideOutputLateData('late')
        .process<number>((_key, elements, ctx) => {
          ctx.output(elements.length);
          ctx.outputTo('sizes', elements.length * 10);
        });
      windowed.sink('out');
      windowed.getSideOutput<number>('late').sink('late');
      windowed.getSideOutput<number>('sizes').sink('sizes');
    });
    // The late element goes to the side output as it came (Flink's AllWindowedStream.sideOutputLateData).
    expect(r.all.filter((o) => o.sink !== 'out')).toEqual([
      { sink: 'sizes', value: 10, ts: 9999, pt: 0 },
      { sink: 'late', value: 2, ts: 2000, pt: 0 },
    ]);
    expect(r.records.every((x) => !('key' in x))).toBe(true);
  });
});
