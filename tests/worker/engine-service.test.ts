import { afterEach, describe, expect, it } from 'vitest';
import * as brook from '../../src/engine/api/index.ts';
import { runPipeline, withDefaultGuarantee } from '../../src/engine/api/run-pipeline.ts';
import { RunModel } from '../../src/viz/run-model.ts';
import { DEFAULT_SETTINGS, type RunSettings } from '../../src/worker/protocol.ts';
import { loadUserModule } from '../../src/worker/user-code.ts';
import { freshStore, startWorker } from './worker-harness.ts';

// The worker's API as the page uses it: comlink over a MessageChannel, the store reached through
// a second channel (store-rpc.ts) and kept on IndexedDB (fake-indexeddb), as in the browser.

const PIPELINE = `import { seconds, testStream, tumblingWindows, type Pipeline } from 'brook';

interface Reading { k: string; v: number }

export default (p: Pipeline) => {
  let input = testStream<Reading>().advanceWatermarkTo(0);
  for (let i = 0; i < 40; i++) {
    input = input.addElements({ value: { k: i % 2 ? 'a' : 'b', v: i }, timestamp: i * 500 }).advanceProcessingTime(500).advanceWatermarkTo(i * 500);
  }
  p.input<Reading>({ default: input.advanceWatermarkToInfinity() })
    .keyBy((r) => r.k)
    .window(tumblingWindows(seconds(5)))
    .sum((r) => r.v)
    .sink('sums');
};
`;

const SETTINGS: RunSettings = { ...DEFAULT_SETTINGS, checkpointInterval: 1000 };

const open: { kill(): void }[] = [];
afterEach(() => open.splice(0).forEach((w) => w.kill()));


describe('EngineService over a MessageChannel', () => {
  it('plays a job to its end; the deltas folded into a RunModel hold the same panes as runPipeline', async () => {
    const worker = startWorker(await freshStore());
    open.push(worker);
    const loaded = await worker.api.load(PIPELINE, SETTINGS, { jobId: 'job', resume: false, attempt: 1 });
    expect(loaded).toMatchObject({ ok: true, restoredFrom: null, pt: 0 });
    const result = await worker.api.play(Number.POSITIVE_INFINITY);
    expect(result).toEqual({ pt: result.pt, finished: true, deltas: expect.any(Number) });
    await new Promise((r) => setTimeout(r, 20));
    // The answer names the deltas sent before it (a planned crash waits for them): all that come.
    expect(worker.deltas).toHaveLength(result.deltas!);

    const model = new RunModel();
    model.beginAttempt(1, 0, null);
    for (const d of worker.deltas) model.apply(d);
    const build = withDefaultGuarantee(loadUserModule(PIPELINE, brook).build, SETTINGS.guarantee);
    const reference = runPipeline(build, { seed: SETTINGS.seed, collectTrace: true }).trace.flatMap((e) =>
      e.type === 'paneFired' ? [{ key: e.key, window: e.window, value: e.value, pt: e.pt, pane: e.pane }] : [],
    );
    expect(model.panes.map((p) => ({ key: p.key, window: p.window, value: p.value, pt: p.pt, pane: p.pane }))).toEqual(reference);
    expect(reference).toHaveLength(8);
    expect(model.finished).toBe(true);
    expect(model.records.length).toBe(40);
    expect(worker.deltas.at(-1)!.finished).toBe(true);
    expect((await worker.api.outputReport()).sinks.map((s) => [s.sink, s.expected, s.actual, s.exact])).toEqual([['sums', 8, 8, true]]);
  });

  it('steps one event at a time and stops a play at `until` (exclusive)', async () => {
    const worker = startWorker(await freshStore());
    open.push(worker);
    await worker.api.load(PIPELINE, SETTINGS, { jobId: 'job', resume: false, attempt: 1 });
    const stopped = await worker.api.play(Number.POSITIVE_INFINITY, 3000);
    expect(stopped).toEqual({ pt: 2500, finished: false, reachedUntil: true, deltas: expect.any(Number) });
    await new Promise((r) => setTimeout(r, 20));
    expect(worker.deltas).toHaveLength(stopped.deltas!);
    const stepped = await worker.api.step();
    expect(stepped.pt).toBe(3000);
  });

  it('resumes in a fresh worker after the first is dropped, and delivers exactly once', async () => {
    const store = await freshStore();
    const first = startWorker(store);
    await first.api.load(PIPELINE, SETTINGS, { jobId: 'job', resume: false, attempt: 1 });
    expect(await first.api.play(Number.POSITIVE_INFINITY, 7200)).toMatchObject({ pt: 7000, finished: false });
    first.kill();

    const second = startWorker(store);
    open.push(second);
    const loaded = await second.api.load(PIPELINE, SETTINGS, { jobId: 'job', resume: true, attempt: 2 });
    expect(loaded).toMatchObject({ ok: true, restoredFrom: 7, pt: 7000 });
    expect(await second.api.play(Number.POSITIVE_INFINITY)).toMatchObject({ finished: true });
    const report = await second.api.outputReport();
    expect(report.sinks.map((s) => [s.sink, s.expected, s.actual, s.duplicates, s.losses, s.exact])).toEqual([['sums', 8, 8, 0, 0, true]]);
    expect(second.deltas[0]!.attempt).toBe(2);
  });

  it('reports a throw in user code at its line, and a definition error at load', async () => {
    const worker = startWorker(await freshStore());
    open.push(worker);
    const throwing = PIPELINE.replace('.sum((r) => r.v)', ".sum((r) => { if (r.v === 3) throw new Error('three'); return r.v; })");
    await worker.api.load(throwing, { ...SETTINGS, restart: { kind: 'none' } }, { jobId: 'job', resume: false, attempt: 1 });
    const result = await worker.api.play(Number.POSITIVE_INFINITY);
    expect(result.error).toMatchObject({ kind: 'runtime', line: 13 });
    expect(result.error!.message).toContain('threw Error: three');

    const other = startWorker(await freshStore());
    open.push(other);
    const bad = await other.api.load(PIPELINE.replace(".sink('sums')", ''), SETTINGS, { jobId: 'job', resume: false, attempt: 1 });
    expect(bad).toEqual({ ok: false, error: { kind: 'definition', message: expect.stringContaining('has no sink') } });
  });
});

// 50 keys counted at time 0, then one key a second: after the first (full) checkpoint, the next
// ones write only that key's change.
const COUNTS = `import { testStream, type Pipeline } from 'brook';

export default (p: Pipeline) => {
  let input = testStream<string>().advanceWatermarkTo(0);
  for (let i = 0; i < 50; i++) input = input.addElements({ value: 'k' + i, timestamp: 0 });
  for (let i = 0; i < 10; i++) input = input.advanceProcessingTime(1000).addElements({ value: 'k7', timestamp: (i + 1) * 1000 });
  p.input<string>({ default: input.advanceWatermarkToInfinity() })
    .keyBy((k) => k)
    .process<string>({
      processElement(k, ctx) {
        const n = ctx.state.value<number>('n');
        n.update((n.value() ?? 0) + 1);
        ctx.output(k + '=' + n.value());
      },
    })
    .sink('counts');
};
`;

describe('incremental checkpoints in the worker', () => {
  it('settings.incremental writes deltas after the first full checkpoint, and a fresh worker restores from the chain exactly once', async () => {
    const store = await freshStore();
    const settings: RunSettings = { ...SETTINGS, incremental: true };
    const first = startWorker(store);
    await first.api.load(COUNTS, settings, { jobId: 'inc', resume: false, attempt: 1 });
    expect(await first.api.play(Number.POSITIVE_INFINITY, 6500)).toMatchObject({ finished: false });
    await new Promise((r) => setTimeout(r, 20));
    const model = new RunModel();
    model.beginAttempt(1, 0, null);
    for (const d of first.deltas) model.apply(d);
    const completed = model.checkpoints.filter((c) => c.completedT !== undefined);
    expect(completed.map((c) => c.incremental === true)).toEqual([false, true, true, true, true, true]);
    // Characters written, and what a restore reads: the counter's part is a one-key delta on the
    // chain (the source, sink and job parts are written whole each time), so a restore reads the
    // full part and every delta after it.
    expect(completed.map((c) => [c.size, c.fullSize])).toEqual([[1709, 1709], [1487, 2636], [1487, 3091], [1487, 3546], [1487, 4001], [1487, 4456]]);
    first.kill();

    const second = startWorker(store);
    open.push(second);
    expect(await second.api.load(COUNTS, settings, { jobId: 'inc', resume: true, attempt: 2 })).toMatchObject({ ok: true, restoredFrom: 6 });
    expect(await second.api.play(Number.POSITIVE_INFINITY)).toMatchObject({ finished: true });
    const report = await second.api.outputReport();
    expect(report.sinks.map((s) => [s.sink, s.expected, s.actual, s.duplicates, s.losses])).toEqual([['counts', 60, 60, 0, 0]]);
  });
});

// A job long enough to run for seconds flat out: one record per ms of processing time.
const LONG = `import { type Pipeline } from 'brook';

export default (p: Pipeline) => {
  const numbers = Array.from({ length: 2_000_000 }, (_, i) => i);
  p.fromArray(numbers, { timestampOf: (n) => n }).map((n) => n * 2).sink('doubled');
};
`;

describe('flow control between the worker and the page', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /**
   * Flushes a second a flat-out job sends in about `window` ms of wall time, after the page
   * acknowledged the first delta and then never again. A flush is counted once however many
   * parts it was split into (every part of a flush carries the same clock, `pt`): splitting
   * follows how many events a flush holds, not flow control.
   */
  async function flushRate(window: number): Promise<number> {
    const worker = startWorker(await freshStore());
    open.push(worker);
    await worker.api.load(LONG, { ...SETTINGS, checkpointInterval: null }, { jobId: 'flow', resume: false, attempt: 1 });
    void worker.api.play(Number.POSITIVE_INFINITY);
    while (worker.deltas.length < 1) await sleep(5);
    await worker.acknowledge(0); // a page that acknowledges, but never draws
    const before = worker.deltas.length;
    const start = performance.now();
    await sleep(window);
    const flushes = new Set(worker.deltas.slice(before).map((d) => d.pt)).size;
    const rate = (flushes * 1000) / (performance.now() - start);
    await worker.api.pause();
    return rate;
  }

  it('keeps at most two deltas ahead of a page that acknowledges, waiting up to 250 ms for it', async () => {
    // Flat out, unacknowledged, this job flushes every 33 ms of work, about 30 a second (a page
    // that never acknowledges is never waited for: the tests above play to the end without
    // any). Waiting: two ahead, then one slice (one flush) per 250 ms timeout, about 4 a second
    // here plus the two; 10 leaves room for a loaded machine's longer slices.
    expect(await flushRate(1500)).toBeLessThan(10);
  }, 60_000);

  it('an acknowledgement of none before play holds the job to two deltas ahead from its first', async () => {
    // What the page's host does at once (sandbox.ts): a run's first frame then gets at most two
    // deltas, not all the engine made before the page's first paint.
    const worker = startWorker(await freshStore());
    open.push(worker);
    await worker.api.load(LONG, { ...SETTINGS, checkpointInterval: null }, { jobId: 'flow-first', resume: false, attempt: 1 });
    await worker.acknowledge(0);
    void worker.api.play(Number.POSITIVE_INFINITY);
    await sleep(400);
    const flushes = new Set(worker.deltas.map((d) => d.pt)).size;
    await worker.api.pause();
    // Two, then one per 250 ms wait: 3-4 (unacknowledged, ~12 flushes in 400 ms).
    expect(flushes).toBeLessThanOrEqual(4);
    expect(flushes).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('goes on as soon as the page acknowledges what it drew', async () => {
    const worker = startWorker(await freshStore());
    open.push(worker);
    await worker.api.load(LONG, { ...SETTINGS, checkpointInterval: null }, { jobId: 'flow-ack', resume: false, attempt: 1 });
    void worker.api.play(Number.POSITIVE_INFINITY);
    while (worker.deltas.length < 1) await sleep(5);
    await worker.acknowledge(0);
    let drawn = 0;
    const start = performance.now();
    while (worker.deltas.length < 20 && performance.now() - start < 20_000) {
      if (worker.deltas.length > drawn) await worker.acknowledge((drawn = worker.deltas.length));
      await sleep(5);
    }
    expect(worker.deltas.length).toBeGreaterThanOrEqual(20);
    // Never more than two ahead of the last acknowledgement, plus the split parts of one flush.
    await worker.api.pause();
  }, 60_000);
});
