import { afterEach, describe, expect, it } from 'vitest';
import * as brook from '../../src/engine/api/index.ts';
import { withDefaultGuarantee } from '../../src/engine/api/run-pipeline.ts';
import { DurableSession } from '../../src/engine/checkpoint/durable-session.ts';
import { MemoryDurableStore } from '../../src/engine/checkpoint/memory-store.ts';
import type { SavepointFile } from '../../src/engine/checkpoint/savepoint.ts';
import { RunModel } from '../../src/viz/run-model.ts';
import { stateTablesAt, pendingTimersAt, openWindowsAt } from '../../src/viz/state/state-model.ts';
import { DEFAULT_SETTINGS, type RunSettings, type TraceDelta } from '../../src/worker/protocol.ts';
import { freshStore, startWorker } from './worker-harness.ts';
import { loadUserModule } from '../../src/worker/user-code.ts';

// Starting a job from a savepoint through the worker's API, as the page's Savepoints dialog does:
// comlink over a MessageChannel, the store on fake-indexeddb. The expected output is the engine's
// own restore (DurableSession with fromSavepoint, as `brook run --from-savepoint`) of the same file.

const V1 = `import { seconds, tumblingWindows, type Pipeline } from 'brook';

const readings = Array.from({ length: 60 }, (_, i) => ({ k: ['a', 'b', 'c'][i % 3]!, v: i, t: i * 250 }));

export default (p: Pipeline) => {
  p.fromArray(readings, { timestampOf: (r) => r.t, uid: 'readings' })
    .keyBy((r) => r.k)
    .window(tumblingWindows(seconds(2)))
    .sum((r) => r.v)
    .uid('totals')
    .sink('sums');
};
`;

/** Version 2: a map added after the window, every uid kept. */
const V2 = V1.replace(".uid('totals')\n", ".uid('totals')\n    .map((total) => total * 10)\n");
/** The window operator renamed: the savepoint's "totals" state has no operator to go to. */
const RENAMED = V1.replace(".uid('totals')", ".uid('totals-v2')");

const SETTINGS: RunSettings = { ...DEFAULT_SETTINGS, checkpointInterval: 1000 };


const open: { kill(): void }[] = [];
afterEach(() => open.splice(0).forEach((w) => w.kill()));

async function worker() {
  const w = startWorker(await freshStore());
  open.push(w);
  return w;
}

/** A savepoint of version 1 taken at processing time 5,000 (mid-window, so "totals" holds state). */
async function savepointOfV1(): Promise<SavepointFile> {
  const w = await worker();
  await w.api.load(V1, SETTINGS, { jobId: 'playground', resume: false, attempt: 1 });
  await w.api.play(Number.POSITIVE_INFINITY, 5001);
  return w.api.savepoint();
}

/** What the engine gives for the same restore, in this process. */
async function engineRestore(source: string, file: SavepointFile) {
  const build = withDefaultGuarantee(loadUserModule(source, brook).build, SETTINGS.guarantee);
  const session = await DurableSession.open(build, {
    store: new MemoryDurableStore(),
    jobId: 'reference',
    seed: SETTINGS.seed,
    checkpointInterval: SETTINGS.checkpointInterval,
    resume: false,
    fromSavepoint: { file },
  });
  await session.advance();
  return session.records.map((r) => ({ key: r.key, value: r.value, window: r.window, pt: r.processingTime }));
}

function modelOf(deltas: readonly TraceDelta[], startPt: number, restoredFrom: number | null): RunModel {
  const model = new RunModel();
  model.beginAttempt(1, startPt, restoredFrom);
  for (const d of deltas) model.apply(d);
  return model;
}

describe('EngineService.load from a savepoint', () => {
  it('resumes a changed pipeline at the savepoint: its output equals the engine restoring the same file', async () => {
    const file = await savepointOfV1();
    expect(file).toMatchObject({ format: 'brook-savepoint', jobId: 'playground', time: 5000 });

    const w = await worker();
    const loaded = await w.api.load(V2, SETTINGS, { jobId: 'playground', resume: false, attempt: 1, fromSavepoint: { file, allowNonRestoredState: false } });
    expect(loaded).toMatchObject({ ok: true, restoredFrom: file.savepointId, pt: 5000 });
    expect(await w.api.play(Number.POSITIVE_INFINITY)).toMatchObject({ finished: true });
    await new Promise((r) => setTimeout(r, 20));

    const model = modelOf(w.deltas, 5000, file.savepointId);
    const got = model.sinkOutput.map((r) => ({ key: r.key, value: r.value, window: r.window, pt: r.t }));
    const expected = await engineRestore(V2, file);
    expect(got).toEqual(expected);
    // The window [4 s, 6 s) had a, b and c's readings from 4,000 to 5,000 before the savepoint:
    // restored, its sums carry on (×10 by the new map) instead of starting empty.
    expect(expected.filter((r) => r.window !== undefined && r.window !== 'global' && r.window.start === 4000)).toEqual([
      { key: 'b', value: (16 + 19 + 22) * 10, window: { start: 4000, end: 6000 }, pt: 6000 },
      { key: 'c', value: (17 + 20 + 23) * 10, window: { start: 4000, end: 6000 }, pt: 6000 },
      { key: 'a', value: (18 + 21) * 10, window: { start: 4000, end: 6000 }, pt: 6000 },
    ]);
    // No window before the savepoint's time is emitted again.
    expect(expected.every((r) => r.window !== 'global' && r.window!.end > 5000)).toBe(true);
    // The delivery report compares with the failure-free run from the same savepoint: nothing lost.
    expect((await w.api.outputReport()).sinks.map((r) => [r.sink, r.expected, r.actual, r.exact])).toEqual([['sums', expected.length, expected.length, true]]);
  });

  it('shows the restored windows as open at the start (timers of the restored keys)', async () => {
    const file = await savepointOfV1();
    const w = await worker();
    await w.api.load(V2, SETTINGS, { jobId: 'playground', resume: false, attempt: 1, fromSavepoint: { file, allowNonRestoredState: false } });
    await w.api.step();
    await new Promise((r) => setTimeout(r, 20));
    const model = modelOf(w.deltas, 5000, file.savepointId);
    const timers = pendingTimersAt(model, 5000);
    expect(openWindowsAt(model, timers, 5000).map((o) => [o.operator, o.key, o.window])).toEqual([
      ['sum TumblingWindows(2 s)', 'a', { start: 4000, end: 6000 }],
      ['sum TumblingWindows(2 s)', 'b', { start: 4000, end: 6000 }],
      ['sum TumblingWindows(2 s)', 'c', { start: 4000, end: 6000 }],
    ]);
    expect(stateTablesAt(model, 5000)).toEqual([]);
  });

  it('refuses state of an operator the new code no longer has, naming its uid, unless allowed', async () => {
    const file = await savepointOfV1();
    const refused = await (await worker()).api.load(RENAMED, SETTINGS, { jobId: 'playground', resume: false, attempt: 1, fromSavepoint: { file, allowNonRestoredState: false } });
    expect(refused).toEqual({
      ok: false,
      error: {
        kind: 'input',
        message: `cannot resume from savepoint ${file.savepointId}: the savepoint has state for operator(s) "totals" that the pipeline no longer has; give the operators their old .uid(...), or allow dropping that state (allowNonRestoredState / --allow-non-restored-state)`,
      },
    });

    const w = await worker();
    const allowed = await w.api.load(RENAMED, SETTINGS, { jobId: 'playground', resume: false, attempt: 1, fromSavepoint: { file, allowNonRestoredState: true } });
    expect(allowed).toMatchObject({ ok: true, restoredFrom: file.savepointId, pt: 5000 });
    expect(await w.api.play(Number.POSITIVE_INFINITY)).toMatchObject({ finished: true });
    await new Promise((r) => setTimeout(r, 20));
    const model = modelOf(w.deltas, 5000, file.savepointId);
    // "totals-v2" started empty: the window [4 s, 6 s) holds only what was read after 5,000 (21 of key a).
    expect(model.sinkOutput.find((r) => r.key === 'a' && r.window?.start === 4000)?.value).toBe(21);
  });

  it('stops with a savepoint: the job ends there, and the file resumes it', async () => {
    const w = await worker();
    await w.api.load(V1, SETTINGS, { jobId: 'playground', resume: false, attempt: 1 });
    await w.api.play(Number.POSITIVE_INFINITY, 3001);
    const file = await w.api.stopWithSavepoint();
    expect(file).toMatchObject({ format: 'brook-savepoint', time: 3000 });
    expect(await w.api.play(Number.POSITIVE_INFINITY)).toMatchObject({ pt: 3000, finished: false });

    const again = await worker();
    const loaded = await again.api.load(V1, SETTINGS, { jobId: 'playground', resume: false, attempt: 1, fromSavepoint: { file: file!, allowNonRestoredState: false } });
    expect(loaded).toMatchObject({ ok: true, restoredFrom: file!.savepointId, pt: 3000 });
  });
});
