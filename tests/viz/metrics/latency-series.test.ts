import { describe, expect, it } from 'vitest';
import { runToDeltas } from '../../../src/app/lab/trace-to-deltas.ts';
import { RunModel } from '../../../src/viz/run-model.ts';
import { LatencySeries, latencySeries } from '../../../src/viz/metrics/metrics-series.ts';
import { plainModel } from '../checkpoints/meter-run.ts';
import { exampleBuild, exampleInput } from '../time-domain/example-model.ts';

describe('end-to-end latency, extended as the model grows', () => {
  for (const name of ['sessions', 'late-data', 'word-count'] as const) {
    it(`gives the same series as a walk from the start after every delta (${name})`, () => {
      const model = new RunModel();
      const latency = new LatencySeries();
      let points = 0;
      for (const d of runToDeltas(exampleBuild(name), exampleInput(name))) {
        model.apply(d);
        const series = latency.update(model);
        expect(series).toEqual(latencySeries(model));
        points = series.reduce((n, s) => n + s.points.length, 0);
      }
      expect(points).toBeGreaterThan(0);
    });
  }

  it('starts over for another model', () => {
    const latency = new LatencySeries();
    const model = plainModel();
    latency.update(exampleModelOf('sessions'));
    expect(latency.update(model)).toEqual(latencySeries(model));
  });
});

function exampleModelOf(name: 'sessions'): RunModel {
  const model = new RunModel();
  for (const d of runToDeltas(exampleBuild(name), exampleInput(name))) model.apply(d);
  return model;
}
