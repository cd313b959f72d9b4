import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { traceToDeltas } from '../../../src/app/lab/trace-to-deltas.ts';
import { RunModel, type WatermarkPoint } from '../../../src/viz/run-model.ts';
import { defaultSeries, MinimumFold, watermarkAt, watermarkSeries } from '../../../src/viz/time-domain/watermark-series.ts';
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

  it('folds the same minimum as from scratch after any growth of the lists, in chunks of any size, times repeated or going back', () => {
    // A point of subtask `sub` at time t (mostly after the one before, sometimes at it or earlier).
    const pointArb = fc.record({ sub: fc.integer({ min: 0, max: 2 }), dt: fc.integer({ min: -3, max: 6 }).map((d) => Math.max(d, d < -1 ? d : 0)), watermark: fc.integer({ min: 0, max: 40 }) });
    fc.assert(
      fc.property(fc.array(pointArb, { maxLength: 50 }), fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 2 }), (points, chunks, restarts) => {
        // Attempts start at these times (a restart resets every subtask's watermark).
        const attempts = [0, ...[...restarts].sort((a, b) => a - b)].map((startT) => ({ startT }));
        const model = { attempts, watermarks: new Map(), sources: [], operators: [] } as unknown as RunModel;
        const lists: WatermarkPoint[][] = [[], [], []];
        const fold = new MinimumFold();
        let t = 0;
        let at = 0;
        for (let k = 0; at < points.length; k++) {
          const until = Math.min(points.length, at + chunks[k % chunks.length]!);
          for (; at < until; at++) {
            const p = points[at]!;
            t = Math.max(0, t + p.dt);
            lists[p.sub]!.push({ t, watermark: p.watermark });
          }
          model.watermarks.clear();
          lists.forEach((l, sub) => model.watermarks.set(`w#${sub}`, l));
          expect(fold.update(model, lists)).toEqual(watermarkSeries(model)[0]!.points);
        }
      }),
      { numRuns: 500 },
    );
  });
});
