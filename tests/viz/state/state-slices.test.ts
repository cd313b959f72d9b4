import { describe, expect, it } from 'vitest';
import { boundedOutOfOrderness, seconds, tumblingWindows, type Pipeline } from '../../../src/engine/api/index.ts';
import { runToDeltas } from '../../../src/app/lab/trace-to-deltas.ts';
import { RunModel } from '../../../src/viz/run-model.ts';
import { StateAtPlayhead } from '../../../src/viz/state/state-at-playhead.ts';
import { openWindowsAt, pendingTimersAt, stateTablesAt } from '../../../src/viz/state/state-model.ts';

// A window's close in a keyed run fires a timer per key at once: the follower catches up with
// it in pieces of at most 64 changes, each call one piece when the slice is spent, and is done
// after as many calls as that takes (never stuck, never a mixed list handed out).

/** The UI benchmark's pipeline, smaller: 300 keys counted in 5 s tumbling windows. */
const keyedWindows = (p: Pipeline) => {
  p.generator(
    {
      partitions: 2,
      rate: 4_000,
      count: 60_000,
      keys: { count: 300, skew: { zipf: 1.1 } },
      delay: { kind: 'uniform', min: 0, max: 1_500 },
      value: (g) => ({ user: g.key }),
    },
    { name: 'clicks', watermarks: boundedOutOfOrderness(seconds(2)) },
  )
    .keyBy((e) => e.user)
    .window(tumblingWindows(seconds(5)))
    .count()
    .sink('counts');
};

const model = new RunModel();
for (const d of runToDeltas(keyedWindows)) model.apply(d);

/** The playhead of the change that fired the most timers at one time: a window's close. */
function busiestClose(): { t: number; fired: number } {
  const fired = new Map<number, number>();
  for (const c of model.timerChanges) if (c.change === 'fired') fired.set(c.t, (fired.get(c.t) ?? 0) + 1);
  const [t, n] = [...fired].reduce((a, b) => (b[1] > a[1] ? b : a));
  return { t, fired: n };
}

/** A clock that says the slice is spent whenever it is read after the deadline was taken. */
function spentClock() {
  let reads = 0;
  return { now: () => (reads++ === 0 ? 0 : 1), reads: () => reads, reset: () => (reads = 0) };
}

describe('a keyed run followed in slices', () => {
  it('catches up with a window close (hundreds of timers fired at once) in pieces of at most 64 changes', () => {
    const { t, fired } = busiestClose();
    expect(fired).toBeGreaterThan(200);
    const tracked = new StateAtPlayhead();
    const before = model.timerChanges.findLast((c) => c.t < t)!.t;
    tracked.pendingTimers(model, before);
    const changes = model.timerChanges.filter((c) => c.t > before && c.t <= t).length + model.panes.filter((p) => p.t > before && p.t <= t).length;
    const clock = spentClock();
    let calls = 0;
    for (let done = false; !done; calls++) {
      clock.reset();
      done = tracked.catchUp(model, t, 1, clock.now);
      // The deadline and one look at the clock: one piece per call.
      expect(clock.reads()).toBeLessThanOrEqual(2);
      expect(calls).toBeLessThan(changes);
    }
    expect(calls).toBe(Math.floor(changes / 64) + 1);
    expect(tracked.pendingTimers(model, t)).toEqual(pendingTimersAt(model, t));
  });

  it('catches up from the start (a first draw, a seek back) in pieces, merged along the way, equal to the walk at the end', () => {
    const t = model.endT / 2;
    const tracked = new StateAtPlayhead();
    let calls = 0;
    while (!tracked.catchUp(model, t, 0, () => 1)) calls++;
    const total = model.timerChanges.filter((c) => c.t <= t).length + model.panes.filter((p) => p.t <= t).length;
    // More than a few merges' worth (a batch is merged every 256 changes).
    expect(total).toBeGreaterThan(1_500);
    expect(calls).toBe(Math.floor(total / 64));
    const timers = pendingTimersAt(model, t);
    expect(tracked.pendingTimers(model, t)).toEqual(timers);
    expect(tracked.openWindows(model, t)).toEqual(openWindowsAt(model, timers, t));
    expect(tracked.stateTables(model, t)).toEqual(stateTablesAt(model, t));
  });

  it('hands out the lists of the last playhead it caught up to, unchanged, while it catches up with the next', () => {
    const { t } = busiestClose();
    const tracked = new StateAtPlayhead();
    const before = model.timerChanges.findLast((c) => c.t < t)!.t;
    const timers = tracked.pendingTimers(model, before);
    const windows = tracked.openWindows(model, before);
    const copy = structuredClone({ timers, windows });
    while (!tracked.catchUp(model, t, 0, () => 1)) expect({ timers, windows }).toEqual(copy);
    expect(tracked.pendingTimers(model, t)).not.toBe(timers);
  });
});
