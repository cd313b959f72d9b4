import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { traceToDeltas } from '../../src/app/lab/trace-to-deltas.ts';
import type { TraceEvent } from '../../src/engine/trace/trace-event.ts';
import { toJson } from '../../src/engine/trace/json.ts';
import { EventTimeIndex } from '../../src/viz/event-time-index.ts';
import { GrowableColumns } from '../../src/viz/growable-columns.ts';
import { decodeEvents } from '../../src/viz/delta-events.ts';
import { RECORD_FIELDS, RecordStatus, RunModel } from '../../src/viz/run-model.ts';

// RunModel.apply's cheap paths (dots written straight into the columns, typed arrays indexing
// them by event time, infinite times put back by one walk) against the plain versions they
// replaced: a Map of arrays, an array per row, JSON.parse with a reviver.

const awkwardTimes = [0, -0, 1, 2, 2.5, -7, 1e15, 2 ** 40 + 3, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 4294967296, 4294967297];

describe('EventTimeIndex', () => {
  it('pops the indexes added with an event time newest first, each once, as a Map of stacks does', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), key: fc.constantFrom(...awkwardTimes, 3, 4, 5, 6) }),
      fc.record({ kind: fc.constant('pop' as const), key: fc.constantFrom(...awkwardTimes, 3, 4, 5, 6) }),
      fc.record({ kind: fc.constant('clear' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const index = new EventTimeIndex();
        const reference = new Map<number, number[]>();
        let next = 0;
        for (const o of ops) {
          if (o.kind === 'add') {
            index.add(o.key, next);
            const list = reference.get(o.key);
            if (list) list.push(next);
            else reference.set(o.key, [next]);
            next++;
          } else if (o.kind === 'pop') expect(index.pop(o.key)).toBe(reference.get(o.key)?.pop());
          else {
            index.clear();
            reference.clear();
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('keeps every key apart past many rehashes (20,000 distinct event times)', () => {
    const index = new EventTimeIndex();
    for (let i = 0; i < 20_000; i++) index.add(i * 37, i);
    for (let i = 0; i < 20_000; i++) index.add(i * 37, 20_000 + i);
    expect(index.pop(37 * 12_345)).toBe(32_345);
    expect(index.pop(37 * 12_345)).toBe(12_345);
    expect(index.pop(37 * 12_345)).toBeUndefined();
    expect(index.pop(36)).toBeUndefined();
  });
});

describe('GrowableColumns.appendRows', () => {
  it('appends rows to fill through raw(), across growth, next to pushed ones', () => {
    const cols = new GrowableColumns(['a', 'b'] as const);
    cols.push([1, 2]);
    const first = cols.appendRows(3000);
    expect(first).toBe(1);
    const raw = cols.raw();
    for (let r = first; r < first + 3000; r++) {
      raw[r * 2] = r;
      raw[r * 2 + 1] = -r;
    }
    cols.push([9, 9]);
    expect(cols.length).toBe(3002);
    expect([cols.get(0, 'a'), cols.get(0, 'b'), cols.get(2999, 'a'), cols.get(3000, 'b'), cols.get(3001, 'a')]).toEqual([1, 2, 2999, -3000, 9]);
  });
});

/** What the model held per record before: an array per row, a Map of index stacks by event time for the current attempt. */
function referenceRecords(steps: readonly Step[]): { rows: number[][]; marked: number[] } {
  const rows: number[][] = [];
  const marked: number[] = [];
  let byEventTime = new Map<number, number[]>();
  let attempt = 1;
  let offset = 0;
  let endT = 0;
  let started = false;
  for (const s of steps) {
    if (s.kind === 'restart') {
      attempt++;
      const startT = endT + s.gap;
      offset = startT - s.startPt;
      endT = Math.max(endT, startT);
      byEventTime = new Map();
      continue;
    }
    started = true;
    for (const [eventTime, pt] of s.records) {
      rows.push([eventTime, pt + offset, pt, 0, 0, rows.length, attempt, RecordStatus.OnTime]);
      const list = byEventTime.get(eventTime);
      if (list) list.push(rows.length - 1);
      else byEventTime.set(eventTime, [rows.length - 1]);
      endT = Math.max(endT, pt + offset);
    }
    for (const m of s.marks) {
      const index = byEventTime.get(m.eventTime)?.pop();
      if (index !== undefined) {
        rows[index]![7] = m.late ? RecordStatus.Late : RecordStatus.Dropped;
        marked.push(index);
      }
    }
  }
  void started;
  return { rows, marked };
}

type Step =
  | { kind: 'delta'; records: [number, number][]; marks: { eventTime: number; late: boolean }[] }
  | { kind: 'restart'; startPt: number; gap: number };

function eventsOf(step: Extract<Step, { kind: 'delta' }>, offsetBase: number): TraceEvent[] {
  const pt = Math.max(0, ...step.records.map(([, p]) => p));
  return [
    ...step.records.map(([eventTime, p], i): TraceEvent => ({ type: 'recordArrived', pt: p, source: 's', partition: 0, offset: offsetBase + i, eventTime, arrival: p })),
    ...step.marks.map((m): TraceEvent =>
      m.late
        ? { type: 'recordLate', pt, operator: 'w', subtask: 0, key: 'k', eventTime: m.eventTime, watermark: 9, sideOutput: 'late' }
        : { type: 'recordDropped', pt, operator: 'w', subtask: 0, key: 'k', eventTime: m.eventTime, watermark: 9, reason: 'windowExpired', windows: [] },
    ),
  ];
}

describe('RunModel.apply of record dots', () => {
  it('holds the same rows and marks the same records as a Map of index stacks per attempt, over random runs with restarts', () => {
    const time = fc.constantFrom(...awkwardTimes.filter((t) => Number.isFinite(t)), 10, 11, 12);
    const step: fc.Arbitrary<Step> = fc.oneof(
      { weight: 5, arbitrary: fc.record({ kind: fc.constant('delta' as const), records: fc.array(fc.tuple(time, fc.integer({ min: 0, max: 500 })), { maxLength: 60 }), marks: fc.array(fc.record({ eventTime: time, late: fc.boolean() }), { maxLength: 8 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const), startPt: fc.integer({ min: 0, max: 300 }), gap: fc.integer({ min: 0, max: 50 }) }) },
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
        const model = new RunModel();
        model.beginAttempt(1, 0, null);
        let attempt = 1;
        let offsetBase = 0;
        for (const s of steps) {
          if (s.kind === 'restart') {
            model.beginAttempt(++attempt, s.startPt, null, s.gap);
            continue;
          }
          const records = [...s.records].sort((a, b) => a[1] - b[1]);
          for (const d of traceToDeltas(eventsOf({ ...s, records }, offsetBase), attempt, false)) model.apply(d);
          offsetBase += records.length;
          s.records = records;
        }
        const { rows, marked } = referenceRecords(steps);
        const actual = Array.from({ length: model.records.length }, (_, i) => RECORD_FIELDS.map((f) => model.records.get(i, f)));
        expect(actual).toEqual(rows);
        expect(model.markedRecords).toEqual(marked);
      }),
      { numRuns: 150 },
    );
  });

  it('appends a ten-thousand-dot delta as rows in arrival order, t shifted by the attempt', () => {
    const model = new RunModel();
    model.beginAttempt(1, 0, null);
    model.apply({ seq: 0, attempt: 1, pt: 10, finished: false, records: Float64Array.from([5, 10, 0, 1, 7]), sources: ['s'], recordsSkipped: 0, events: new Uint8Array(0), eventsCoalesced: 0 });
    model.markCrash('boom', 10);
    model.beginAttempt(2, 4, 1, 100);
    const records = new Float64Array(10_000 * 5);
    for (let i = 0; i < 10_000; i++) records.set([i % 97, 4 + i, 1, i % 4, i], i * 5);
    model.apply({ seq: 1, attempt: 2, pt: 10_004, finished: false, records, sources: ['s', 'u'], recordsSkipped: 0, events: new Uint8Array(0), eventsCoalesced: 0 });
    expect(model.records.length).toBe(10_001);
    expect(RECORD_FIELDS.map((f) => model.records.get(0, f))).toEqual([5, 10, 10, 0, 1, 7, 1, RecordStatus.OnTime]);
    // Attempt 2 starts at t = 110 with its clock at 4: t = pt + 106.
    expect(RECORD_FIELDS.map((f) => model.records.get(1, f))).toEqual([0, 110, 4, 1, 0, 0, 2, RecordStatus.OnTime]);
    expect(RECORD_FIELDS.map((f) => model.records.get(10_000, f))).toEqual([9_999 % 97, 10_109, 10_003, 1, 3, 9_999, 2, RecordStatus.OnTime]);
    expect(model.endT).toBe(10_110);
  });
});

/** What the walk replaced: JSON.parse with a reviver for the same field names. */
const INFINITE_FIELDS = new Set(['watermark', 'start', 'end', 'time', 'eventTime', 'timestamp', 'groupMin']);
function withReviver(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) => (INFINITE_FIELDS.has(key) && value === '+inf' ? Number.POSITIVE_INFINITY : INFINITE_FIELDS.has(key) && value === '-inf' ? Number.NEGATIVE_INFINITY : value));
}

describe('decodeEvents with infinite times', () => {
  it('decodes as JSON.parse with a reviver of the infinite time fields would, at any depth', () => {
    const leaf = fc.oneof(fc.constantFrom('+inf', '-inf', 'inf', '+inf ', 'x'), fc.integer(), fc.constant(null), fc.boolean());
    const name = fc.constantFrom('watermark', 'start', 'end', 'time', 'eventTime', 'timestamp', 'groupMin', 'value', 'key', 'label', '0');
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(name, tie('node'), { maxKeys: 4 })),
    })).node;
    fc.assert(
      fc.property(fc.array(fc.dictionary(name, tree, { maxKeys: 5 }), { maxLength: 6 }), (events) => {
        const text = JSON.stringify([{ watermark: '+inf' }, ...events]);
        expect(decodeEvents(new TextEncoder().encode(text))).toEqual(withReviver(text));
      }),
    );
  });

  it('turns a pane fired at the end of input back into its infinite watermark, leaving its value alone', () => {
    const events: TraceEvent[] = [
      { type: 'watermarkAdvanced', pt: 5, operator: 'w', subtask: 0, watermark: Number.POSITIVE_INFINITY },
      { type: 'sinkRecord', pt: 5, sink: 'out', subtask: 0, value: { label: '+inf', end: '-inf' }, timestamp: 4999 },
    ];
    expect(decodeEvents(new TextEncoder().encode(toJson(events)))).toEqual([
      { type: 'watermarkAdvanced', pt: 5, operator: 'w', subtask: 0, watermark: Number.POSITIVE_INFINITY },
      { type: 'sinkRecord', pt: 5, sink: 'out', subtask: 0, value: { label: '+inf', end: Number.NEGATIVE_INFINITY }, timestamp: 4999 },
    ]);
  });
});
