import { describe, expect, it } from 'vitest';
import * as d3 from 'd3';
import fc from 'fast-check';
import type { ChartPoint } from '../../../src/viz/metrics/line-chart.ts';
import { LinePath, linePath } from '../../../src/viz/metrics/line-path.ts';
import type { LinearMap } from '../../../src/viz/metrics/thin-series.ts';

/** The path d3 writes (as the chart drew its lines before). */
function d3Path(points: readonly ChartPoint[], x: LinearMap, y: LinearMap, step: boolean): string | null {
  const sx = d3.scaleLinear().domain([x.d0, x.d1]).range([x.r0, x.r1]);
  const sy = d3.scaleLinear().domain([y.d0, y.d1]).range([y.r0, y.r1]);
  const line = d3.line<ChartPoint>().defined((p) => Number.isFinite(p.v)).x((p) => sx(p.t)).y((p) => sy(p.v));
  return line.curve(step ? d3.curveStepAfter : d3.curveLinear)(points as ChartPoint[]);
}

/** Sorted times, values with gaps (NaN, infinities) so segments of one point occur. */
const series = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.oneof({ arbitrary: fc.double({ min: -1e4, max: 1e4, noNaN: true }), weight: 4 }, { arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY), weight: 1 })), { maxLength: 120, size: 'max' })
  .map((steps) => {
    let t = 0;
    return steps.map(([dt, v]) => ({ t: (t += dt), v }));
  });
const scale = fc.record({ d0: fc.integer({ min: -100, max: 100 }), span: fc.integer({ min: 1, max: 5000 }), r0: fc.integer({ min: 0, max: 300 }), r1: fc.integer({ min: 0, max: 700 }) }).map(({ d0, span, r0, r1 }) => ({ d0, d1: d0 + span, r0, r1 }));

describe('linePath', () => {
  it("writes d3.line()'s path, linear and step-after, gaps included", () => {
    fc.assert(
      fc.property(series, scale, scale, fc.boolean(), (points, x, y, step) => {
        expect(linePath(points, x, y, step)).toBe(d3Path(points, x, y, step));
      }),
      { numRuns: 300 },
    );
  });

  it('writes a path kept between draws as it writes one afresh: a line growing, its end changing, its scales stepping', () => {
    const draw = fc.record({ grow: fc.integer({ min: 0, max: 30 }), retouch: fc.option(fc.tuple(fc.nat(), fc.double({ min: -100, max: 100, noNaN: true }))), rescale: fc.oneof({ arbitrary: fc.constant(null), weight: 4 }, { arbitrary: scale, weight: 1 }) });
    fc.assert(
      fc.property(series, fc.array(draw, { minLength: 1, maxLength: 10 }), scale, fc.boolean(), (all, draws, x, step) => {
        const kept = new LinePath();
        const points: ChartPoint[] = [];
        let y = { d0: -1e4, d1: 1e4, r0: 80, r1: 0 };
        for (const d of draws) {
          points.push(...all.slice(points.length, points.length + d.grow));
          // A point replaced by a new object: at the end (a run's last moment walked again) or
          // anywhere (a series computed afresh).
          if (d.retouch !== null && points.length > 0) {
            const i = d.retouch[0] % 3 === 0 ? d.retouch[0] % points.length : points.length - 1;
            points[i] = { t: points[i]!.t, v: d.retouch[1] };
          }
          if (d.rescale) y = d.rescale;
          expect(kept.path(points, x, y, step)).toBe(d3Path(points, x, y, step));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('draws nothing for no points, as d3', () => {
    const x = { d0: 0, d1: 1, r0: 0, r1: 1 };
    expect(linePath([], x, x, false)).toBe(null);
    expect(linePath([{ t: 0, v: Number.NaN }], x, x, true)).toBe(d3Path([{ t: 0, v: Number.NaN }], x, x, true));
  });
});
