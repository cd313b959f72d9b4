// Determinism (DESIGN.md, "the one idea"): the same pipeline, input and seed give the same output
// and the same trace, byte for byte, whatever the parallelism, partitions or watermark settings.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  boundedOutOfOrderness,
  runPipeline,
  seconds,
  slidingWindows,
  type GeneratorSpec,
  type Pipeline,
} from '../../../src/engine/api/index.ts';
import { toJson } from '../../../src/engine/trace/json.ts';
import { arrivingRecords, type ArrivingRecord } from './arbitraries.ts';

function pipeline(records: ArrivingRecord[], partitions: number, parallelism: number, bound: number, idle: boolean) {
  return (p: Pipeline) => {
    p.setParallelism(parallelism);
    const wm = boundedOutOfOrderness(bound);
    const src = p.fromRecords(records, { partitions, watermarks: idle ? wm.withIdleness(300) : wm });
    src
      .keyBy((r) => r.key)
      .window(slidingWindows(1000, 500))
      .allowedLateness(500)
      .count()
      .sink('counts');
    src
      .keyBy((r) => r.key)
      .process<string>({
        processElement(r, ctx) {
          const n = ctx.state.value<number>('n');
          n.update((n.value() ?? 0) + 1);
          ctx.timerService.registerEventTimeTimer(r.ts + 250);
        },
        onTimer(t, ctx) {
          ctx.output(`${ctx.key}@${t}:${ctx.state.value<number>('n').value()}`);
        },
      })
      .sink('timers');
  };
}

describe('determinism', () => {
  it('gives identical records and trace for the same pipeline, input and seed', () => {
    fc.assert(
      fc.property(
        arrivingRecords(),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.boolean(),
        (records, partitions, parallelism, bound, idle) => {
          const build = pipeline(records, partitions, parallelism, bound, idle);
          const a = runPipeline(build, { collectTrace: true, seed: 3 });
          const b = runPipeline(build, { collectTrace: true, seed: 3 });
          expect(toJson(b.records)).toBe(toJson(a.records));
          expect(toJson(b.trace)).toBe(toJson(a.trace));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('gives identical records and trace for a seeded generator, run after run', () => {
    const spec: GeneratorSpec<{ user: string }> = {
      partitions: 3,
      rate: { kind: 'steady', perSecond: 30 },
      arrivals: 'poisson',
      duration: seconds(3),
      keys: { count: 4, skew: { zipf: 1 } },
      delay: { kind: 'exponential', mean: 300, late: { fraction: 0.1, extra: 2000 } },
      value: (g) => ({ user: String(g.key) }),
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 3 }), (seed, parallelism) => {
        const build = (p: Pipeline) => {
          p.setParallelism(parallelism);
          p.generator(spec, { watermarks: boundedOutOfOrderness(500).withIdleness(400) })
            .keyBy((x) => x.user)
            .window(slidingWindows(1000, 250))
            .count()
            .sink('out');
        };
        const a = runPipeline(build, { collectTrace: true, seed });
        const b = runPipeline(build, { collectTrace: true, seed });
        expect(toJson(b.trace)).toBe(toJson(a.trace));
        expect(toJson(b.records)).toBe(toJson(a.records));
      }),
      { numRuns: 15 },
    );
  });
});
