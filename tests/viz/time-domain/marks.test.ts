import { describe, expect, it } from 'vitest';
import { traceToDeltas } from '../../../src/app/lab/trace-to-deltas.ts';
import { RunModel, type PaneFiring } from '../../../src/viz/run-model.ts';
import { paneStacks, RecordKind, recordKinds, timeDomainMarks, visibleRecordCount } from '../../../src/viz/time-domain/marks.ts';
import { defaultSeries, watermarkSeries } from '../../../src/viz/time-domain/watermark-series.ts';
import { exampleModel } from './example-model.ts';

function marksOf(name: 'sessions' | 'late-data', playheadT: number) {
  const model = exampleModel(name);
  const lateness = defaultSeries(model, watermarkSeries(model))!;
  const kinds = recordKinds(model, lateness.points);
  return { model, kinds, marks: timeDomainMarks(model, playheadT, kinds, lateness.points) };
}

describe('time-domain marks', () => {
  it('sessions: at the end, 2 EARLY, 2 ON_TIME and 1 LATE pane, and records on time, late but counted, and dropped', () => {
    const { model, kinds, marks } = marksOf('sessions', 180_000);
    expect(marks.paneCount).toBe(5);
    expect(marks.panesByTiming).toEqual({ EARLY: 2, ON_TIME: 2, LATE: 1 });
    expect(marks.recordCount).toBe(5);
    expect(marks.recordsByKind).toEqual({ [RecordKind.OnTime]: 3, [RecordKind.LateCounted]: 1, [RecordKind.SideOutput]: 0, [RecordKind.Dropped]: 1 });
    // alice's score at 2:00 arrives at 2:00 behind the watermark (10:00) and still counts; bob's at 2:00 arrives at 3:00 and is dropped.
    const rows = Array.from({ length: model.records.length }, (_, i) => [model.records.get(i, 'eventTime'), model.records.get(i, 't'), kinds[i]]);
    expect(rows).toEqual([
      [30_000, 0, RecordKind.OnTime],
      [60_000, 0, RecordKind.OnTime],
      [180_000, 60_000, RecordKind.OnTime],
      [120_000, 120_000, RecordKind.LateCounted],
      [120_000, 180_000, RecordKind.Dropped],
    ]);
  });

  it('sessions: scrubbing shows only what had happened by the playhead', () => {
    expect(marksOf('sessions', 59_999).marks).toMatchObject({ recordCount: 2, paneCount: 0 });
    expect(marksOf('sessions', 60_000).marks).toMatchObject({ recordCount: 3, paneCount: 0 });
    expect(marksOf('sessions', 60_001).marks).toMatchObject({ recordCount: 3, paneCount: 2, panesByTiming: { EARLY: 2, ON_TIME: 0, LATE: 0 } });
    expect(marksOf('sessions', 120_000).marks).toMatchObject({ recordCount: 4, paneCount: 5, panesByTiming: { EARLY: 2, ON_TIME: 2, LATE: 1 } });
    expect(marksOf('sessions', 120_000).marks.watermark).toEqual([
      { t: 0, watermark: 0 },
      { t: 60_000, watermark: 240_000 },
      { t: 120_000, watermark: 600_000 },
    ]);
  });

  it('scrubbing back gives exactly the marks of the earlier playhead', () => {
    const { model, kinds } = marksOf('late-data', 0);
    const points = defaultSeries(model, watermarkSeries(model))!.points;
    const before = timeDomainMarks(model, 75_000, kinds, points);
    timeDomainMarks(model, 120_000, kinds, points);
    expect(timeDomainMarks(model, 75_000, kinds, points)).toEqual(before);
    expect(before).toMatchObject({ recordCount: 5, paneCount: 3, panesByTiming: { EARLY: 0, ON_TIME: 2, LATE: 1 } });
  });

  it('late-data: one view late but counted in a LATE pane, one sent to the side output', () => {
    const { marks } = marksOf('late-data', 120_000);
    expect(marks.recordsByKind).toEqual({ [RecordKind.OnTime]: 4, [RecordKind.LateCounted]: 1, [RecordKind.SideOutput]: 1, [RecordKind.Dropped]: 0 });
    expect(marks.panesByTiming).toEqual({ EARLY: 0, ON_TIME: 3, LATE: 1 });
  });

  it('stacks panes fired at the same time over overlapping windows', () => {
    expect(paneStacks(exampleModel('sessions').panes)).toEqual([0, 1, 0, 1, 2]);
    expect(paneStacks(exampleModel('word-count').panes)).toEqual([0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4]);
  });

  it('stacks a thousand keys firing into the same window one above the other, and overlaps as before', () => {
    const pane = (t: number, start: number, end: number) => ({ t, window: { start, end } }) as unknown as PaneFiring;
    const thousand = Array.from({ length: 1000 }, (_, i) => pane(5000, i % 2 ? 5000 : 0, i % 2 ? 10000 : 5000));
    const stacks = paneStacks(thousand);
    expect(stacks.slice(0, 6)).toEqual([0, 0, 1, 1, 2, 2]);
    expect(stacks.at(-1)).toBe(499);
    // A window partly over an earlier one takes the least slot free of every window it overlaps.
    expect(paneStacks([pane(1, 0, 10), pane(1, 0, 10), pane(1, 20, 30), pane(1, 5, 25), pane(2, 5, 25)])).toEqual([0, 1, 0, 2, 0]);
  });

  it('shows a crash once the playhead reaches it, and the restored attempt after it', () => {
    const model = new RunModel();
    for (const d of traceToDeltas([
      { type: 'recordArrived', pt: 100, source: 's', partition: 0, offset: 0, eventTime: 5, arrival: 100 },
      { type: 'recordArrived', pt: 900, source: 's', partition: 0, offset: 1, eventTime: 6, arrival: 900 },
    ])) model.apply(d);
    model.markCrash('crash now', 900);
    model.beginAttempt(2, 500, 1, 1000);
    for (const d of traceToDeltas([
      { type: 'jobRestored', pt: 500, attempt: 2, checkpointId: 1 },
      { type: 'recordArrived', pt: 600, source: 's', partition: 0, offset: 1, eventTime: 6, arrival: 600 },
    ])) model.apply({ ...d, attempt: 2 });
    const kinds = recordKinds(model, undefined);
    expect(timeDomainMarks(model, 899, kinds)).toMatchObject({ recordCount: 1, crashes: [], restores: [] });
    expect(timeDomainMarks(model, 1000, kinds)).toMatchObject({ recordCount: 2, crashes: [{ t: 900, attempt: 1, reason: 'crash now' }], restores: [] });
    expect(timeDomainMarks(model, 2000, kinds)).toMatchObject({ recordCount: 3, restores: [{ t: 1900, attempt: 2, checkpointId: 1 }] });
    expect(visibleRecordCount(model, 1999)).toBe(2);
  });

  it('counts the shown records by kind the same from every record\'s totals as record by record, at every playhead', () => {
    const model = exampleModel('sessions');
    const lateness = defaultSeries(model, watermarkSeries(model))!;
    const kinds = recordKinds(model, lateness.points);
    const totals = new Uint32Array(4);
    for (const k of kinds) totals[k]!++;
    for (let i = 0; i < model.records.length; i++) {
      for (const t of [model.records.get(i, 't') - 1, model.records.get(i, 't'), model.endT]) {
        expect(timeDomainMarks(model, t, kinds, lateness.points, totals)).toEqual(timeDomainMarks(model, t, kinds, lateness.points));
      }
    }
  });
});
