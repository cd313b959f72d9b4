// Window completeness under crashes: every record lands in exactly the windows its timestamp
// says — one tumbling window, or size / slide sliding ones — on time, or late within the allowed
// lateness (each late record fires a LATE pane), or not at all when it comes later still (dropped:
// a recordDropped in the trace, or the late side output). The oracle is a plain loop over the
// input computing the windows of each timestamp; the committed output of exactly-once sinks,
// after crashes, must match it pane for pane (accumulating mode, so a window's final pane counts
// everything it got), and match the failure-free run record for record.
//
// Which class a record falls in must not depend on exactly when a periodic watermark was emitted,
// so the input leaves wide margins: records arrive every 50 ms and on-time ones carry their
// arrival as timestamp, so the watermark (bound 100 ms, emitted every 200 ms) trails arrival by
// 101 to ~450 ms. A late record is 1983 ms old: all its windows ended at least ~500 ms before the
// watermark, and all of them are still kept (lateness 4000 ms). A too-late record is 5967 ms old:
// all its windows expired at least ~500 ms before the watermark.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  boundedOutOfOrderness,
  slidingWindows,
  tumblingWindows,
  type PaneInfo,
  type PipelineBuilder,
  type TraceEvent,
} from '../../../src/engine/api/index.ts';
import { compareToReference, sinkWritesAsRecords } from '../../../src/engine/checkpoint/delivery-report.ts';
import type { SinkWrite } from '../../../src/engine/checkpoint/durable-store.ts';
import { runDurable, type CrashPlan } from '../../../src/engine/checkpoint/job-driver.ts';
import { MemoryDurableStore } from '../../../src/engine/checkpoint/memory-store.ts';

type Kind = 'onTime' | 'late' | 'tooLate';
interface Event {
  key: string;
  id: number;
  kind: Kind;
}
interface Timed {
  value: Event;
  timestamp: number;
  arrival: number;
}

const SPACING = 50;
const BOUND = 100;
const LATENESS = 4_000;
const LATE_AGE = 2_000 - 17;
const TOO_LATE_AGE = 6_000 - 33;
const COUNT = 360;

/** COUNT records of 4 keys (and a rare one); about 12 % late and 8 % too late, once the clock allows it. */
function events(seed: number): Timed[] {
  let s = seed * 2654435761 + 1;
  const next = (): number => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
  return Array.from({ length: COUNT }, (_, id) => {
    const t = id * SPACING;
    const r = next();
    const kind: Kind = r < 0.08 && t >= TOO_LATE_AGE ? 'tooLate' : r < 0.2 && t >= LATE_AGE ? 'late' : 'onTime';
    const age = kind === 'onTime' ? 0 : kind === 'late' ? LATE_AGE : TOO_LATE_AGE;
    const k = Math.floor(next() * 5);
    // Key "rare" gets late records only: its windows' first pane is LATE, never ON_TIME.
    const key = k === 4 ? (kind === 'late' ? 'rare' : 'k0') : `k${k}`;
    return { value: { key, id, kind }, timestamp: t - age, arrival: t };
  });
}

interface Shape {
  readonly size: number;
  readonly slide: number;
}

/** The windows [start, start + size) that hold `ts`, as Flink's SlidingEventTimeWindows assigns them. */
function windowsOf(ts: number, { size, slide }: Shape): { start: number; end: number }[] {
  const out = [];
  const lastStart = ts - (((ts % slide) + slide) % slide);
  for (let start = lastStart; start > ts - size; start -= slide) out.push({ start, end: start + size });
  return out;
}

interface Expected {
  onTime: number;
  late: number;
}

/** The plain loop: per key and window, how many on-time and late records it gets. */
function expectedWindows(input: readonly Timed[], shape: Shape): Map<string, Expected> {
  const out = new Map<string, Expected>();
  for (const { value, timestamp } of input) {
    if (value.kind === 'tooLate') continue;
    for (const w of windowsOf(timestamp, shape)) {
      const id = `${value.key}@${w.start}`;
      const e = out.get(id) ?? { onTime: 0, late: 0 };
      e[value.kind === 'late' ? 'late' : 'onTime']++;
      out.set(id, e);
    }
  }
  return out;
}

/**
 * Checks the committed panes against the plain loop: per key and window, panes numbered 0, 1, …
 * with no gap or repeat, one ON_TIME pane if the window had on-time records, one LATE pane per
 * late record, and a final pane that counts them all.
 */
function checkPanes(written: readonly SinkWrite[], expected: ReadonlyMap<string, Expected>): void {
  const panes = new Map<string, { pane: PaneInfo; count: number }[]>();
  for (const w of written) {
    if (w.window === undefined || w.window === 'global' || w.pane === undefined) throw new Error(`not a window result: ${JSON.stringify(w)}`);
    const id = `${String(w.key)}@${w.window.start}`;
    const list = panes.get(id) ?? [];
    list.push({ pane: w.pane, count: w.value as number });
    panes.set(id, list);
  }
  expect([...panes.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [id, e] of expected) {
    const list = panes.get(id)!.sort((a, b) => a.pane.index - b.pane.index);
    expect(list.map((p) => p.pane.index), id).toEqual(list.map((_, i) => i));
    expect(list.filter((p) => p.pane.timing === 'ON_TIME').length, id).toBe(e.onTime > 0 ? 1 : 0);
    expect(list.filter((p) => p.pane.timing === 'LATE').length, id).toBe(e.late);
    expect(list.filter((p) => p.pane.timing === 'EARLY').length, id).toBe(0);
    expect(list[list.length - 1]!.count, id).toBe(e.onTime + e.late);
  }
}

/** Tumbling windows; too-late records go to the side output `late`. */
const tumbling = (input: readonly Timed[]): PipelineBuilder => (p) => {
  const counts = p
    .fromRecords(input, { uid: 'events', partitions: 2, watermarks: boundedOutOfOrderness(BOUND) })
    .keyBy((e) => e.key)
    .window(tumblingWindows(1_000))
    .allowedLateness(LATENESS)
    .accumulatingFiredPanes()
    .sideOutputLateData('late')
    .count()
    .uid('counts');
  counts.sinkTo('windows', { guarantee: 'exactlyOnce', uid: 'windows' });
  counts.getSideOutput<Event>('late').sinkTo('late', { guarantee: 'exactlyOnce', uid: 'late' });
};

/** Sliding windows (4 per record); too-late records are dropped, which the trace shows. */
const sliding = (input: readonly Timed[]): PipelineBuilder => (p) => {
  p.fromRecords(input, { uid: 'events', partitions: 2, watermarks: boundedOutOfOrderness(BOUND) })
    .keyBy((e) => e.key)
    .window(slidingWindows(1_000, 250))
    .allowedLateness(LATENESS)
    .accumulatingFiredPanes()
    .count()
    .uid('counts')
    .sinkTo('windows', { guarantee: 'exactlyOnce', uid: 'windows' });
};

interface Outcome {
  windows: SinkWrite[];
  late: SinkWrite[];
  /** Distinct (key, event time) of recordDropped events. */
  dropped: Set<string>;
  /** recordDropped events in all, replays included. */
  droppedEvents: number;
  attempts: number;
}

async function run(build: PipelineBuilder, interval: number, crashes?: CrashPlan): Promise<Outcome> {
  const store = new MemoryDurableStore();
  const dropped = new Set<string>();
  let droppedEvents = 0;
  const onTrace = (e: TraceEvent): void => {
    if (e.type !== 'recordDropped') return;
    droppedEvents++;
    dropped.add(`${String(e.key)}@${e.eventTime}`);
  };
  const r = await runDurable(build, { store, jobId: 'windows', checkpointInterval: interval, onTrace, ...(crashes ? { crashes } : {}) });
  expect(r.finished, JSON.stringify(r.failures)).toBe(true);
  return { windows: await store.sinkRead('windows'), late: await store.sinkRead('late'), dropped, droppedEvents, attempts: r.attempts };
}

const crashPlan = fc.record({
  times: fc.uniqueArray(fc.integer({ min: 1, max: COUNT * SPACING }), { minLength: 1, maxLength: 4 }),
  phases: fc.array(
    fc.record({
      phase: fc.constantFrom('midSnapshotWrite' as const, 'afterPreCommit' as const, 'afterCheckpointComplete' as const),
      occurrence: fc.integer({ min: 1, max: 15 }),
    }),
    { maxLength: 2 },
  ),
});

const tooLate = (input: readonly Timed[]) => input.filter((r) => r.value.kind === 'tooLate');

describe('window completeness under crashes', () => {
  // Why: a record's windows and lateness follow from its timestamp and the watermark, both replayed exactly from a checkpoint, and each pane is committed once.
  it('every record lands in exactly its tumbling window, late ones in LATE panes, too-late ones in the side output', async () => {
    const shape = { size: 1_000, slide: 1_000 };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 300, max: 2_500 }), crashPlan, async (seed, interval, plan) => {
        const input = events(seed);
        const ref = await run(tumbling(input), interval);
        const got = await run(tumbling(input), interval, { atProcessingTimes: plan.times, phases: plan.phases });
        // The plain loop: which windows each timestamp belongs to, and which records are too late.
        checkPanes(got.windows, expectedWindows(input, shape));
        expect(got.late.map((w) => (w.value as Event).id)).toEqual(tooLate(input).map((r) => r.value.id));
        // Side-output records are not dropped.
        expect(got.dropped.size).toBe(0);
        // And the failure-free run wrote the very same records.
        for (const sink of ['windows', 'late'] as const) {
          const [report] = compareToReference(sinkWritesAsRecords(sink, ref[sink]), sinkWritesAsRecords(sink, got[sink]));
          if (report) expect(report.exact, `${sink}: ${report.duplicates} duplicated, ${report.losses} lost`).toBe(true);
        }
      }),
      { numRuns: 10 },
    );
  }, 60_000);

  // Why: the same holds per window when a record lands in size / slide = 4 of them; a dropped record is traced by every attempt that reads it, and by nothing else.
  it('every record lands in exactly its size / slide sliding windows, late ones in LATE panes, too-late ones dropped and traced', async () => {
    const shape = { size: 1_000, slide: 250 };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 300, max: 2_500 }), crashPlan, async (seed, interval, plan) => {
        const input = events(seed);
        const ref = await run(sliding(input), interval);
        const got = await run(sliding(input), interval, { atProcessingTimes: plan.times, phases: plan.phases });
        checkPanes(got.windows, expectedWindows(input, shape));
        // Each too-late record is traced as dropped (once per attempt that read it), nothing else is.
        const want = new Set(tooLate(input).map((r) => `${r.value.key}@${r.timestamp}`));
        expect(got.dropped).toEqual(want);
        expect(ref.dropped).toEqual(want);
        // Without failures, each is dropped exactly once.
        expect(ref.droppedEvents).toBe(want.size);
        const [report] = compareToReference(sinkWritesAsRecords('windows', ref.windows), sinkWritesAsRecords('windows', got.windows));
        expect(report!.exact, `${report!.duplicates} duplicated, ${report!.losses} lost`).toBe(true);
      }),
      { numRuns: 8 },
    );
  }, 60_000);

  // Why: seed 7's input has all three classes and a late-only key, and the three crash times fall inside the 18 s run.
  it('the classes the oracle relies on all occur, and crashes do strike', async () => {
    // Guards the test itself: an input without late or too-late records, or crash plans that never
    // fire, would make the properties above vacuous.
    const input = events(7);
    const kinds = new Set(input.map((r) => r.value.kind));
    expect([...kinds].sort()).toEqual(['late', 'onTime', 'tooLate']);
    const got = await run(sliding(input), 1_000, { atProcessingTimes: [4_321, 9_876, 15_000] });
    expect(got.attempts).toBe(4);
    const expected = expectedWindows(input, { size: 1_000, slide: 250 });
    expect([...expected.values()].some((e) => e.late > 0 && e.onTime === 0)).toBe(true);
    checkPanes(got.windows, expected);
  });
});
