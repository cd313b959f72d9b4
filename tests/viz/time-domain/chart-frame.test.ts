import { describe, expect, it } from 'vitest';
import { runToDeltas } from '../../../src/app/lab/trace-to-deltas.ts';
import { RunModel } from '../../../src/viz/run-model.ts';
import { EventTimeExtent, heldDomain } from '../../../src/viz/time-domain/chart-frame.ts';
import { exampleBuild, exampleInput } from './example-model.ts';

/** The event-time domain walked from scratch: every record, every finite window, padded. */
function walked(model: RunModel): [number, number] {
  const values: number[] = [];
  for (let i = 0; i < model.records.length; i++) values.push(model.records.get(i, 'eventTime'));
  for (const p of model.panes) values.push(p.window.start, p.window.end);
  for (const e of model.lateAndDropped) values.push(e.eventTime);
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return [0, 60_000];
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  if (lo === hi) return [lo - 30_000, hi + 30_000];
  return [lo - (hi - lo) * 0.04, hi + (hi - lo) * 0.04];
}

describe('chart frame domains', () => {
  for (const name of ['sessions', 'late-data'] as const) {
    it(`EventTimeExtent gives the same domain as a walk from scratch after every delta (${name})`, () => {
      const model = new RunModel();
      const extent = new EventTimeExtent();
      const deltas = runToDeltas(exampleBuild(name), exampleInput(name));
      expect(deltas.length).toBeGreaterThan(3);
      for (const d of deltas) {
        model.apply(d);
        expect(extent.domain(model)).toEqual(walked(model));
      }
    });
  }

  it('heldDomain keeps a domain that still holds the run, and grows the outgrown side by half the span', () => {
    expect(heldDomain(undefined, [0, 100])).toEqual([0, 100]);
    expect(heldDomain([0, 150], [0, 120])).toEqual([0, 150]);
    expect(heldDomain([0, 100], [0, 120])).toEqual([0, 180]);
    expect(heldDomain([10, 100], [0, 80])).toEqual([-40, 100]);
  });
});
