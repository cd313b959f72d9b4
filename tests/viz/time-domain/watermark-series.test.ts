import { describe, expect, it } from 'vitest';
import { traceToDeltas } from '../../../src/app/lab/trace-to-deltas.ts';
import { RunModel } from '../../../src/viz/run-model.ts';
import { defaultSeries, watermarkAt, watermarkSeries } from '../../../src/viz/time-domain/watermark-series.ts';
import { exampleModel } from './example-model.ts';

describe('watermark series', () => {
  it('lists the source first, then operators and sinks in job order, and picks the window operator', () => {
    const model = exampleModel('late-data');
    const series = watermarkSeries(model);
    expect(series.map((s) => [s.id, s.kind, s.parallelism])).toEqual([
      ['views', 'source', 1],
      ['count TumblingWindows(1 min)', 'operator', 1],
      ['view-counts', 'sink', 1],
      ['late-views', 'sink', 1],
    ]);
    expect(defaultSeries(model, series)?.id).toBe('count TumblingWindows(1 min)');
    expect(series[1]!.points).toEqual([
      { t: 0, watermark: 0 },
      { t: 60_000, watermark: 60_000 },
      { t: 90_000, watermark: 100_000 },
      { t: 120_000, watermark: Number.POSITIVE_INFINITY },
    ]);
  });

  it('takes the minimum over subtasks, and starts again from nothing in a restored attempt', () => {
    const model = new RunModel();
    for (const d of traceToDeltas([
      { type: 'watermarkAdvanced', pt: 100, operator: 'w', subtask: 0, watermark: 50 },
      { type: 'watermarkAdvanced', pt: 200, operator: 'w', subtask: 1, watermark: 80 },
      { type: 'watermarkAdvanced', pt: 300, operator: 'w', subtask: 0, watermark: 120 },
      { type: 'watermarkAdvanced', pt: 400, operator: 'w', subtask: 1, watermark: 150 },
    ])) model.apply(d);
    model.markCrash('crash now', 400);
    model.beginAttempt(2, 300, 1, 100);
    for (const d of traceToDeltas([{ type: 'watermarkAdvanced', pt: 350, operator: 'w', subtask: 0, watermark: 120 }])) model.apply({ ...d, attempt: 2 });
    const [w] = watermarkSeries(model);
    // Subtask 1 has no watermark until t = 200, so the minimum is −∞ at t = 100.
    expect(w!.points).toEqual([
      { t: 100, watermark: Number.NEGATIVE_INFINITY },
      { t: 200, watermark: 50 },
      { t: 300, watermark: 80 },
      { t: 400, watermark: 120 },
      { t: 550, watermark: Number.NEGATIVE_INFINITY },
    ]);
    expect(watermarkAt(model, w!.points, 450)).toBe(120);
    expect(watermarkAt(model, w!.points, 520)).toBe(Number.NEGATIVE_INFINITY);
  });
});
