// Idle partitions (Flink's WatermarkStrategy.withIdleness). A partition without records holds the
// source's watermark back (the minimum over partitions) until it is marked idle. Flink decides
// idleness only on periodic emissions (WatermarksWithIdleness.IdlenessTimer): the countdown starts
// at the first emission that saw no record since the previous one, and the partition is idle at
// the first emission after strictly more than the timeout since then. It becomes active again at
// the first emission after a new record (its generator emits a watermark again).

import { describe, expect, it } from 'vitest';
import { monotonousTimestamps, tumblingWindows, type WatermarkStrategy } from '../../../src/engine/api/index.ts';
import { runWithTrace } from '../harness.ts';

interface Tagged {
  p: number;
  ts: number;
}

/** Records whose timestamp is their arrival, each tagged with its partition. */
function records(p0: number[], p1: number[]): { value: Tagged; timestamp: number; arrival: number }[] {
  const all = [...p0.map((ts) => ({ p: 0, ts })), ...p1.map((ts) => ({ p: 1, ts }))];
  return all.map((v) => ({ value: v, timestamp: v.ts, arrival: v.ts }));
}

const every200 = (from: number, to: number): number[] => Array.from({ length: Math.floor((to - from) / 200) + 1 }, (_, i) => from + 200 * i);

function run(input: ReturnType<typeof records>, watermarks: WatermarkStrategy) {
  return runWithTrace((p) => {
    p.fromRecords(input, { partitions: 2, partitionOf: (v) => v.p, watermarks })
      .keyBy(() => 'k')
      .window(tumblingWindows(1000), { name: 'w' })
      .count()
      .sink('counts');
  });
}

const fired = (r: ReturnType<typeof run>) =>
  r.records.map((x) => ({ start: (x.window as { start: number }).start, count: x.value, pt: x.processingTime }));

describe('a silent partition', () => {
  // Partition 0 has a record every 200 ms (ts = arrival = 100, 300, ..., 3900); partition 1 has
  // records at 50, 3120 and 3950. The job starts at 50, so emissions happen at 250, 450, 650, ...
  const input = records(every200(100, 3900), [50, 3120, 3950]);

  it('holds the watermark back when the strategy has no idleness', () => {
    const r = run(input, monotonousTimestamps());
    // Partition 1's watermark stays at 49 until its record at 3120 is seen at the emission at 3250;
    // then W = min(3099, 3119) = 3099, and three windows fire at once.
    expect(fired(r)).toEqual([
      { start: 0, count: 6, pt: 3250 },
      { start: 1000, count: 5, pt: 3250 },
      { start: 2000, count: 5, pt: 3250 },
      { start: 3000, count: 7, pt: 3950 },
    ]);
    expect(r.eventsOf('partitionIdle')).toEqual([]);
  });

  it('is marked idle after the timeout and no longer holds the watermark back', () => {
    const r = run(input, monotonousTimestamps().withIdleness(1000));
    // Its last record (50) is seen at 250; the countdown starts at 450 (first emission without a
    // record); at 1450 exactly 1000 ms have passed, which is not more than the timeout; at 1650 it is idle.
    expect(r.eventsOf('partitionIdle').map((e) => [e.pt, e.partition])).toEqual([[1650, 1]]);
    // It proposes a watermark again at the first emission after its record at 3120.
    expect(r.eventsOf('partitionActive').map((e) => [e.pt, e.partition])).toEqual([[3250, 1]]);
    // While idle, W follows partition 0 alone (max - 1), checked every 200 ms; once active again,
    // partition 1 (3119) holds it until the input ends at 3950.
    expect(r.eventsOf('watermarkAdvanced').filter((e) => e.operator === 'w').map((e) => [e.pt, e.watermark])).toEqual([
      [250, 49],
      [1650, 1499],
      [1850, 1699],
      [2050, 1899],
      [2250, 2099],
      [2450, 2299],
      [2650, 2499],
      [2850, 2699],
      [3050, 2899],
      [3250, 3099],
      [3450, 3119],
      [3950, Number.POSITIVE_INFINITY],
    ]);
    // Windows fire as soon as W passes their max timestamp: 999 at 1650, 1999 at 2250, 2999 at 3250.
    expect(fired(r)).toEqual([
      { start: 0, count: 6, pt: 1650 },
      { start: 1000, count: 5, pt: 2250 },
      { start: 2000, count: 5, pt: 3250 },
      { start: 3000, count: 7, pt: 3950 },
    ]);
  });

  it('that wakes up behind the watermark holds it (it never goes back) until it is idle again', () => {
    // Partition 1 wakes up at 2520 with a record from 1000, then stays silent until 5050.
    const r = run(records(every200(100, 4900), [50, 1000, 5050]).map((x) => (x.value.ts === 1000 && x.value.p === 1 ? { ...x, arrival: 2520 } : x)), monotonousTimestamps().withIdleness(1000));
    // Active at the emission at 2650 with W1 = 999 < W = 2299: the minimum (999) does not move W.
    // Its countdown starts at 2850 and it is idle again at 4050 (1200 > 1000).
    expect(r.eventsOf('partitionIdle').map((e) => e.pt)).toEqual([1650, 4050]);
    expect(r.eventsOf('partitionActive').map((e) => e.pt)).toEqual([2650]);
    const wms = r.eventsOf('watermarkAdvanced').filter((e) => e.operator === 'w');
    // W stays at 2299 from 2450 until 4050, when it jumps to partition 0's 3899.
    expect(wms.filter((e) => e.pt >= 2450 && e.pt <= 4050).map((e) => [e.pt, e.watermark])).toEqual([
      [2450, 2299],
      [4050, 3899],
    ]);
    // The record from 1000 is late: its window [1000,2000) expired at W = 2099.
    expect(r.eventsOf('recordDropped').map((e) => [e.eventTime, e.watermark])).toEqual([[1000, 2299]]);
  });
});

describe('a whole idle source', () => {
  it('is ignored by the operator it feeds, which follows its other inputs', () => {
    const r = runWithTrace((p) => {
      const busy = p.fromRecords(
        Array.from({ length: 15 }, (_, i) => 150 + 200 * i).map((ts) => ({ value: ts, timestamp: ts, arrival: ts })),
        { name: 'busy' },
      );
      const quiet = p.fromRecords(
        [
          { value: 10, timestamp: 10, arrival: 110 },
          { value: 2500, timestamp: 2500, arrival: 2500 },
        ],
        { name: 'quiet', watermarks: monotonousTimestamps().withIdleness(500) },
      );
      busy.union(quiet).keyBy(() => 'k').window(tumblingWindows(1000)).count().sink('counts');
    });
    // The job starts at 110, so both sources emit at 310, 510, ... 'quiet' saw its record at 310,
    // starts counting at 510 and is idle at 1110 (600 > 500): from then on the union follows 'busy'.
    expect(r.eventsOf('partitionIdle').map((e) => [e.source, e.pt])).toEqual([['quiet', 1110]]);
    // 'busy' (ts = arrival = 150, 350, ..., 2950) reaches W = 1149 at 1310 and W = 2149 at 2310;
    // its last record ends its input at 2950 ('quiet' ended at 2500), and the last window fires.
    expect(r.records.map((x) => [(x.window as { start: number }).start, x.value, x.processingTime])).toEqual([
      [0, 6, 1310],
      [1000, 5, 2310],
      [2000, 6, 2950],
    ]);
  });
});
