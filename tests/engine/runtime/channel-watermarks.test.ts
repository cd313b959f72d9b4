// Watermarks across parallel subtasks and channels, as Flink's StatusWatermarkValve combines them:
// a subtask's watermark is the minimum over its input channels (idle channels aside), it never
// goes back, and it is forwarded to every downstream channel. Records are routed by key to exactly
// one subtask (Flink's key groups: murmurHash(key.hashCode()) % 128, split into contiguous ranges),
// round-robin for rebalance.

import { describe, expect, it } from 'vitest';
import { monotonousTimestamps, tumblingWindows, type Pipeline } from '../../../src/engine/api/index.ts';
import { keyGroupOf, keyHash, subtaskForKeyGroup } from '../../../src/engine/runtime/partitioner.ts';
import { runWithTrace, strictlyIncreasing, watermarksByChannel, watermarksBySubtask } from '../harness.ts';

const INF = Number.POSITIVE_INFINITY;

describe('watermarks with parallelism', () => {
  // Two partitions read by two source subtasks (partition p goes to subtask p % 2). Partition 0:
  // ts = arrival = 20, 120, ..., 920. Partition 1 trails by 500 ms: a record at 0 (ts -500), then
  // arrivals 50, 150, ..., 950 with ts = arrival - 500. The job starts at 0, so ticks are at 200, 400, ...
  const records = [
    { value: { p: 1 }, timestamp: -500, arrival: 0 },
    ...Array.from({ length: 10 }, (_, k) => ({ value: { p: 0 }, timestamp: 20 + 100 * k, arrival: 20 + 100 * k })),
    ...Array.from({ length: 10 }, (_, k) => ({ value: { p: 1 }, timestamp: -450 + 100 * k, arrival: 50 + 100 * k })),
  ];
  const build = (p: Pipeline) => {
    p.setParallelism(2);
    p.fromRecords(records, { name: 'src', partitions: 2, partitionOf: (v) => v.p })
      .keyBy((v) => v.p)
      .window(tumblingWindows(1000), { name: 'w' })
      .count()
      .sink('counts');
  };

  it('gives every subtask the minimum over its input channels', () => {
    const r = runWithTrace(build);
    const byChannel = watermarksByChannel(r.trace);
    // Channel 0 comes from source subtask 0 (W = max - 1 at each tick: 119, 319, 519, 719, then +inf
    // when its input ends at 920), channel 1 from subtask 1 (-351, -151, 49, 249, +inf at 950).
    for (const s of [0, 1]) {
      expect(byChannel.get(`w#${s}/0`)).toEqual([119, 319, 519, 719, INF]);
      expect(byChannel.get(`w#${s}/1`)).toEqual([-351, -151, 49, 249, INF]);
    }
    // Each window subtask follows the slower channel: min(119, -351) = -351 at 200, and so on.
    const advanced = r.eventsOf('watermarkAdvanced').filter((e) => e.operator === 'w');
    for (const s of [0, 1]) {
      expect(advanced.filter((e) => e.subtask === s).map((e) => [e.pt, e.watermark])).toEqual([
        [200, -351],
        [400, -151],
        [600, 49],
        [800, 249],
        [950, INF],
      ]);
    }
  });

  it('never moves a subtask or channel watermark back', () => {
    const r = runWithTrace(build);
    for (const [id, wms] of watermarksBySubtask(r.trace)) expect(strictlyIncreasing(wms), id).toBe(true);
    for (const [id, wms] of watermarksByChannel(r.trace)) expect(strictlyIncreasing(wms), id).toBe(true);
  });
});

describe('keyBy', () => {
  it('assigns key groups as Flink does: murmurHash(hashCode) % 128, in contiguous ranges per subtask', () => {
    // Expected values from Flink's MathUtils.murmurHash run on the JVM: murmurHash(1) = 68075478
    // (% 128 = 86), murmurHash(2) = 1085422463 (% 128 = 127); Integer keys hash to themselves.
    expect([1, 2, 0, -1, 42, 100000].map((k) => keyGroupOf(k))).toEqual([86, 127, 94, 80, 29, 3]);
    // A Java string hashes as s[0]*31^(n-1) + ... + s[n-1]: "a" is 97 and "ab" is 97 * 31 + 98 = 3105;
    // "user-0".hashCode() is -836031826 on the JVM.
    expect(keyHash('a')).toBe(97);
    expect(keyHash('ab')).toBe(3105);
    expect(keyHash('user-0')).toBe(-836031826);
    expect(['a', 'ab', 'user-0', 'user-7', 'runner-03'].map((k) => keyGroupOf(k))).toEqual([81, 33, 8, 37, 93]);
    // KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup: keyGroup * parallelism / 128.
    expect(subtaskForKeyGroup(63, 2)).toBe(0);
    expect(subtaskForKeyGroup(64, 2)).toBe(1);
    expect(subtaskForKeyGroup(127, 3)).toBe(2);
  });

  it('sends each key to exactly one subtask, the one its key group maps to', () => {
    const keys = Array.from({ length: 20 }, (_, i) => `user-${i}`);
    const r = runWithTrace((p) => {
      p.setParallelism(3);
      p.fromRecords(
        keys.flatMap((k, i) => [0, 1, 2].map((j) => ({ value: k, timestamp: 100 * (3 * i + j), arrival: 100 * (3 * i + j) }))),
        { partitions: 3 },
      )
        .keyBy((k) => k)
        .process<string>({
          processElement(v, ctx) {
            const n = ctx.state.value<number>('n');
            n.update((n.value() ?? 0) + 1);
            ctx.output(v);
          },
        }, 'count')
        .sink('out');
    });
    const subtasksOf = new Map<string, Set<number>>();
    for (const e of r.eventsOf('stateUpdated')) {
      const set = subtasksOf.get(String(e.key)) ?? new Set<number>();
      set.add(e.subtask);
      subtasksOf.set(String(e.key), set);
    }
    expect([...subtasksOf.keys()].sort()).toEqual([...keys].sort());
    for (const [k, set] of subtasksOf) expect([...set], k).toEqual([subtaskForKeyGroup(keyGroupOf(k), 3)]);
    expect(r.records).toHaveLength(60);
  });
});

describe('rebalance and union', () => {
  it('spreads records round-robin when parallelism changes on a forward edge', () => {
    const r = runWithTrace((p) => {
      p.fromRecords(Array.from({ length: 10 }, (_, i) => ({ value: i, timestamp: i, arrival: i })))
        .map((x) => x, { name: 'm', parallelism: 3 })
        .sink('out');
    });
    // Flink uses rebalance when parallelism differs; Brook starts every sender at channel 0:
    // records 0, 3, 6, 9 go to subtask 0, 1, 4, 7 to subtask 1, 2, 5, 8 to subtask 2.
    expect(r.metrics.filter((m) => m.operator === 'm').map((m) => m.recordsIn)).toEqual([4, 3, 3]);
    expect(r.records.map((x) => x.value).sort((a, b) => (a as number) - (b as number))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('gives a union the minimum of its inputs', () => {
    const r = runWithTrace((p) => {
      const a = p.fromRecords([100, 700, 1300].map((t) => ({ value: t, timestamp: t, arrival: t })), { name: 'a' });
      const b = p.fromRecords([150, 350, 1350].map((t) => ({ value: t, timestamp: t - 300, arrival: t })), { name: 'b' });
      a.union(b).map((x) => x, 'm').sink('out');
    });
    // The job starts at 100: ticks at 300 (a: 99, b: -151), 500 (b: 49), 900 (a: 699). a ends at 1300
    // (+inf), but b still holds the union at 49 until it ends at 1350.
    expect(r.eventsOf('watermarkAdvanced').filter((e) => e.operator === 'union').map((e) => [e.pt, e.watermark])).toEqual([
      [300, -151],
      [500, 49],
      [1350, INF],
    ]);
  });
});

describe('idle input channels (StatusWatermarkValve)', () => {
  const idle500 = monotonousTimestamps().withIdleness(500);

  it('jump to the largest watermark when the last active channel goes idle, and skip a channel that comes back behind', () => {
    const r = runWithTrace((p) => {
      const a = p.fromRecords(
        [
          { value: 'a1000', timestamp: 1000, arrival: 150 },
          { value: 'a3000', timestamp: 3000, arrival: 250 },
          { value: 'a5000', timestamp: 5000, arrival: 450 },
          { value: 'a8000', timestamp: 8000, arrival: 3050 },
          { value: 'a20000', timestamp: 20000, arrival: 3650 },
        ],
        { name: 'a', watermarks: idle500 },
      );
      const b = p.fromRecords(
        [
          { value: 'b200', timestamp: 200, arrival: 100 },
          { value: 'b1200', timestamp: 1200, arrival: 750 },
          { value: 'b2000', timestamp: 2000, arrival: 1150 },
          { value: 'b2500', timestamp: 2500, arrival: 2950 },
          { value: 'b20000', timestamp: 20000, arrival: 3450 },
        ],
        { name: 'b', watermarks: idle500 },
      );
      a.union(b).keyBy(() => 'k').window(tumblingWindows(1000)).count().sink('counts');
    });
    // Ticks at 300, 500, ... (start 100). a is idle at 1300, b at 2100 (see idleness.test.ts for the
    // countdown); both wake up at 3100. b ends at 3450, a at 3650.
    expect(r.eventsOf('partitionIdle').map((e) => [e.source, e.pt])).toEqual([
      ['a', 1300],
      ['b', 2100],
    ]);
    // 300: b 199. 900: b 1199. 1300: a idle (its 4999 no longer counts), b 1999. 2100: b goes idle while it
    // holds the watermark: everything is idle, so the valve flushes to the largest channel watermark, 4999.
    // 3100: a comes back at 7999 >= 4999 and is aligned; b comes back at 2499 < 7999 and is not, so W = 7999.
    expect(r.eventsOf('watermarkAdvanced').filter((e) => e.operator === 'union').map((e) => [e.pt, e.watermark])).toEqual([
      [300, 199],
      [900, 1199],
      [1300, 1999],
      [2100, 4999],
      [3100, 7999],
      [3650, INF],
    ]);
    // b2500 arrives (2950) after the flush to 4999: its window [2000,3000) has expired.
    expect(r.eventsOf('recordDropped').map((e) => [e.eventTime, e.watermark])).toEqual([[2500, 4999]]);
    expect(r.records.map((x) => [(x.window as { start: number }).start, x.value, x.processingTime])).toEqual([
      [0, 1, 900],
      [1000, 2, 1300],
      [2000, 1, 2100],
      [3000, 1, 2100],
      [5000, 1, 3100],
      [8000, 1, 3650],
      [20000, 2, 3650],
    ]);
  });

  it('let the watermark jump to +inf when the only other input has finished', () => {
    const r = runWithTrace((p) => {
      const a = p.fromRecords([{ value: 'a', timestamp: 500, arrival: 100 }], { name: 'a' });
      const b = p.fromRecords(
        [
          { value: 'b300', timestamp: 300, arrival: 110 },
          { value: 'b900', timestamp: 900, arrival: 5000 },
        ],
        { name: 'b', watermarks: idle500 },
      );
      a.union(b).keyBy(() => 'k').window(tumblingWindows(1000)).count().sink('counts');
    });
    // a ends at once (+inf). b is idle at 1100; the finished channel, at +inf, is then the only
    // aligned one, so W = +inf (as in Flink) and b's record at 900, arriving at 5000, is late.
    expect(r.eventsOf('watermarkAdvanced').filter((e) => e.operator === 'union').map((e) => [e.pt, e.watermark])).toEqual([
      [300, 299],
      [1100, INF],
    ]);
    expect(r.records.map((x) => [x.value, x.processingTime])).toEqual([[2, 1100]]);
    expect(r.eventsOf('recordDropped').map((e) => e.eventTime)).toEqual([900]);
  });

  it('of a two-input operator are combined per input, without the jump when every input is idle', () => {
    const r = runWithTrace((p) => {
      const a = p.fromRecords(
        [
          { value: 'a', timestamp: 5000, arrival: 150 },
          { value: 'a', timestamp: 30_000, arrival: 5050 },
        ],
        { name: 'a', watermarks: idle500 },
      );
      const b = p.fromRecords(
        [
          { value: 'b', timestamp: 1000, arrival: 110 },
          { value: 'b', timestamp: 30_000, arrival: 5150 },
        ],
        { name: 'b', watermarks: idle500 },
      );
      a.connect(b)
        .keyBy((x) => x, (x) => x)
        .process<string>({ processElement1: () => {}, processElement2: () => {} }, { name: 'co' })
        .sink('out');
    });
    // Ticks at 310, 510, ... (start 110): a reports 4999, b 999; both are idle at 1110. Flink combines
    // a two-input operator's inputs with IndexedCombinedWatermarkStatus: the minimum over inputs that
    // are not idle, and nothing when all are idle, so W stays at 999 (a single valve over all four
    // channels would have jumped to 4999). a ends at 5050: it reports itself active (its input counts
    // again with 4999, the only input not idle), then sends +inf.
    expect(r.eventsOf('watermarkAdvanced').filter((e) => e.operator === 'co').map((e) => [e.pt, e.watermark])).toEqual([
      [310, 999],
      [5050, 4999],
      [5050, INF],
    ]);
  });
});
