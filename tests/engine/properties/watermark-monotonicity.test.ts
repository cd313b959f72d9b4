// Watermarks never go back (Flink: a watermark is a promise that only grows). For random inputs,
// partitionings, parallelism and idleness, every subtask's forwarded watermark and every input
// channel's watermark strictly increase, and every subtask ends at +inf.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { boundedOutOfOrderness, tumblingWindows } from '../../../src/engine/api/index.ts';
import { runWithTrace, strictlyIncreasing, watermarksByChannel, watermarksBySubtask } from '../harness.ts';
import { arrivingRecords } from './arbitraries.ts';

describe('watermark monotonicity', () => {
  it('holds per subtask and per channel, with idleness and any parallelism', () => {
    fc.assert(
      fc.property(
        arrivingRecords(50),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 800 }),
        fc.option(fc.integer({ min: 50, max: 1000 }), { nil: undefined }),
        (records, partitions, sourceParallelism, parallelism, bound, idleness) => {
          const r = runWithTrace((p) => {
            p.setParallelism(parallelism);
            const wm = boundedOutOfOrderness(bound);
            p.fromRecords(records, { partitions, parallelism: sourceParallelism, watermarks: idleness === undefined ? wm : wm.withIdleness(idleness) })
              .keyBy((x) => x.key)
              .window(tumblingWindows(700), { name: 'w' })
              .count()
              .map((n) => n, { name: 'm', parallelism: 1 })
              .sink('out');
          });
          for (const [id, wms] of watermarksBySubtask(r.trace)) {
            expect(strictlyIncreasing(wms), id).toBe(true);
            expect(wms[wms.length - 1], id).toBe(Number.POSITIVE_INFINITY);
          }
          for (const [id, wms] of watermarksByChannel(r.trace)) expect(strictlyIncreasing(wms), id).toBe(true);
          // Per source partition too.
          const bySource = new Map<string, number[]>();
          for (const e of r.eventsOf('sourceWatermark')) bySource.set(`${e.source}/${e.partition}`, [...(bySource.get(`${e.source}/${e.partition}`) ?? []), e.watermark]);
          for (const [id, wms] of bySource) expect(strictlyIncreasing(wms), id).toBe(true);
          // Every subtask of every operator saw the end.
          expect(r.metrics.every((m) => m.watermark === Number.POSITIVE_INFINITY)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});
