// fast-check generators shared by the property tests: keyed records with event times and
// non-decreasing arrivals (for partitioned sources), and TestStream scripts that interleave
// elements with watermark and processing-time steps.

import fc from 'fast-check';
import { testStream, type TestStreamSpec } from '../../../src/engine/api/index.ts';

export interface KRec {
  key: string;
  ts: number;
  id: number;
}

export interface ArrivingRecord {
  value: KRec;
  timestamp: number;
  arrival: number;
}

/** Records over a few keys, arriving in array order (arrivals never decrease). */
export const arrivingRecords = (maxLength = 40): fc.Arbitrary<ArrivingRecord[]> =>
  fc
    .array(
      fc.record({ key: fc.constantFrom('a', 'b', 'c'), ts: fc.integer({ min: 0, max: 6000 }), gap: fc.integer({ min: 0, max: 400 }) }),
      { minLength: 1, maxLength },
    )
    .map((rows) => {
      let arrival = 0;
      return rows.map((r, id) => {
        arrival += r.gap;
        return { value: { key: r.key, ts: r.ts, id }, timestamp: r.ts, arrival };
      });
    });

/** One step of a script: elements, or a watermark or processing-time advance. */
export type Step = { add: KRec[] } | { watermarkBy: number } | { wait: number };

/** Scripts: a mix of element batches and non-decreasing watermark moves. */
export const scripts = (maxSteps = 25): fc.Arbitrary<Step[]> =>
  fc
    .array(
      fc.oneof(
        { weight: 3, arbitrary: fc.array(fc.record({ key: fc.constantFrom('a', 'b'), ts: fc.integer({ min: 0, max: 3000 }) }), { minLength: 1, maxLength: 4 }).map((add) => ({ add })) },
        { weight: 2, arbitrary: fc.integer({ min: 0, max: 700 }).map((watermarkBy) => ({ watermarkBy })) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 2000 }).map((wait) => ({ wait })) },
      ),
      { minLength: 1, maxLength: maxSteps },
    )
    .map((steps) => {
      let id = 0;
      return steps.map((s): Step => ('add' in s ? { add: s.add.map((r) => ({ key: r.key, ts: r.ts, id: id++ })) } : s));
    });

/** The TestStream of a script; the watermark starts at 0 and the script ends at +inf. */
export function toTestStream(steps: Step[]): TestStreamSpec<KRec> {
  let b = testStream<KRec>().advanceWatermarkTo(0);
  let wm = 0;
  for (const s of steps) {
    if ('add' in s) b = b.addElements(...s.add.map((r) => ({ value: r, timestamp: r.ts })));
    else if ('watermarkBy' in s) b = b.advanceWatermarkTo((wm += s.watermarkBy));
    else b = b.advanceProcessingTime(s.wait);
  }
  return b.advanceWatermarkToInfinity();
}

/** Each element of a script with the watermark in force when it arrives. */
export function elementsWithWatermark(steps: Step[]): { rec: KRec; watermark: number }[] {
  const out: { rec: KRec; watermark: number }[] = [];
  let wm = 0;
  for (const s of steps) {
    if ('add' in s) for (const rec of s.add) out.push({ rec, watermark: wm });
    else if ('watermarkBy' in s) wm += s.watermarkBy;
  }
  return out;
}
