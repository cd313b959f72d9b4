import { describe, expect, it } from 'vitest';
import { runToDeltas } from '../../../src/app/lab/trace-to-deltas.ts';
import { RunModel } from '../../../src/viz/run-model.ts';
import { PaneStacksBuilder, paneStacks, RecordKindsBuilder, recordKinds } from '../../../src/viz/time-domain/marks.ts';
import { defaultSeries, watermarkSeries, WatermarkSeriesCache } from '../../../src/viz/time-domain/watermark-series.ts';
import { WindowLayoutBuilder, windowLayout } from '../../../src/viz/time-domain/window-bands.ts';
import { exampleBuild, exampleInput } from './example-model.ts';

const examples = ['sessions', 'late-data', 'word-count'] as const;

describe('time-domain derivations extended as the model grows', () => {
  for (const name of examples) {
    it(`lay out the same windows, judge the same record kinds, stack panes in the same slots and fold the same watermark series as from scratch after every delta (${name})`, () => {
      const model = new RunModel();
      const layouts = new WindowLayoutBuilder();
      const kinds = new RecordKindsBuilder();
      const stacks = new PaneStacksBuilder();
      const watermarks = new WatermarkSeriesCache();
      const deltas = runToDeltas(exampleBuild(name), exampleInput(name));
      expect(deltas.length).toBeGreaterThan(3);
      // A reader of the kinds' journal: the kinds it last saw, and where it stopped.
      let seen: number[] = [];
      let read = { epoch: kinds.journal.epoch, position: kinds.journal.position };
      for (const d of deltas) {
        model.apply(d);
        const late = model.panes.length > 0 ? defaultSeries(model, watermarkSeries(model)) : undefined;
        expect(layouts.update(model)).toEqual(windowLayout(model));
        const judged = [...kinds.update(model, late?.id, late?.points)];
        expect(judged).toEqual([...recordKinds(model, late?.points)]);
        const listed = kinds.journal.since(read.epoch, read.position);
        // It lists every record whose kind changed, or says it cannot (the kinds started over).
        if (listed) {
          for (let i = 0; i < seen.length; i++) if (seen[i] !== judged[i]) expect(listed).toContain(i);
        } else expect(kinds.journal.epoch).not.toBe(read.epoch);
        seen = judged;
        read = { epoch: kinds.journal.epoch, position: kinds.journal.position };
        expect([...kinds.totals]).toEqual([0, 1, 2, 3].map((k) => judged.filter((j) => j === k).length));
        expect([...stacks.update(model)]).toEqual(paneStacks(model.panes));
        const series = watermarkSeries(model);
        expect(watermarks.update(model)).toEqual({ series, lateness: defaultSeries(model, series) });
      }
    });
  }

  it('starts over for another model', () => {
    const layouts = new WindowLayoutBuilder();
    const kinds = new RecordKindsBuilder();
    for (const name of examples) {
      const model = new RunModel();
      for (const d of runToDeltas(exampleBuild(name), exampleInput(name))) model.apply(d);
      const late = defaultSeries(model, watermarkSeries(model));
      expect(layouts.update(model)).toEqual(windowLayout(model));
      expect([...kinds.update(model, late?.id, late?.points)]).toEqual([...recordKinds(model, late?.points)]);
    }
  });
});
