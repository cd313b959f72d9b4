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
});
