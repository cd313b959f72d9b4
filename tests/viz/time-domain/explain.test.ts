import { describe, expect, it } from 'vitest';
import { describePane, describeRecord, explainLate, lateEntryOf, panesOfRecord } from '../../../src/viz/time-domain/explain.ts';
import { RecordKind, recordKinds } from '../../../src/viz/time-domain/marks.ts';
import { defaultSeries, watermarkSeries } from '../../../src/viz/time-domain/watermark-series.ts';
import { exampleModel } from './example-model.ts';

function described(name: 'sessions' | 'late-data', index: number) {
  const model = exampleModel(name);
  const lateness = defaultSeries(model, watermarkSeries(model))!.points;
  const kinds = recordKinds(model, lateness);
  return describeRecord(model, index, kinds[index] as RecordKind, lateness);
}

describe('record explanations', () => {
  it('says in numbers why late-data sends a view to the side output', () => {
    expect(explainLate(exampleModel('late-data'), 5)).toBe(
      'Late, sent to side output "late" (key /pricing): arrived at 1:30; watermark was 1:40; its window 0:00–1:00 expired at 1:00 + 30 s allowed lateness.',
    );
  });

  it('says in numbers why sessions drops bob\'s late score', () => {
    expect(explainLate(exampleModel('sessions'), 4)).toBe(
      'Dropped (key bob): arrived at 3:00; watermark was 20:00; its window 2:00–7:00 expired at 7:00 + 10 min allowed lateness.',
    );
  });

  it('explains a late record that still counted, and an on-time one', () => {
    expect(described('late-data', 4).why).toBe(
      'Late but counted: arrived at 1:00; watermark was 1:00, past its event time 0:50; its window 0:00–1:00 stays open until 1:00 + 30 s allowed lateness, so it fired a LATE pane.',
    );
    // alice's score at 3:00 arrives at 1:00, just before the watermark jumps to 4:00.
    expect(described('sessions', 2).why).toBe('On time: arrived at 1:00; watermark was 0:00, before its event time 3:00.');
  });

  it('pairs a dropped record with its trace entry, and an on-time one with none', () => {
    const model = exampleModel('sessions');
    expect(lateEntryOf(model, 4)).toMatchObject({ kind: 'windowExpired', key: 'bob', eventTime: 120_000, watermark: 1_200_000, t: 180_000 });
    expect(lateEntryOf(model, 3)).toBeUndefined();
  });

  it('lists the panes a record went into: windows holding its event time, fired at or after it arrived', () => {
    const model = exampleModel('late-data');
    expect(panesOfRecord(model, 0).map(describePane)).toEqual([
      '/home 0:00–1:00 = 2 · ON_TIME #0 at 1:00',
      '/pricing 0:00–1:00 = 1 · ON_TIME #0 at 1:00',
      '/home 0:00–1:00 = 3 · LATE #1 at 1:00',
    ]);
    expect(panesOfRecord(model, 3).map(describePane)).toEqual(['/home 1:00–2:00 = 1 · ON_TIME #0 at 2:00']);
    expect(panesOfRecord(model, 5)).toEqual([]);
  });

  it('writes the whole tooltip as one text for screen readers', () => {
    expect(described('late-data', 5).text).toBe(
      'Record at 0:40, late → side output (views#0 offset 5). Late, sent to side output "late" (key /pricing): arrived at 1:30; watermark was 1:40; its window 0:00–1:00 expired at 1:00 + 30 s allowed lateness.',
    );
    expect(described('sessions', 3).text).toBe(
      'Record at 2:00, late, counted (scores#0 offset 3). Late but counted: arrived at 2:00; watermark was 10:00, past its event time 2:00; its window 0:30–8:00 stays open until 8:00 + 10 min allowed lateness, so it fired a LATE pane. ' +
        'Panes: bob 1:00–6:00 = 3 · ON_TIME #1 at 2:00; alice 0:30–8:00 = 7 · ON_TIME #1 at 2:00; alice 0:30–8:00 = 11 · LATE #2 at 2:00.',
    );
  });
});
