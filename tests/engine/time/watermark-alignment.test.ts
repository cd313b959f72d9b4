// Watermark alignment (Flink's WatermarkStrategy.withWatermarkAlignment(group, maxDrift,
// updateInterval = 1 s)). Like Flink's SourceCoordinator, the group announces a limit every
// updateInterval: the minimum watermark over its partitions plus maxDrift. A partition whose
// watermark passes the announced limit stops reading at once (SourceOperator.updateCurrentSplitWatermark)
// and resumes at the first announcement whose limit is at or above its watermark
// (checkSplitWatermarkAlignment: pause when watermark > maxAllowed, resume otherwise).

import { describe, expect, it } from 'vitest';
import { monotonousTimestamps, tumblingWindows, type WatermarkStrategy } from '../../../src/engine/api/index.ts';
import { runSampled, runWithTrace, stateEntriesOf } from '../harness.ts';

interface Rec {
  p: number;
  ts: number;
}

// Partition 1 (slow) has a record at 0, then one every 100 ms at 30, 130, ..., 5930 with ts = arrival.
// Partition 0 (fast) has one every 100 ms at 60, 160, ..., 5960 with ts = 2 × arrival: its event
// time runs twice as fast. The job starts at 0: emissions every 200 ms, announcements every 1000 ms
// (after the emission due at the same instant).
const slow = [{ p: 1, ts: 0, arrival: 0 }, ...Array.from({ length: 60 }, (_, k) => ({ p: 1, ts: 30 + 100 * k, arrival: 30 + 100 * k }))];
const fast = Array.from({ length: 60 }, (_, k) => ({ p: 0, ts: 2 * (60 + 100 * k), arrival: 60 + 100 * k }));
const input = [...slow, ...fast].map((r) => ({ value: { p: r.p, ts: r.ts } as Rec, timestamp: r.ts, arrival: r.arrival }));

function pipeline(watermarks: WatermarkStrategy) {
  return (p: Parameters<Parameters<typeof runWithTrace>[0]>[0]) => {
    p.fromRecords(input, { partitions: 2, partitionOf: (v) => v.p, watermarks })
      .keyBy(() => 'k')
      .window(tumblingWindows(1000), { name: 'w' })
      .count()
      .sink('counts');
  };
}

const aligned = monotonousTimestamps().withWatermarkAlignment('g', 1000);

describe('watermark alignment', () => {
  it('pauses the fast partition when it passes the limit and resumes it at an announcement', () => {
    const r = runWithTrace(pipeline(aligned));
    // 1000: min(W0 = 1919, W1 = 929) = 929, limit 1929. At 1200 W0 = 2319 > 1929: paused.
    // 2000: W1 = 1929, limit 2929 >= 2319: resumed; it reads its backlog and at 2200 W0 = 4319: paused.
    // 3000: limit 3929 < 4319, still paused. 4000: limit 4929: resumed; at 4200 W0 = 8319: paused.
    // 5000: limit 5929. 6000: the slow partition has finished (its last record came at 5930), so the
    // limit is 8319 + 1000: resumed.
    expect(r.eventsOf('partitionPaused').map((e) => [e.pt, e.partition, e.watermark, e.groupMin])).toEqual([
      [1200, 0, 2319, 929],
      [2200, 0, 4319, 1929],
      [4200, 0, 8319, 3929],
    ]);
    expect(r.eventsOf('partitionResumed').map((e) => [e.pt, e.partition])).toEqual([
      [2000, 0],
      [4000, 0],
      [6000, 0],
    ]);
  });

  it('does nothing without alignment, and changes when results come out, not what they are', () => {
    const plain = runWithTrace(pipeline(monotonousTimestamps()));
    const withAlignment = runWithTrace(pipeline(aligned));
    expect(plain.eventsOf('partitionPaused')).toEqual([]);
    // The fast partition is ahead of the watermark, so pausing it makes none of its records late.
    const counts = (r: typeof plain) =>
      r.records.map((x): [number, number] => [(x.window as { start: number }).start, x.value as number]).sort((a, b) => a[0] - b[0]);
    expect(counts(withAlignment)).toEqual(counts(plain));
    expect(withAlignment.eventsOf('recordDropped')).toEqual([]);
    // 121 records: [0,1000) has the slow ones at 0, 30..930 (11) and the fast ones 120..920 (5).
    expect(counts(plain)[0]).toEqual([0, 16]);
    expect(counts(plain).reduce((n, c) => n + c[1], 0)).toBe(121);
  });

  it('keeps fewer window panes in state while the fast partition waits', () => {
    const sample = (w: WatermarkStrategy) => stateEntriesOf(runSampled(pipeline(w), { sampleAt: [3900] }).samples[0]!.metrics, 'w');
    // At 3900, W = min(W0, W1 = 3729) = 3729. Without alignment the fast partition has read up to
    // ts 7720, so panes [3000,4000) to [7000,8000) are open: 5. With alignment it has been paused
    // since 2200 at ts 4320: panes [3000,4000) and [4000,5000) only.
    expect(sample(monotonousTimestamps())).toBe(5);
    expect(sample(aligned)).toBe(2);
  });

  it('does not count the time a partition is paused towards its idleness', () => {
    const r = runWithTrace(pipeline(monotonousTimestamps().withIdleness(500).withWatermarkAlignment('g', 1000)));
    // Paused from 2200 to 4000 (1800 ms without records, > 500): Flink's PausableRelativeClock stands
    // still while a split is paused for alignment, so it is never marked idle.
    expect(r.eventsOf('partitionIdle')).toEqual([]);
    expect(r.eventsOf('partitionPaused').map((e) => e.pt)).toEqual([1200, 2200, 4200]);
  });

  it('ignores partitions that have no watermark yet', () => {
    // The slow partition's first record comes at 3030; the fast one has an extra record at 0 so the
    // job still starts at 0. Until 3030 the slow one reports nothing, as a Flink reader without a
    // watermark, so the fast one is only ever held to its own last reported watermark + 1000.
    const late = [{ value: { p: 0, ts: 0 }, timestamp: 0, arrival: 0 }, ...input.filter((r) => r.value.p === 0 || r.timestamp >= 3030)];
    const r = runWithTrace((p) => {
      p.fromRecords(late, { partitions: 2, partitionOf: (v) => v.p, watermarks: aligned }).sink('out');
    });
    // 1000: limit 1919 + 1000; at 1600 W0 = 3119: paused. 2000: limit 4119: resumed; 2200: W0 = 4319, paused.
    // 3000: the slow partition has still not reported: limit 5319, resumed; 3200: W0 = 6319, paused.
    // 4000: min(6319, W1 = 3929) + 1000 = 4929: it stays paused until the slow partition ends (6000).
    expect(r.eventsOf('partitionPaused').map((e) => [e.pt, e.watermark, e.groupMin])).toEqual([
      [1600, 3119, 1919],
      [2200, 4319, 3119],
      [3200, 6319, 4319],
    ]);
    expect(r.eventsOf('partitionResumed').map((e) => e.pt)).toEqual([2000, 3000, 6000]);
  });
});
