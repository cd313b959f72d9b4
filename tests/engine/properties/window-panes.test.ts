// Properties of window panes for random scripts (TestStream: elements interleaved with watermark
// and processing-time moves): a window fires ON_TIME at most once and its panes are numbered
// 0, 1, 2, ... (Beam's PaneInfo); discarding panes add up to the final accumulating pane; and a
// sliding window counts exactly the elements in [start, end) that arrived while it was still open
// (Flink drops an element for a window once end - 1 + allowedLateness <= W).

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  afterCount,
  afterProcessingTime,
  afterWatermark,
  runPipeline,
  slidingWindows,
  tumblingWindows,
  type SinkRecord,
  type WindowAssigner,
} from '../../../src/engine/api/index.ts';
import { elementsWithWatermark, scripts, toTestStream, type Step } from './arbitraries.ts';

const windowId = (r: SinkRecord) => `${String(r.key)} ${JSON.stringify(r.window)}`;

function panes(steps: Step[], assigner: WindowAssigner, lateness: number, mode: 'accumulating' | 'discarding'): SinkRecord[] {
  return runPipeline((p) => {
    const w = p
      .testStream(toTestStream(steps))
      .keyBy((r) => r.key)
      .window(assigner)
      .trigger(afterWatermark().withEarlyFirings(afterCount(2)).withLateFirings(afterProcessingTime().plusDelayOf(500)))
      .allowedLateness(lateness);
    (mode === 'accumulating' ? w.accumulatingFiredPanes() : w.discardingFiredPanes()).sum((r) => r.id + 1).sink('out');
  }).records;
}

const assigners = fc.constantFrom<[string, WindowAssigner]>(['tumbling 1000', tumblingWindows(1000)], ['sliding 1000/500', slidingWindows(1000, 500)]);

describe('window panes', () => {
  it('fire ON_TIME at most once per window, with pane indexes 0, 1, 2, ... and EARLY before the rest', () => {
    fc.assert(
      fc.property(scripts(), assigners, fc.integer({ min: 0, max: 1500 }), (steps, [, assigner], lateness) => {
        const byWindow = new Map<string, SinkRecord[]>();
        for (const r of panes(steps, assigner, lateness, 'accumulating')) byWindow.set(windowId(r), [...(byWindow.get(windowId(r)) ?? []), r]);
        for (const [id, list] of byWindow) {
          const timings = list.map((r) => r.pane!.timing);
          expect(timings.filter((t) => t === 'ON_TIME').length, id).toBeLessThanOrEqual(1);
          expect(list.map((r) => r.pane!.index), id).toEqual(list.map((_, i) => i));
          const firstNonEarly = timings.findIndex((t) => t !== 'EARLY');
          if (firstNonEarly >= 0) expect(timings.slice(firstNonEarly).includes('EARLY'), id).toBe(false);
          expect(list.filter((r) => r.pane!.isLast).length, id).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('discarding panes of a window add up to its last accumulating pane', () => {
    fc.assert(
      fc.property(scripts(), assigners, fc.integer({ min: 0, max: 1500 }), (steps, [, assigner], lateness) => {
        const last = new Map<string, number>();
        for (const r of panes(steps, assigner, lateness, 'accumulating')) last.set(windowId(r), r.value as number);
        const total = new Map<string, number>();
        for (const r of panes(steps, assigner, lateness, 'discarding')) total.set(windowId(r), (total.get(windowId(r)) ?? 0) + (r.value as number));
        expect(Object.fromEntries(total)).toEqual(Object.fromEntries(last));
      }),
      { numRuns: 200 },
    );
  });

  it('count in a sliding window exactly the elements in [start, end) that arrived before it expired', () => {
    const size = 1000;
    const slide = 300;
    fc.assert(
      fc.property(scripts(), (steps) => {
        const out = runPipeline((p) => {
          p.testStream(toTestStream(steps))
            .keyBy((r) => r.key)
            .window(slidingWindows(size, slide))
            .count()
            .sink('out');
        }).records;
        // Independent count: the windows holding ts start at multiples of the slide in (ts - size, ts].
        const expected = new Map<string, number>();
        for (const { rec, watermark } of elementsWithWatermark(steps)) {
          const last = rec.ts - (((rec.ts % slide) + slide) % slide);
          for (let start = last; start > rec.ts - size; start -= slide) {
            if (start + size - 1 <= watermark) continue;
            const id = `${rec.key} ${JSON.stringify({ start, end: start + size })}`;
            expected.set(id, (expected.get(id) ?? 0) + 1);
          }
        }
        const got = new Map<string, number>();
        for (const r of out) {
          expect(r.pane!.timing).toBe('ON_TIME');
          got.set(windowId(r), r.value as number);
        }
        expect(Object.fromEntries(got)).toEqual(Object.fromEntries(expected));
        expect(out.length).toBe(got.size);
      }),
      { numRuns: 150 },
    );
  });
});
