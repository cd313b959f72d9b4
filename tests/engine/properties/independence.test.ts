// What output must not depend on: how a TestStream batches its elements (triggers run after every
// element, docs/semantics.md), how many partitions or source subtasks read the input when nothing
// can be late, and how many subtasks run a keyed window fed from one partition.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  afterCount,
  afterWatermark,
  monotonousTimestamps,
  noWatermarks,
  runPipeline,
  slidingWindows,
  tumblingWindows,
  type SinkRecord,
} from '../../../src/engine/api/index.ts';
import { toJson } from '../../../src/engine/trace/json.ts';
import { arrivingRecords, scripts, toTestStream, type Step } from './arbitraries.ts';

const describeRecord = (r: SinkRecord) => toJson([r.key, r.window, r.value, r.timestamp, r.pane]);

describe('output independence', () => {
  it('does not depend on how elements are batched into TestStream steps', () => {
    fc.assert(
      fc.property(scripts(), (steps) => {
        const split: Step[] = steps.flatMap((s): Step[] => ('add' in s ? s.add.map((r) => ({ add: [r] })) : [s]));
        const run = (st: Step[]) =>
          runPipeline((p) => {
            p.testStream(toTestStream(st))
              .keyBy((r) => r.key)
              .window(tumblingWindows(1000))
              .trigger(afterWatermark().withEarlyFirings(afterCount(2)).withLateFirings(afterCount(1)))
              .allowedLateness(1000)
              .sum((r) => r.id)
              .sink('out');
          }).records;
        expect(toJson(run(split))).toBe(toJson(run(steps)));
      }),
      { numRuns: 100 },
    );
  });

  it('does not depend on the number of partitions or source subtasks when nothing can be late', () => {
    fc.assert(
      fc.property(arrivingRecords(), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), (records, partitions, parallelism) => {
        const run = (parts: number, par: number) =>
          runPipeline((p) => {
            p.setParallelism(par);
            p.fromRecords(records, { partitions: parts, watermarks: noWatermarks() })
              .keyBy((r) => r.key)
              .window(slidingWindows(1000, 400))
              .sum((r) => r.id)
              .sink('out');
          })
            .records.map(describeRecord)
            .sort();
        expect(run(partitions, parallelism)).toEqual(run(1, 1));
      }),
      { numRuns: 100 },
    );
  });

  it('gives each key the same results whatever the parallelism of its window operator', () => {
    fc.assert(
      fc.property(arrivingRecords(), fc.integer({ min: 2, max: 4 }), (records, parallelism) => {
        const run = (par: number) => {
          const out = runPipeline((p) => {
            p.fromRecords(records, { watermarks: monotonousTimestamps() })
              .keyBy((r) => r.key)
              .window(tumblingWindows(700), { parallelism: par })
              .count()
              .sink('out', { parallelism: 1 });
          }).records;
          // Per key, in emission order (keys on different subtasks may interleave differently).
          const byKey = new Map<string, string[]>();
          for (const r of out) byKey.set(String(r.key), [...(byKey.get(String(r.key)) ?? []), describeRecord(r)]);
          return Object.fromEntries([...byKey].sort());
        };
        expect(run(parallelism)).toEqual(run(1));
      }),
      { numRuns: 100 },
    );
  });
});
