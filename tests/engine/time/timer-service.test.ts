// The timer service of one subtask, as Flink's InternalTimerServiceImpl: timers are per
// (key, namespace, timestamp) and registering one twice is a no-op; event-time timers are due
// when the watermark >= their time; processing-time timers are returned once the time asked for
// is >= theirs (the subtask asks with clock - 1, so a timer for t fires at t + 1, as in Flink).
// Brook breaks ties between equal times by registration order, so runs are deterministic.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TimerService, type Timer } from '../../../src/engine/time/timer-service.ts';

function drainEvent(ts: TimerService, watermark: number): Timer[] {
  const out: Timer[] = [];
  for (let t = ts.nextEventTimer(watermark); t !== undefined; t = ts.nextEventTimer(watermark)) out.push(t);
  return out;
}

const brief = (ts: Timer[]) => ts.map((t) => `${t.time}:${String(t.key)}`);

describe('TimerService', () => {
  it('fires event-time timers in time order, equal times in registration order, up to and including the watermark', () => {
    const ts = new TimerService();
    ts.register('eventTime', 300, 'a');
    ts.register('eventTime', 100, 'b');
    ts.register('eventTime', 200, 'c');
    ts.register('eventTime', 100, 'a');
    ts.register('eventTime', 400, 'b');
    // Flink: a timer at t fires once W >= t, so W = 200 fires 100 (b, then a: registration order) and 200.
    expect(brief(drainEvent(ts, 200))).toEqual(['100:b', '100:a', '200:c']);
    expect(brief(drainEvent(ts, 399))).toEqual(['300:a']);
    expect(brief(drainEvent(ts, Number.POSITIVE_INFINITY))).toEqual(['400:b']);
    expect(ts.size).toBe(0);
  });

  it('treats a second registration of the same key, namespace and time as a no-op', () => {
    const ts = new TimerService();
    ts.register('eventTime', 100, 'a');
    ts.register('eventTime', 100, 'a');
    ts.register('eventTime', 100, 'b');
    ts.register('processingTime', 100, 'a');
    ts.register('eventTime', 100, 'a', { start: 0, end: 101 });
    // Flink's InternalTimerServiceImpl keys timers by (timestamp, key, namespace), per time domain.
    expect(ts.size).toBe(4);
    expect(brief(drainEvent(ts, 100))).toEqual(['100:a', '100:b', '100:a']);
    expect(ts.nextProcessingTimer(100)?.key).toBe('a');
  });

  it('never fires a deleted timer, and a timer can be set again after it fired or was deleted', () => {
    const ts = new TimerService();
    ts.register('eventTime', 100, 'a');
    ts.register('eventTime', 200, 'a');
    ts.delete('eventTime', 100, 'a');
    ts.delete('eventTime', 999, 'nobody');
    expect(ts.size).toBe(1);
    expect(brief(drainEvent(ts, 150))).toEqual([]);
    ts.register('eventTime', 100, 'a');
    expect(brief(drainEvent(ts, 250))).toEqual(['100:a', '200:a']);
    ts.register('eventTime', 200, 'a');
    expect(brief(drainEvent(ts, 250))).toEqual(['200:a']);
  });

  it('keeps processing-time timers apart and tells the host about each one', () => {
    const ts = new TimerService();
    const told: number[] = [];
    ts.onProcessingTimerAdded = (t) => told.push(t);
    ts.register('processingTime', 500, 'a');
    ts.register('processingTime', 300, 'b');
    ts.register('processingTime', 300, 'b');
    ts.register('eventTime', 100, 'c');
    expect(told).toEqual([500, 300]);
    ts.delete('processingTime', 300, 'b');
    // The deleted timer at 300 never fires; the one at 500 fires once its time is reached.
    expect(ts.nextProcessingTimer(499)).toBeUndefined();
    expect(ts.nextProcessingTimer(500)?.key).toBe('a');
    expect(ts.nextProcessingTimer(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(ts.pending().map((t) => [t.domain, t.time])).toEqual([['eventTime', 100]]);
  });

  it('agrees with a simple model on any sequence of registrations, deletions and watermarks', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), time: fc.integer({ min: 0, max: 20 }), key: fc.constantFrom('a', 'b', 'c') }),
      fc.record({ kind: fc.constant('del' as const), time: fc.integer({ min: 0, max: 20 }), key: fc.constantFrom('a', 'b', 'c') }),
      fc.record({ kind: fc.constant('wm' as const), time: fc.integer({ min: 0, max: 25 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const ts = new TimerService();
        const model: { time: number; key: string; seq: number }[] = [];
        let seq = 0;
        let wm = Number.NEGATIVE_INFINITY;
        for (const o of ops) {
          if (o.kind === 'set') {
            if (!model.some((m) => m.time === o.time && m.key === o.key)) model.push({ time: o.time, key: o.key, seq: seq++ });
            ts.register('eventTime', o.time, o.key);
          } else if (o.kind === 'del') {
            const i = model.findIndex((m) => m.time === o.time && m.key === o.key);
            if (i >= 0) model.splice(i, 1);
            ts.delete('eventTime', o.time, o.key);
          } else {
            wm = Math.max(wm, o.time);
            const due = model.filter((m) => m.time <= wm).sort((x, y) => x.time - y.time || x.seq - y.seq);
            for (const d of due) model.splice(model.indexOf(d), 1);
            expect(brief(drainEvent(ts, wm))).toEqual(due.map((d) => `${d.time}:${d.key}`));
          }
          expect(ts.size).toBe(model.length);
        }
      }),
      { numRuns: 200 },
    );
  });
});
