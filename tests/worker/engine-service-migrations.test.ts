import { afterEach, describe, expect, it } from 'vitest';
import type { SavepointFile } from '../../src/engine/checkpoint/savepoint.ts';
import { RunModel } from '../../src/viz/run-model.ts';
import { DEFAULT_SETTINGS, type RunSettings } from '../../src/worker/protocol.ts';
import { freshStore, startWorker, type TestWorker } from './worker-harness.ts';

// The browser's "Resume from this" with a changed state: the worker's load() from a savepoint
// applies the module's `export const migrations`, and a refused or failed restore reaches the
// page as a CodeError with the engine's message (comlink over MessageChannels, fake-indexeddb).

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

/** The window now keeps { sum, n } and emits "sum/n": an aggregate instead of a sum. */
const average = (migrations: string) =>
  V1.replace('.sum((r) => r.v)', '.aggregate({ createAccumulator: () => ({ sum: 0, n: 0 }), add: (r, a: { sum: number; n: number }) => ({ sum: a.sum + r.v, n: a.n + 1 }), getResult: (a) => `${a.sum}/${a.n}` })').replace(
    "import { seconds, tumblingWindows, type Pipeline } from 'brook';",
    `import { seconds, tumblingWindows, type Pipeline, type StateMigrations } from 'brook';\n${migrations}`,
  );
/** Readings before the savepoint were summed, not counted: the migration keeps the sum with n = 0. */
const MIGRATED = average("export const migrations: StateMigrations = { totals: { 'window-panes': (old) => (typeof old === 'number' ? { sum: old, n: 0 } : old) } };");
const THROWS = average("export const migrations: StateMigrations = { totals: { 'window-panes': (old, ctx) => { if (ctx.key === 'b') throw new Error('b has no tariff'); return { sum: old, n: 0 }; } } };");

const SETTINGS: RunSettings = { ...DEFAULT_SETTINGS, checkpointInterval: 1000 };

const open: { kill(): void }[] = [];
afterEach(() => open.splice(0).forEach((w) => w.kill()));

async function worker(): Promise<TestWorker> {
  const w = startWorker(await freshStore());
  open.push(w);
  return w;
}

/** A savepoint of version 1 at processing time 5,000: the window [4 s, 6 s) holds readings 16..20. */
async function savepointOfV1(): Promise<SavepointFile> {
  const w = await worker();
  await w.api.load(V1, SETTINGS, { jobId: 'playground', resume: false, attempt: 1 });
  await w.api.play(Number.POSITIVE_INFINITY, 5001);
  return w.api.savepoint();
}

const from = (file: SavepointFile) => ({ jobId: 'playground', resume: false, attempt: 1, fromSavepoint: { file, allowNonRestoredState: false } });

describe('EngineService.load from a savepoint into a changed state', () => {
  it('refuses a window sum restored into an aggregate without migrations, as a CodeError naming the uid and state', async () => {
    const file = await savepointOfV1();
    const refused = await (await worker()).api.load(average(''), SETTINGS, from(file));
    expect(refused).toEqual({
      ok: false,
      error: {
        kind: 'input',
        message:
          `cannot resume from savepoint ${file.savepointId}: operator "totals": state "window-panes" was kept by a window sum and the new pipeline keeps it with a window aggregate, which cannot read it. ` +
          "Either migrate it (export const migrations = { 'totals': { 'window-panes': (old, ctx) => newValue } } in the pipeline file), " +
          'or give the operator a new .uid(...) so it starts empty (and allowNonRestoredState / --allow-non-restored-state to drop the old state)',
      },
    });
  });

  it("applies the module's export const migrations: the restored windows go on with the migrated sums", async () => {
    const file = await savepointOfV1();
    const w = await worker();
    expect(await w.api.load(MIGRATED, SETTINGS, from(file))).toMatchObject({ ok: true, restoredFrom: file.savepointId, pt: 5000 });
    expect(await w.api.play(Number.POSITIVE_INFINITY)).toMatchObject({ finished: true });
    await new Promise((r) => setTimeout(r, 20));
    const model = new RunModel();
    model.beginAttempt(1, 5000, file.savepointId);
    for (const d of w.deltas) model.apply(d);
    // [4 s, 6 s): a had 18, b 16 and 19, c 17 and 20 before the savepoint (sums, n = 0);
    // after it come 21 (a), 22 (b), 23 (c): one counted reading each.
    expect(model.sinkOutput.filter((r) => r.window?.start === 4000).map((r) => [r.key, r.value])).toEqual([
      ['b', `${16 + 19 + 22}/1`],
      ['c', `${17 + 20 + 23}/1`],
      ['a', `${18 + 21}/1`],
    ]);
    // A later window never saw the savepoint: 8 readings, 2 or 3 per key, all counted.
    expect(model.sinkOutput.find((r) => r.key === 'a' && r.window?.start === 6000)?.value).toBe(`${24 + 27 + 30}/3`);
  });

  it('reports a migration that throws as a CodeError naming the operator, state and key, and restores nothing', async () => {
    const file = await savepointOfV1();
    const before = JSON.stringify(file);
    const w = await worker();
    expect(await w.api.load(THROWS, SETTINGS, from(file))).toEqual({
      ok: false,
      error: {
        kind: 'input',
        message: `cannot resume from savepoint ${file.savepointId}: the migration of state "window-panes" of operator "totals" threw for key "b" in window [4000, 6000): Error: b has no tariff; nothing was restored`,
      },
    });
    expect(JSON.stringify(file)).toBe(before);
    expect(w.deltas).toEqual([]);
  });

  it('refuses a migrations export that is not functions per uid and state, as a definition error', async () => {
    const result = await (await worker()).api.load(average("export const migrations = { totals: ['window-panes'] };"), SETTINGS, { jobId: 'playground', resume: false, attempt: 1 });
    expect(result).toEqual({
      ok: false,
      error: { kind: 'definition', message: "export migrations.totals: expected an object of state names to migration functions { 'operator-uid': { 'state-name': (old, ctx) => newValue } }, got an array" },
    });
  });
});
