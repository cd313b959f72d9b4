// What readers of an exactly-once sink see, in the page's model of a run: records are
// uncommitted until their checkpoint completes, and those the crashed attempt wrote after its
// last pre-commit are rolled back (the replay writes them again). Checked on a real run's trace.

import { describe, expect, it } from 'vitest';
import { runDurable } from '../../src/engine/checkpoint/job-driver.ts';
import { MemoryDurableStore } from '../../src/engine/checkpoint/memory-store.ts';
import type { TraceEvent } from '../../src/engine/trace/trace-event.ts';
import { traceToDeltas } from '../../src/app/lab/trace-to-deltas.ts';
import { RunModel } from '../../src/viz/run-model.ts';
import { outputTable, RecordIds } from '../../src/viz/output/output-rows.ts';

/** Ten numbers, one every 100 ms, into an exactly-once sink; checkpoints every 300 ms; a crash at 550 ms. */
async function crashedRun(): Promise<RunModel> {
  const events: TraceEvent[] = [];
  const numbers = Array.from({ length: 10 }, (_, i) => i);
  await runDurable((p) => p.fromArray(numbers, { timestampOf: (n) => n * 100 }).sinkTo('out', { guarantee: 'exactlyOnce' }), {
    store: new MemoryDurableStore(),
    jobId: 'visibility',
    checkpointInterval: 300,
    crashes: { atProcessingTimes: [550] },
    onTrace: (e) => events.push(e),
  });
  const crash = events.findIndex((e) => e.type === 'jobCrashed');
  const restored = events.findIndex((e) => e.type === 'jobRestored');
  const model = new RunModel();
  for (const d of traceToDeltas(events.slice(0, crash + 1))) model.apply(d);
  const restoredPt = events[restored]!.pt;
  model.beginAttempt(2, restoredPt, 1);
  for (const d of traceToDeltas(events.slice(restored))) model.apply({ ...d, attempt: 2 });
  return model;
}

/** `value@attempt:status` of each record written by timeline time `t`. */
const statuses = (model: RunModel, t: number) =>
  model.sinkOutput.flatMap((r, i) => (r.t <= t ? [`${String(r.value)}@${r.attempt}:${model.sinkVisibility.status(i, t)}`] : []));

describe('sink visibility', () => {
  it('rolls back what the crashed attempt wrote after its last pre-commit, and commits the rest once', async () => {
    const model = await crashedRun();
    expect(statuses(model, model.endT)).toMatchInlineSnapshot(`
      [
        "0@1:visible",
        "1@1:visible",
        "2@1:visible",
        "3@1:visible",
        "4@1:rolledBack",
        "5@1:rolledBack",
        "4@2:visible",
        "5@2:visible",
        "6@2:visible",
        "7@2:visible",
        "8@2:visible",
        "9@2:visible",
      ]
    `);
  });

  it('shows records as uncommitted until their checkpoint completes, and rolls back at the crash', async () => {
    const model = await crashedRun();
    // Checkpoint 1 pre-commits and commits 0–3 at 0:00.300; the crash strikes at 0:00.500.
    expect(statuses(model, 200)).toEqual(['0@1:uncommitted', '1@1:uncommitted', '2@1:uncommitted']);
    expect(statuses(model, 300)).toEqual(['0@1:visible', '1@1:visible', '2@1:visible', '3@1:visible']);
    expect(statuses(model, 450)).toEqual(['0@1:visible', '1@1:visible', '2@1:visible', '3@1:visible', '4@1:uncommitted']);
    expect(statuses(model, 500)).toEqual(['0@1:visible', '1@1:visible', '2@1:visible', '3@1:visible', '4@1:rolledBack', '5@1:rolledBack']);
  });

  it('counts neither rolled-back records as copies nor as duplicates, and summarises them', async () => {
    const model = await crashedRun();
    const table = outputTable(model, model.endT, new RecordIds());
    expect(table.sinks.map((s) => [s.sink, s.written, s.rolledBack, s.uncommitted])).toEqual([['out', 12, 2, 0]]);
    const visible = table.rows.filter((r) => r.kind === 'written' && !r.marks.includes('rolledBack'));
    expect(visible.map((r) => (r.kind === 'written' ? [r.record.value, r.copy] : []))).toEqual(Array.from({ length: 10 }, (_, i) => [i, 1]));
  });
});
