// Array and generator sources running inside pipelines: partitions spread over source subtasks
// (partition p is read by subtask p % parallelism), seeded generators (the same seed gives the same
// records and trace), ingestion time (each record stamped with the processing time it arrives at),
// and source subtasks left without partitions, which end at once as a Flink reader with no splits does.

import { describe, expect, it } from 'vitest';
import {
  monotonousTimestamps,
  noWatermarks,
  parseTestStream,
  seconds,
  tumblingWindows,
  type GeneratorSpec,
  type Pipeline,
  type TestStreamSpec,
} from '../../../src/engine/api/index.ts';
import { toJson } from '../../../src/engine/trace/json.ts';
import { runWithTrace, valuesOf } from '../harness.ts';

interface Click {
  user: string;
  n: number;
}

const clicks: GeneratorSpec<Click> = {
  partitions: 4,
  rate: { kind: 'steady', perSecond: 40 },
  arrivals: 'poisson',
  duration: seconds(5),
  keys: { count: 5, skew: { zipf: 1 }, name: (i) => `user-${i}` },
  delay: { kind: 'uniform', min: 0, max: 800 },
  value: (g) => ({ user: String(g.key), n: 1 + g.random.int(3) }),
};

function clickCounts(p: Pipeline, parallelism = 1): void {
  p.generator(clicks, { watermarks: monotonousTimestamps().withIdleness(seconds(1)), parallelism })
    .keyBy((c) => c.user)
    .window(tumblingWindows(seconds(1)))
    .sum((c) => c.n)
    .sink('sums');
}

describe('generator source in a pipeline', () => {
  it('gives the same records and the same trace for the same seed', () => {
    const a = runWithTrace((p) => clickCounts(p), { seed: 7 });
    const b = runWithTrace((p) => clickCounts(p), { seed: 7 });
    expect(toJson(a.records)).toBe(toJson(b.records));
    expect(toJson(a.trace)).toBe(toJson(b.trace));
    expect(a.records.length).toBeGreaterThan(0);
  });

  it('gives different records for a different seed', () => {
    const a = runWithTrace((p) => clickCounts(p), { seed: 7 });
    const c = runWithTrace((p) => clickCounts(p), { seed: 8 });
    const arrivals = (r: typeof a) => r.eventsOf('recordArrived').map((e) => [e.partition, e.arrival, e.eventTime]);
    expect(arrivals(c)).not.toEqual(arrivals(a));
  });

  it('reads every partition, in arrival order within each, and spreads partitions over source subtasks', () => {
    const r = runWithTrace((p) => clickCounts(p, 2), { seed: 3 });
    const arrived = r.eventsOf('recordArrived');
    expect(new Set(arrived.map((e) => e.partition))).toEqual(new Set([0, 1, 2, 3]));
    for (const part of [0, 1, 2, 3]) {
      const mine = arrived.filter((e) => e.partition === part);
      // Offsets count up from 0 and arrivals never decrease within a partition; each record is read
      // at its arrival time and happened no later than it arrived.
      expect(mine.map((e) => e.offset)).toEqual(mine.map((_, i) => i));
      for (let i = 1; i < mine.length; i++) expect(mine[i]!.arrival).toBeGreaterThanOrEqual(mine[i - 1]!.arrival);
      for (const e of mine) {
        expect(e.pt).toBe(e.arrival);
        expect(e.eventTime).toBeLessThanOrEqual(e.arrival);
      }
    }
    // Subtask 0 reads partitions 0 and 2, subtask 1 partitions 1 and 3.
    const bySubtask = r.metrics.filter((m) => m.operator === 'generator').map((m) => m.recordsIn);
    const count = (parts: number[]) => arrived.filter((e) => parts.includes(e.partition)).length;
    expect(bySubtask).toEqual([count([0, 2]), count([1, 3])]);
  });

  it('produces the same sums whatever the source parallelism when nothing can be late', () => {
    // Without watermarks every window fires at the end, so results depend only on the records, and
    // the records depend only on the seed: partition i always draws from its own random stream.
    const sums = (parallelism: number) =>
      runWithTrace(
        (p) => {
          p.generator(clicks, { watermarks: noWatermarks(), parallelism })
            .keyBy((c) => c.user)
            .window(tumblingWindows(seconds(1)))
            .sum((c) => c.n)
            .sink('sums');
        },
        { seed: 11 },
      ).records.map((x) => `${String(x.key)} ${(x.window as { start: number }).start} ${String(x.value)}`);
    const one = sums(1).sort();
    expect(one.length).toBeGreaterThan(10);
    expect(sums(2).sort()).toEqual(one);
    expect(sums(4).sort()).toEqual(one);
  });
});

describe('array source in a pipeline', () => {
  it('reads values with event times from timestampOf and arrivals from arrivalOf, over partitions', () => {
    const readings = [
      { meter: 'm1', at: 1000, kwh: 1 },
      { meter: 'm2', at: 1500, kwh: 2 },
      { meter: 'm1', at: 2500, kwh: 3 },
      { meter: 'm2', at: 1200, kwh: 4 },
    ];
    const r = runWithTrace((p) => {
      p.fromArray(readings, { timestampOf: (x) => x.at, arrivalOf: (_x, i) => 3000 + 10 * i, partitions: 2 })
        .keyBy((x) => x.meter)
        .window(tumblingWindows(2000))
        .sum((x) => x.kwh)
        .sink('kwh');
    });
    // Index i goes to partition i % 2 and arrives at 3000 + 10 i; m2's 1200 arrives last, still in time
    // (the watermark has not moved: the input ends at 3030 before the first tick at 3200).
    expect(r.eventsOf('recordArrived').map((e) => [e.partition, e.offset, e.eventTime, e.arrival])).toEqual([
      [0, 0, 1000, 3000],
      [1, 0, 1500, 3010],
      [0, 1, 2500, 3020],
      [1, 1, 1200, 3030],
    ]);
    expect(r.records.map((x) => [x.key, (x.window as { start: number }).start, x.value])).toEqual([
      ['m1', 0, 1],
      ['m2', 0, 6],
      ['m1', 2000, 3],
    ]);
  });

  it('with more source subtasks than partitions, ends the empty subtasks at once', () => {
    const r = runWithTrace((p) => {
      p.setParallelism(3);
      p.fromRecords([
        { value: 'a', timestamp: 100 },
        { value: 'b', timestamp: 1500 },
      ])
        .keyBy((v) => v)
        .window(tumblingWindows(1000))
        .count()
        .sink('out');
    });
    // Subtasks 1 and 2 have no partition: they send +inf at the start, so the watermark follows subtask 0.
    expect(r.records.map((x) => [x.key, x.value, x.processingTime])).toEqual([
      ['a', 1, 1500],
      ['b', 1, 1500],
    ]);
  });
});

describe('ingestion time', () => {
  it('stamps each record with the processing time it arrives at', () => {
    const r = runWithTrace((p) => {
      p.fromRecords(
        [
          { value: 'x', timestamp: 0, arrival: 100 },
          { value: 'y', timestamp: 0, arrival: 1250 },
          { value: 'z', timestamp: 99_999, arrival: 1400 },
        ],
        { ingestionTime: true },
      )
        .map((v) => v, 'm')
        .sink('out');
    });
    // The given event times are ignored: timestamps are the arrivals (Flink's ingestion time).
    expect(r.records.map((x) => [x.value, x.timestamp])).toEqual([
      ['x', 100],
      ['y', 1250],
      ['z', 1400],
    ]);
    expect(r.eventsOf('recordArrived').map((e) => e.eventTime)).toEqual([100, 1250, 1400]);
    // Watermarks follow arrivals (monotonous by default): at 300 the max is 100 (W = 99), at 1300 it
    // is 1250 (W = 1249); z ends the input at 1400.
    expect(r.eventsOf('sourceWatermark').map((e) => [e.pt, e.watermark])).toEqual([
      [300, 99],
      [1300, 1249],
    ]);
    expect(valuesOf(r.records)).toEqual(['x', 'y', 'z']);
  });
});

describe('a TestStream in a pipeline', () => {
  it('still runs processing-time steps after advanceWatermarkToInfinity, so processing-time timers can fire', () => {
    const spec = parseTestStream({
      steps: [
        { advanceWatermarkTo: 0 },
        { addElements: [{ value: 'a', timestamp: 10 }] },
        { advanceWatermarkToInfinity: true },
        { advanceProcessingTime: 1000 },
      ],
    });
    const r = runWithTrace((p) => {
      p.testStream(spec as TestStreamSpec<string>)
        .keyBy((v) => v)
        .process<string>({
          processElement(_v, ctx) {
            ctx.timerService.registerEventTimeTimer(10);
            ctx.timerService.registerProcessingTimeTimer(500);
          },
          onTimer(t, ctx) {
            ctx.output(`${ctx.timeDomain}@${t}`);
          },
        })
        .sink('out');
    });
    // The final watermark fires the event-time timer at once (pt 0); the input only ends after the
    // script's last step (pt 1000), so the processing-time timer for 500 fires on the way, at pt 501
    // (1 ms after its time, as in Flink).
    expect(r.records.map((x) => [x.value, x.processingTime])).toEqual([
      ['eventTime@10', 0],
      ['processingTime@500', 501],
    ]);
    expect(r.eventsOf('jobFinished')[0]!.abandonedProcessingTimers).toBe(0);
  });
});
