import { describe, expect, it } from 'vitest';
import type { Pipeline } from '../../../src/engine/api/index.ts';
import { runPipeline } from '../../../src/engine/api/run-pipeline.ts';
import type { TraceEvent } from '../../../src/engine/trace/trace-event.ts';
import { traceToDeltas } from '../../../src/app/lab/trace-to-deltas.ts';
import { RunModel } from '../../../src/viz/run-model.ts';
import { openWindowsAt, pendingTimersAt, splitDeletedTimers, stateSizeSeries, stateTablesAt, type PendingTimer } from '../../../src/viz/state/state-model.ts';
import { previewValue, snapshotValues } from '../../../src/viz/state/state-snapshot.ts';
import { durableModel, plainModel } from '../checkpoints/meter-run.ts';

const brief = (timers: readonly PendingTimer[]) => timers.map((t) => `${t.key}@${t.time}`);

/** Counts per key; the second element of a key clears its count. */
function countTwice(p: Pipeline) {
  p.fromArray(['a', 'b', 'a'], { timestampOf: (_v, i) => i * 100 })
    .keyBy((v) => v)
    .process<string>({
      processElement(v, ctx) {
        const count = ctx.state.value<number>('count');
        const n = (count.value() ?? 0) + 1;
        if (n === 2) {
          count.clear();
          ctx.output(v);
        } else count.update(n);
      },
    })
    .sink('pairs');
}

function modelOf(build: (p: Pipeline) => void): RunModel {
  const events: TraceEvent[] = [];
  runPipeline(build, { seed: 1, onTrace: (e) => events.push(e) });
  const model = new RunModel();
  for (const d of traceToDeltas(events)) model.apply(d);
  return model;
}

describe('state inspector model', () => {
  it('lists the timers set and not yet fired at the playhead', () => {
    const model = plainModel();
    // Readings at 0–950 set the end-of-window timers of [0, 1000) for m0, m1, m2; those from
    // 1000 on set [1000, 2000)'s. The first three fire at 1400, when the watermark reaches 1099.
    expect(brief(pendingTimersAt(model, 1200))).toEqual(['m0@999', 'm1@999', 'm2@999', 'm0@1999', 'm1@1999', 'm2@1999']);
    expect(brief(pendingTimersAt(model, 1400))).toEqual(['m0@1999', 'm1@1999', 'm2@1999']);
    expect(pendingTimersAt(model, 1400)[0]).toMatchObject({ operator: 'sum TumblingWindows(1 s)', subtask: 0, domain: 'eventTime', window: { start: 1000, end: 2000 }, setT: 1050 });
    expect(openWindowsAt(model, pendingTimersAt(model, 1400), 1400).map((w) => [w.key, w.window.start, w.timers])).toEqual([
      ['m0', 1000, 1],
      ['m1', 1000, 1],
      ['m2', 1000, 1],
    ]);
  });

  it('brings back the checkpoint’s timers after a restore', async () => {
    const plain = plainModel();
    const durable = await durableModel([5500]);
    const same = (t: PendingTimer) => `${t.operator}|${t.key}|${t.time}`;
    // Attempt 2 starts at 5450 on the timeline with its clock at 5000 (checkpoint 5): its
    // timers are the failure-free run's at 5000, and stay so as it replays.
    expect(pendingTimersAt(durable, 5450).map(same)).toEqual(pendingTimersAt(plain, 5000).map(same));
    expect(pendingTimersAt(durable, 8450).map(same)).toEqual(pendingTimersAt(plain, 8000).map(same));
  });

  it('knows a timer due without firing was deleted', () => {
    const model = plainModel();
    const timers = pendingTimersAt(model, 1200);
    // Nothing is overdue at 1200 (the watermark is at 899)…
    expect(splitDeletedTimers(model, timers, 1200).deleted).toEqual([]);
    // …but were the [0, 1000) timers still listed at 1400, they would be overdue.
    expect(brief(splitDeletedTimers(model, timers, 1400).deleted)).toEqual(['m0@999', 'm1@999', 'm2@999']);
  });

  it('shows the keys holding state and drops a key once its state is cleared', () => {
    const model = modelOf(countTwice);
    const at = (t: number) => stateTablesAt(model, t).map((s) => [s.operator, s.state, s.entries, s.keys.map((k) => k.key)]);
    expect(at(150)).toEqual([['process', 'count', 2, ['a', 'b']]]);
    expect(at(250)).toEqual([['process', 'count', 1, ['b']]]);
  });

  it('sums state entries and timers over the subtasks of each sample', () => {
    // At 1000 the window holds the [0, 1000) panes of three meters plus m1's [1000, 2000).
    expect(stateSizeSeries(plainModel())[0]).toEqual({ t: 1000, entries: 4, timers: 4 });
  });

  it('matches snapshot values to rows and previews them on one line', () => {
    const values = snapshotValues({ t: 0, entries: [{ operator: 'process', subtask: 0, key: 'b', state: 'count', value: { n: 1 } }] });
    expect(values.get('process#0#count#b')).toEqual([{ n: 1 }]);
    expect(previewValue('x'.repeat(60), 10)).toBe('"xxxxxxxx…');
  });
});
