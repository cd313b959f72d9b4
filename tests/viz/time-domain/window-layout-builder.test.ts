import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PaneFiring, RunModel, TimerChange } from '../../../src/viz/run-model.ts';
import { WindowLayoutBuilder, windowLayout } from '../../../src/viz/time-domain/window-bands.ts';

/** A pane firing or a timer change of one operator's windows (start, start + size) for a key. */
const eventArb = fc.record({
  pane: fc.boolean(),
  key: fc.constantFrom('a', 'b', 'c'),
  start: fc.integer({ min: 0, max: 6 }).map((s) => s * 10),
  size: fc.constantFrom(10, 20),
  isLast: fc.boolean(),
  timing: fc.constantFrom('EARLY', 'ON_TIME', 'LATE'),
  timer: fc.constantFrom('set', 'fired'),
  lateness: fc.constantFrom(0, 5),
});

type Event = typeof eventArb extends fc.Arbitrary<infer E> ? E : never;

/** The model's panes and timer changes after `events`, in timeline order (the builder reads only these). */
function modelOf(events: readonly Event[]): RunModel {
  const panes: PaneFiring[] = [];
  const timerChanges: TimerChange[] = [];
  events.forEach((e, t) => {
    const window = { start: e.start, end: e.start + e.size };
    if (e.pane) {
      const pane = { timing: e.timing, index: 0, isLast: e.isLast } as PaneFiring['pane'];
      panes.push({ t, pt: t, attempt: 0, operator: 'w', subtask: 0, key: e.key, window, pane, value: 1, timestamp: window.end - 1, watermark: 0, retraction: false, elements: 1 });
    } else {
      const time = window.end - 1 + e.lateness;
      timerChanges.push({ t, operator: 'w', subtask: 0, key: e.key, domain: 'eventTime', time, window, change: e.timer });
    }
  });
  return { panes, timerChanges } as unknown as RunModel;
}

describe('WindowLayoutBuilder', () => {
  it('lays out the same windows as from scratch after any growth, in chunks of any size', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 60 }), fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 20 }), (events, chunks) => {
        const builder = new WindowLayoutBuilder();
        const full = modelOf(events);
        // One growing model object, as the page's RunModel grows in place.
        const growing = { panes: [] as PaneFiring[], timerChanges: [] as TimerChange[] } as unknown as { panes: PaneFiring[]; timerChanges: TimerChange[] };
        let at = 0;
        for (let k = 0; at < events.length; k++) {
          at = Math.min(events.length, at + chunks[k % chunks.length]!);
          const part = modelOf(events.slice(0, at));
          growing.panes.push(...part.panes.slice(growing.panes.length));
          growing.timerChanges.push(...part.timerChanges.slice(growing.timerChanges.length));
          const model = growing as unknown as RunModel;
          expect(builder.update(model)).toEqual(windowLayout(model));
        }
        expect(builder.update(growing as unknown as RunModel)).toEqual(windowLayout(full));
      }),
      { numRuns: 300 },
    );
  });

  it('gives back the same layout object while nothing changed', () => {
    const model = modelOf([{ pane: true, key: 'a', start: 0, size: 10, isLast: false, timing: 'ON_TIME', timer: 'set', lateness: 0 }]);
    const builder = new WindowLayoutBuilder();
    const first = builder.update(model);
    expect(builder.update(model)).toBe(first);
  });

  it('folds a late pane of an older shared window for one more key into its band, keeping every other band as it was', () => {
    const pane = (key: Event['key'], start: number): Event => ({ pane: true, key, start, size: 10, isLast: false, timing: 'ON_TIME', timer: 'set', lateness: 0 });
    const events = [pane('a', 0), pane('b', 0), pane('a', 10), pane('b', 10), pane('a', 20), pane('b', 20)];
    const growing = modelOf(events) as unknown as { panes: PaneFiring[] };
    const builder = new WindowLayoutBuilder();
    const before = builder.update(growing as unknown as RunModel);
    // Key c's pane of window [0, 10) comes after windows [10, 20) and [20, 30) of a and b.
    const late = [...events, pane('c', 0)];
    growing.panes.push(modelOf(late).panes.at(-1)!);
    const after = builder.update(growing as unknown as RunModel);
    expect(after).toEqual(windowLayout(modelOf(late)));
    expect(after.bands.map((b) => [b.start, b.panes])).toEqual([[0, 3], [10, 2], [20, 2]]);
    // Only the band it joined was folded again (a full layout makes every band anew).
    expect(after.bands[1]).toBe(before.bands[1]);
    expect(after.bands[2]).toBe(before.bands[2]);
  });
});
