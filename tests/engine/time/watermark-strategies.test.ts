// Watermark strategies at the source, checked against Flink's WatermarkStrategy implementations:
// BoundedOutOfOrdernessWatermarks (W = max - bound - 1 on every periodic emission, default every
// 200 ms of processing time), AscendingTimestampsWatermarks (bound 0), NoWatermarksGenerator,
// punctuated generators (a watermark emitted from onEvent goes out right after that record) and
// the auto-watermark interval. The source's clock starts at the first arrival; periodic emissions
// happen at start + k * interval.

import { describe, expect, it } from 'vitest';
import {
  boundedOutOfOrderness,
  customWatermarks,
  monotonousTimestamps,
  noWatermarks,
  tumblingWindows,
} from '../../../src/engine/api/index.ts';
import { runWithTrace } from '../harness.ts';

interface Rec {
  value: string;
  timestamp: number;
  arrival?: number;
}

const windowsOf = (records: { window?: unknown; value: unknown; processingTime: number }[]) =>
  records.map((r) => ({ window: r.window, count: r.value, pt: r.processingTime }));

describe('bounded out-of-orderness watermarks', () => {
  // a@1000 arrives at 1000 (the job's start); periodic emissions at 1200, 1400, 1600, 1800, 2000.
  const input: Rec[] = [
    { value: 'a', timestamp: 1000, arrival: 1000 },
    { value: 'b', timestamp: 3000, arrival: 1100 },
    { value: 'c', timestamp: 2500, arrival: 1150 },
    { value: 'd', timestamp: 5000, arrival: 1450 },
    { value: 'f', timestamp: 1500, arrival: 1700 },
    { value: 'e', timestamp: 5200, arrival: 2050 },
  ];

  it('emits max timestamp - bound - 1 on each 200 ms tick, only when it advances', () => {
    const run = runWithTrace((p) => {
      p.fromRecords(input, { watermarks: boundedOutOfOrderness(1000) }).map((v) => v, 'm').sink('out');
    });
    // Flink's BoundedOutOfOrdernessWatermarks: at 1200 the max is 3000, so W = 3000 - 1000 - 1 = 1999;
    // at 1400 nothing new; at 1600 the max is 5000, W = 3999; 1800 and 2000 bring nothing new.
    expect(run.eventsOf('sourceWatermark').map((e) => [e.pt, e.watermark])).toEqual([
      [1200, 1999],
      [1600, 3999],
    ]);
    // The last record (arrival 2050) ends the bounded input, which sends the final watermark +inf.
    expect(run.eventsOf('watermarkAdvanced').filter((e) => e.operator === 'm').map((e) => [e.pt, e.watermark])).toEqual([
      [1200, 1999],
      [1600, 3999],
      [2050, Number.POSITIVE_INFINITY],
    ]);
  });

  it('fires each window when W reaches its max timestamp and drops a record whose window has expired', () => {
    const run = runWithTrace((p) => {
      p.fromRecords(input, { watermarks: boundedOutOfOrderness(1000) })
        .keyBy(() => 'k')
        .window(tumblingWindows(2000))
        .count()
        .sink('counts');
    });
    // [0,2000) fires at W = 1999 (pt 1200); [2000,4000) at W = 3999 (pt 1600) with b and c;
    // [4000,6000) at the final watermark with d and e.
    expect(windowsOf(run.records)).toEqual([
      { window: { start: 0, end: 2000 }, count: 1, pt: 1200 },
      { window: { start: 2000, end: 4000 }, count: 2, pt: 1600 },
      { window: { start: 4000, end: 6000 }, count: 2, pt: 2050 },
    ]);
    // f@1500 arrives at 1700 when W = 3999: its window [0,2000) expired (1999 + 0 <= 3999), so it is dropped.
    expect(run.eventsOf('recordDropped').map((e) => [e.eventTime, e.watermark, e.reason])).toEqual([[1500, 3999, 'windowExpired']]);
  });
});

describe('monotonous timestamps', () => {
  it('emit max timestamp - 1, so a record at a window end closes the window before it', () => {
    const run = runWithTrace((p) => {
      p.fromRecords(
        [
          { value: 'a', timestamp: 100, arrival: 100 },
          { value: 'b', timestamp: 250, arrival: 250 },
          { value: 'c', timestamp: 430, arrival: 430 },
          { value: 'd', timestamp: 700, arrival: 700 },
        ],
        { watermarks: monotonousTimestamps() },
      )
        .keyBy(() => 'k')
        .window(tumblingWindows(250))
        .count()
        .sink('counts');
    });
    // Flink's AscendingTimestampsWatermarks is bounded out-of-orderness 0: W = max - 1.
    // Ticks at 300 (max 250: W = 249) and 500 (max 430: W = 429); d ends the input at 700.
    expect(run.eventsOf('sourceWatermark').map((e) => [e.pt, e.watermark])).toEqual([
      [300, 249],
      [500, 429],
    ]);
    // W = 249 is [0,250)'s max timestamp, so it fires at pt 300; [250,500) waits for W >= 499 (the end).
    expect(windowsOf(run.records)).toEqual([
      { window: { start: 0, end: 250 }, count: 1, pt: 300 },
      { window: { start: 250, end: 500 }, count: 2, pt: 700 },
      { window: { start: 500, end: 750 }, count: 1, pt: 700 },
    ]);
  });
});

describe('no watermarks', () => {
  it('leave event time still until the input ends, so every window fires at the end', () => {
    const run = runWithTrace((p) => {
      p.fromRecords(
        [
          { value: 'a', timestamp: 100, arrival: 100 },
          { value: 'b', timestamp: 5000, arrival: 900 },
          { value: 'c', timestamp: 9000, arrival: 1700 },
        ],
        { watermarks: noWatermarks() },
      )
        .keyBy(() => 'k')
        .window(tumblingWindows(1000))
        .count()
        .sink('counts');
    });
    // Flink's NoWatermarksGenerator emits nothing; the end of the bounded input emits +inf.
    expect(run.eventsOf('sourceWatermark')).toEqual([]);
    expect(run.eventsOf('watermarkAdvanced').map((e) => e.watermark)).toEqual([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]);
    expect(windowsOf(run.records)).toEqual([
      { window: { start: 0, end: 1000 }, count: 1, pt: 1700 },
      { window: { start: 5000, end: 6000 }, count: 1, pt: 1700 },
      { window: { start: 9000, end: 10000 }, count: 1, pt: 1700 },
    ]);
  });
});

describe('punctuated (custom) watermarks', () => {
  const markers = customWatermarks('markers', () => ({
    onEvent: (ts: number, v: unknown) => ((v as { marker?: boolean }).marker ? ts : undefined),
    onPeriodicEmit: () => Number.NEGATIVE_INFINITY,
  }));

  it('go out right after the record that carries them, before the next record of the same batch', () => {
    const run = runWithTrace((p) => {
      p.fromRecords(
        [
          { value: { id: 'x' }, timestamp: 1000, arrival: 1000 },
          { value: { id: 'm', marker: true }, timestamp: 5000, arrival: 1000 },
          { value: { id: 'late' }, timestamp: 3000, arrival: 1000 },
          { value: { id: 'ok' }, timestamp: 6000, arrival: 1000 },
        ],
        { watermarks: markers },
      )
        .keyBy(() => 'k')
        .window(tumblingWindows(1000))
        .count()
        .sink('counts');
    });
    // Flink's SourceOutputWithWatermarks emits the record, then calls onEvent, whose watermark (5000)
    // goes out at once: 'late' (3000) follows it, so its window [3000,4000) has expired (3999 <= 5000).
    expect(run.eventsOf('recordDropped').map((e) => [e.eventTime, e.watermark])).toEqual([[3000, 5000]]);
    expect(run.eventsOf('sourceWatermark').map((e) => [e.pt, e.watermark])).toEqual([[1000, 5000]]);
    expect(windowsOf(run.records)).toEqual([
      { window: { start: 1000, end: 2000 }, count: 1, pt: 1000 },
      { window: { start: 5000, end: 6000 }, count: 1, pt: 1000 },
      { window: { start: 6000, end: 7000 }, count: 1, pt: 1000 },
    ]);
  });

  it('never move a partition watermark back, whatever the generator proposes', () => {
    const proposals = [500, 300, 800];
    const run = runWithTrace((p) => {
      p.fromRecords(
        [
          { value: 'a', timestamp: 100, arrival: 100 },
          { value: 'b', timestamp: 900, arrival: 900 },
        ],
        {
          watermarks: customWatermarks('wobbly', () => {
            let i = 0;
            return { onEvent: () => undefined, onPeriodicEmit: () => proposals[i++] ?? Number.NEGATIVE_INFINITY };
          }),
        },
      ).sink('out');
    });
    // Ticks at 300, 500, 700 propose 500, 300, 800: the 300 is ignored (a watermark never goes back).
    expect(run.eventsOf('sourceWatermark').map((e) => [e.pt, e.watermark])).toEqual([
      [300, 500],
      [700, 800],
    ]);
  });
});

describe('withEmitInterval', () => {
  it('changes the periodic emission interval (Flink autoWatermarkInterval)', () => {
    const run = runWithTrace((p) => {
      p.fromRecords(
        [
          { value: 'a', timestamp: 100, arrival: 100 },
          { value: 'b', timestamp: 350, arrival: 350 },
          { value: 'c', timestamp: 1150, arrival: 1150 },
          { value: 'd', timestamp: 2500, arrival: 2500 },
        ],
        { watermarks: monotonousTimestamps().withEmitInterval(1000) },
      ).sink('out');
    });
    // Ticks at 1100 (max 350: W = 349) and 2100 (max 1150: W = 1149); d ends the input at 2500.
    expect(run.eventsOf('sourceWatermark').map((e) => [e.pt, e.watermark])).toEqual([
      [1100, 349],
      [2100, 1149],
    ]);
  });

  it('rejects intervals and bounds that are not positive', () => {
    // Flink's autoWatermarkInterval must be positive for periodic watermarks; bounds must be >= 0.
    expect(() => monotonousTimestamps().withEmitInterval(0)).toThrow(RangeError);
    expect(() => boundedOutOfOrderness(-1)).toThrow(RangeError);
    expect(() => monotonousTimestamps().withIdleness(0)).toThrow(RangeError);
  });
});
