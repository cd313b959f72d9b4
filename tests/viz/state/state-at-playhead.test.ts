import { describe, expect, it } from 'vitest';
import { runToDeltas } from '../../../src/app/lab/trace-to-deltas.ts';
import { RunModel } from '../../../src/viz/run-model.ts';
import { openWindowsAt, pendingTimersAt, StateAtPlayhead } from '../../../src/viz/state/state-model.ts';
import { durableModel } from '../checkpoints/meter-run.ts';
import { exampleBuild, exampleInput } from '../time-domain/example-model.ts';

describe('pending timers and open windows extended while the playhead moves forward', () => {
  for (const name of ['sessions', 'late-data', 'word-count'] as const) {
    it(`match the walk from the start after every delta, the playhead at the end (${name})`, () => {
      const model = new RunModel();
      const tracked = new StateAtPlayhead();
      let seen = 0;
      for (const d of runToDeltas(exampleBuild(name), exampleInput(name))) {
        model.apply(d);
        const timers = tracked.pendingTimers(model, model.endT);
        expect(timers).toEqual(pendingTimersAt(model, model.endT));
        expect(tracked.openWindows(model, timers, model.endT)).toEqual(openWindowsAt(model, timers, model.endT));
        seen += timers.length;
      }
      expect(seen).toBeGreaterThan(0);
    });
  }

  it('match the walk from the start when the playhead moves back and forth across a crash and restore', async () => {
    const model = await durableModel([2500]);
    expect(model.attempts.length).toBe(2);
    const tracked = new StateAtPlayhead();
    const end = model.endT;
    const times = [0, end / 4, end / 2, end / 3, (3 * end) / 4, end, end / 5, end];
    for (const t of times) {
      const timers = tracked.pendingTimers(model, t);
      expect(timers).toEqual(pendingTimersAt(model, t));
      expect(tracked.openWindows(model, timers, t)).toEqual(openWindowsAt(model, timers, t));
    }
  });
});
