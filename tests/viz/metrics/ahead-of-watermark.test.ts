import { describe, expect, it } from 'vitest';
import { runToDeltas } from '../../../src/app/lab/trace-to-deltas.ts';
import { RunModel } from '../../../src/viz/run-model.ts';
import { AheadOfWatermark } from '../../../src/viz/metrics/ahead-of-watermark.ts';
import { aheadOfWatermarkSeries } from '../../../src/viz/metrics/metrics-series.ts';
import { exampleBuild, exampleInput } from '../time-domain/example-model.ts';

describe('read ahead of the watermark, extended as the model grows', () => {
  for (const name of ['sessions', 'late-data', 'word-count'] as const) {
    it(`gives the same series as a walk from the start after every delta (${name})`, () => {
      const model = new RunModel();
      const ahead = new AheadOfWatermark();
      const deltas = runToDeltas(exampleBuild(name), exampleInput(name));
      let points = 0;
      for (const d of deltas) {
        model.apply(d);
        const series = ahead.update(model);
        expect(series).toEqual(aheadOfWatermarkSeries(model));
        points = series.reduce((n, s) => n + s.points.length, 0);
      }
      expect(points).toBeGreaterThan(0);
    });
  }

  it('takes a long catch-up in parts of one record, ending with the series a walk from the start gives', () => {
    let parts = 0;
    for (const name of ['sessions', 'late-data', 'word-count'] as const) {
      const model = new RunModel();
      const ahead = new AheadOfWatermark();
      const deltas = runToDeltas(exampleBuild(name), exampleInput(name));
      for (const [i, d] of deltas.entries()) {
        model.apply(d);
        // Every fifth delta drawn: the others pile up, as between a live panel's draws.
        if (i % 5 !== 4 && i < deltas.length - 1) continue;
        let series = ahead.update(model, 1);
        while (!ahead.complete) {
          // A part's series never end past the run so far.
          for (const s of series) expect(s.points.every((p) => p.t <= model.endT)).toBe(true);
          series = ahead.update(model, 1);
          parts++;
        }
        expect(series).toEqual(aheadOfWatermarkSeries(model));
      }
    }
    expect(parts).toBeGreaterThan(10);
  });
});
