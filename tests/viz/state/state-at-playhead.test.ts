import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runToDeltas } from '../../../src/app/lab/trace-to-deltas.ts';
import type { TraceEvent } from '../../../src/engine/trace/trace-event.ts';
import type { TraceDelta } from '../../../src/worker/protocol.ts';
import { RunModel } from '../../../src/viz/run-model.ts';
import { StateAtPlayhead } from '../../../src/viz/state/state-at-playhead.ts';
import { openWindowsAt, pendingTimersAt, splitDeletedTimers, stateTablesAt } from '../../../src/viz/state/state-model.ts';
import { durableModel } from '../checkpoints/meter-run.ts';
import { exampleBuild, exampleInput } from '../time-domain/example-model.ts';

/** Asks `tracked` for everything the state panel shows at `t` and checks it against the walk from the start. */
function expectSameAsWalk(tracked: StateAtPlayhead, model: RunModel, t: number): number {
  const timers = tracked.pendingTimers(model, t);
  expect(timers).toEqual(pendingTimersAt(model, t));
  const { live, deleted } = splitDeletedTimers(model, timers, t);
  expect(tracked.openWindows(model, t, deleted)).toEqual(openWindowsAt(model, live, t));
  expect(tracked.stateTables(model, t)).toEqual(stateTablesAt(model, t));
  return timers.length;
}

describe('state followed while the playhead moves forward', () => {
  for (const name of ['sessions', 'late-data', 'word-count'] as const) {
    it(`matches the walk from the start after every delta, the playhead at the end (${name})`, () => {
      const model = new RunModel();
      const tracked = new StateAtPlayhead();
      let seen = 0;
      for (const d of runToDeltas(exampleBuild(name), exampleInput(name))) {
        model.apply(d);
        seen += expectSameAsWalk(tracked, model, model.endT);
      }
      expect(seen).toBeGreaterThan(0);
    });
  }

  it('matches the walk from the start when the playhead moves back and forth across a crash and restore', async () => {
    const model = await durableModel([2500]);
    expect(model.attempts.length).toBe(2);
    const tracked = new StateAtPlayhead();
    const end = model.endT;
    for (const t of [0, end / 4, end / 2, end / 3, (3 * end) / 4, end, end / 5, end]) expectSameAsWalk(tracked, model, t);
  });

  it('returns the same lists while nothing changed, and new ones once something did', () => {
    const model = new RunModel();
    const tracked = new StateAtPlayhead();
    const deltas = runToDeltas(exampleBuild('sessions'), exampleInput('sessions'));
    for (const d of deltas.slice(0, Math.ceil(deltas.length / 2))) model.apply(d);
    const timers = tracked.pendingTimers(model, model.endT);
    const tables = tracked.stateTables(model, model.endT);
    expect(tracked.pendingTimers(model, model.endT)).toBe(timers);
    expect(tracked.stateTables(model, model.endT)).toBe(tables);
    const before = [...timers];
    for (const d of deltas.slice(Math.ceil(deltas.length / 2))) model.apply(d);
    expect(tracked.pendingTimers(model, model.endT)).not.toBe(timers);
    // A list handed out earlier is not changed by what came later.
    expect(timers).toEqual(before);
  });
});

/** A model from timer and watermark events, one delta per processing time. */
function timerModel(events: readonly TraceEvent[]): RunModel {
  const model = new RunModel();
  model.beginAttempt(1, 0, null);
  for (const pt of [...new Set(events.map((e) => e.pt))]) {
    const at = events.filter((e) => e.pt === pt);
    model.apply({ seq: 0, attempt: 1, pt, finished: false, records: new Float64Array(), sources: [], recordsSkipped: 0, events: new TextEncoder().encode(JSON.stringify(at)), eventsCoalesced: 0 });
  }
  return model;
}

describe('windows alike in operator, key and start', () => {
  // A session [0, 100) merged into [0, 200): both windows keep timers (the trace does not record
  // deleted ones). The one whose timer comes first in the timer list is listed first.
  const timer = (pt: number, type: 'timerSet' | 'timerFired', time: number, end: number) =>
    ({ type, pt, operator: 'w', subtask: 0, key: 'k', domain: 'eventTime', time, window: { start: 0, end } }) as TraceEvent;
  const ends = (windows: readonly { window: { end: number } }[]) => windows.map((w) => w.window.end);

  it('move in the list when their soonest timer fires', () => {
    const model = timerModel([timer(1, 'timerSet', 99, 100), timer(1, 'timerSet', 50, 200), timer(1, 'timerSet', 199, 200), timer(2, 'timerFired', 50, 200)]);
    const tracked = new StateAtPlayhead();
    expect(ends(tracked.openWindows(model, 1))).toEqual([200, 100]);
    expect(ends(tracked.openWindows(model, 2))).toEqual([100, 200]);
    expectSameAsWalk(tracked, model, 2);
  });

  it('are ordered by their soonest live timer when the soonest one is overdue (deleted)', () => {
    const events = [timer(1, 'timerSet', 99, 100), timer(1, 'timerSet', 50, 200), timer(1, 'timerSet', 199, 200), { type: 'watermarkAdvanced', pt: 2, operator: 'w', subtask: 0, watermark: 60 } as TraceEvent];
    const model = timerModel(events);
    const tracked = new StateAtPlayhead();
    const { deleted } = splitDeletedTimers(model, tracked.pendingTimers(model, 2), 2);
    expect(deleted.map((t) => t.time)).toEqual([50]);
    expect(ends(tracked.openWindows(model, 2, deleted))).toEqual([100, 200]);
    expectSameAsWalk(tracked, model, 2);
  });
});

// Random runs: timers set and fired, keyed state written and cleared, panes fired, checkpoints
// taken, crashes restoring one of them (or none), and the playhead moved forward and back.
const keyArb = fc.constantFrom<string | number | undefined>('a', 'b', 'B', '1', 1, '01', 10, 'user-2', 'user-10', undefined);
// Windows alike in operator, key and start (a session merged into a longer one) differ in end.
const windowArb = fc.option(fc.record({ start: fc.integer({ min: 0, max: 3 }).map((n) => n * 100), size: fc.constantFrom(100, 200) }), { nil: undefined });
type Step = typeof stepArb extends fc.Arbitrary<infer S> ? S : never;
const stepArb = fc.oneof(
  fc.record({ kind: fc.constant('timer' as const), fire: fc.option(fc.nat(), { nil: undefined }), atEnd: fc.boolean(), op: fc.constantFrom('window', 'Process'), sub: fc.integer({ min: 0, max: 1 }), key: fc.constantFrom<string | number | undefined>('a', 1, '1', undefined), domain: fc.constantFrom('eventTime' as const, 'processingTime' as const), time: fc.integer({ min: 0, max: 5 }).map((n) => n * 100 + 99), window: windowArb }),
  fc.record({ kind: fc.constant('state' as const), op: fc.constantFrom('window', 'Process'), sub: fc.integer({ min: 0, max: 1 }), key: keyArb, state: fc.constantFrom('count', 'seen'), entries: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ kind: fc.constant('pane' as const), key: keyArb, start: fc.integer({ min: 0, max: 3 }).map((n) => n * 100), size: fc.constantFrom(100, 200) }),
  fc.record({ kind: fc.constant('watermark' as const), sub: fc.integer({ min: 0, max: 1 }), watermark: fc.integer({ min: 0, max: 600 }) }),
  fc.record({ kind: fc.constant('checkpoint' as const) }),
  fc.record({ kind: fc.constant('crash' as const), restore: fc.nat() }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 30 }) }),
  fc.record({ kind: fc.constant('look' as const), at: fc.double({ min: 0, max: 1.2, noNaN: true }) }),
);

/**
 * Plays `steps` into a fresh model (deltas flushed at each advance, crash and look) and calls
 * `look` at each look step and at the end, with the model and the playhead to look at.
 */
function playRandomRun(steps: readonly Step[], look: (model: RunModel, t: number) => void): void {
  const model = new RunModel();
  model.beginAttempt(1, 0, null);
  let attempt = 1;
  let pt = 0;
  let checkpointId = 0;
  const checkpoints: { id: number; pt: number }[] = [];
  const set: TraceEvent[] = [];
  let events: TraceEvent[] = [];
  const flush = () => {
    const delta: TraceDelta = { seq: 0, attempt, pt, finished: false, records: new Float64Array(), sources: [], recordsSkipped: 0, events: new TextEncoder().encode(JSON.stringify(events)), eventsCoalesced: 0 };
    model.apply(delta);
    events = [];
  };
  for (const s of steps) {
    if (s.kind === 'timer') {
      // Fire one of the timers set so far (maybe already fired), or set a new one.
      if (s.fire !== undefined && set.length > 0) events.push({ ...set[s.fire % set.length]!, type: 'timerFired', pt } as TraceEvent);
      else {
        const window = s.window ? { start: s.window.start, end: s.window.start + s.window.size } : undefined;
        const timer = { type: 'timerSet', pt, operator: s.op, subtask: s.sub, key: s.key, domain: s.domain, time: window && s.atEnd ? window.end - 1 : s.time, ...(window ? { window } : {}) } as TraceEvent;
        set.push(timer);
        events.push(timer);
      }
    } else if (s.kind === 'state') events.push({ type: 'stateUpdated', pt, operator: s.op, subtask: s.sub, key: s.key, state: s.state, entries: s.entries });
    else if (s.kind === 'pane') {
      const pane = { timing: 'ON_TIME', index: 0, isFirst: true, isLast: true } as never;
      events.push({ type: 'paneFired', pt, operator: 'window', subtask: 0, key: s.key, window: { start: s.start, end: s.start + s.size }, pane, value: 1, timestamp: s.start + s.size - 1, watermark: 0, retraction: false, elements: 1 });
    } else if (s.kind === 'watermark') events.push({ type: 'watermarkAdvanced', pt, operator: 'window', subtask: s.sub, watermark: s.watermark });
    else if (s.kind === 'checkpoint') {
      checkpoints.push({ id: ++checkpointId, pt });
      events.push({ type: 'checkpointTriggered', pt, checkpointId });
    } else if (s.kind === 'advance') {
      flush();
      pt += s.ms;
    } else if (s.kind === 'crash') {
      flush();
      model.markCrash('crash', pt);
      const restored = checkpoints.length === 0 ? undefined : checkpoints[s.restore % (checkpoints.length + 1)];
      attempt++;
      pt = restored?.pt ?? 0;
      model.beginAttempt(attempt, pt, restored?.id ?? null, 5);
    } else {
      flush();
      look(model, Math.round(s.at * model.endT));
    }
  }
  flush();
  look(model, model.endT);
}

/** Everything a follower handed out at a look, copied, to check it was not changed later. */
function handedOut(tracked: StateAtPlayhead, model: RunModel, t: number) {
  const lists = { timers: tracked.pendingTimers(model, t), windows: tracked.openWindows(model, t), tables: tracked.stateTables(model, t) };
  return { lists, copy: structuredClone(lists) };
}

describe('state followed over random runs', () => {
  it('equals the walk from the start at every look, forward or back, across crashes and restores', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 150 }), (steps) => {
        const tracked = new StateAtPlayhead();
        playRandomRun(steps, (model, t) => expectSameAsWalk(tracked, model, t));
      }),
      { numRuns: 400 },
    );
  });

  it('caught up one change at a time (merged every few), equals the walk once caught up, having changed nothing handed out before', () => {
    let slices = 0;
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 150 }), fc.integer({ min: 1, max: 5 }), (steps, mergeEvery) => {
        const tracked = new StateAtPlayhead({ piece: 1, mergeEvery });
        let before: ReturnType<typeof handedOut> | undefined;
        playRandomRun(steps, (model, t) => {
          // Each call applies one change (the clock says the slice is spent), so it is done within
          // as many calls as the model has changes, and what it handed out stays as it was.
          const bound = model.timerChanges.length + model.stateChanges.length + model.panes.length + 1;
          let calls = 1;
          while (!tracked.catchUp(model, t, 0, () => 0)) {
            calls++;
            slices++;
            expect(calls).toBeLessThanOrEqual(bound);
            if (before) expect(before.lists).toEqual(before.copy);
          }
          expectSameAsWalk(tracked, model, t);
          before = handedOut(tracked, model, t);
        });
      }),
      { numRuns: 300 },
    );
    // The runs did catch up in pieces (a slice that was not the last).
    expect(slices).toBeGreaterThan(300);
  });
});
