import { expect, test, type Page } from '@playwright/test';
import { encodeShare } from '../../src/app/share/share-codec.ts';
import { DEFAULT_SETTINGS } from '../../src/worker/protocol.ts';

// A job whose state is large enough that its checkpoints hold binary parts (a backend's entry
// list as typed columns: src/engine/checkpoint/binary-rows.ts) crashes for real (its worker is
// terminated) and recovers from what the store worker wrote into the browser's IndexedDB: the
// exactly-once output equals the failure-free run's, and the stored rows are binary chunks.

const code = `import { type Pipeline } from 'brook';

export default (p: Pipeline) => {
  // 2,000 keys, two records each, 25 ms apart in event time: a running total per key.
  const records = Array.from({ length: 4000 }, (_, i) => ({ key: i % 2000, value: 1 + (i % 7), at: i * 25 }));
  p.fromArray(records, { timestampOf: (r) => r.at })
    .keyBy((r) => r.key)
    .process<{ key: number; total: number }>({
      processElement(r, ctx) {
        const total = ctx.state.value<number>('total');
        total.update((total.value() ?? 0) + r.value);
        ctx.output({ key: r.key, total: total.value()! });
      },
    })
    .sinkTo('totals', { guarantee: 'exactlyOnce' });
};
`;

type Summary = { checkpoints: string; written: number; rolledBack: number };

/** Once the finished run's output panel caught up: what the panels say of the crash and the output. */
async function summary(page: Page): Promise<Summary> {
  await expect(page.locator('[data-status]')).toHaveText(/Finished · attempt 2/, { timeout: 60_000 });
  const panel = page.locator('[data-panel="output"]');
  // Every one of the 4,000 records, plus the copies the crash rolled back.
  const counts = async () => {
    const all = Number(/All sinks · (\d+)/.exec((await panel.locator('[data-sink=""]').textContent()) ?? '')?.[1]);
    const chip = (await panel.locator('.brook-out-chip').filter({ hasText: 'rolled back' }).textContent()) ?? '';
    return { written: all, rolledBack: Number(/(\d+)/.exec(chip)?.[1] ?? NaN) };
  };
  await expect.poll(async () => ((c) => c.written - c.rolledBack)(await counts()), { timeout: 20_000 }).toBe(4000);
  await expect(panel.locator('.brook-out-chip').first()).toHaveText('↻ 0duplicated');
  await expect(panel.locator('.brook-out-chip').filter({ hasText: 'lost' })).toHaveText('∅ 0lost vs. failure-free run');
  await expect(panel.locator('.brook-out-row.o-duplicate')).toHaveCount(0);
  // The checkpoints panel: each checkpoint, the crash, the restore and what was replayed.
  const checkpoints = (await page.locator('[data-panel="checkpoints"]').innerText()).replace(/\s+/g, ' ');
  return { checkpoints, ...(await counts()) };
}

/** Opens `link` (or the shared run `s`) in `page`, runs it flat out to its end and summarises it. */
async function runToEnd(page: Page, link: string): Promise<Summary> {
  await page.goto(link);
  await page.getByRole('combobox', { name: /Speed/ }).selectOption({ label: 'max' });
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  return summary(page);
}

const shared = (crashAt: number[]) =>
  `/#/playground?s=${encodeShare({ code, settings: { ...DEFAULT_SETTINGS, checkpointInterval: 20_000, crashAt, guarantee: 'exactlyOnce' }, panels: ['output', 'checkpoints'] })}`;

test('a job with 2,000 keys of state crashes and recovers from binary checkpoint parts with exactly the failure-free output, the same run every time', async ({ page, browser }) => {
  test.setTimeout(150_000);
  const first = await runToEnd(page, shared([70_000]));
  // Struck at the last event before 70 s; checkpoint 3 (60 s) restored; the 399 records between replayed.
  expect(first.checkpoints).toContain('Attempt 2 began at 1:09.975 after “crash at processing time 70000 (planned)” at 1:09.975; restored checkpoint 3');
  expect(first.checkpoints).toContain('399 records read again');
  await page.screenshot({ path: 'test-results/screens/large-state-recovery.png' });
  // What the store worker wrote: the keyed part's rows are binary chunks, the small parts text.
  const rows = await page.evaluate(async () => {
    const names = (await indexedDB.databases()).map((d) => d.name!).filter((n) => n.startsWith('brook-job-'));
    const kinds: string[] = [];
    for (const name of names) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      if (db.objectStoreNames.contains('checkpointParts')) {
        const all = await new Promise<{ name: string; data: unknown }[]>((resolve, reject) => {
          const r = db.transaction('checkpointParts').objectStore('checkpointParts').getAll();
          r.onsuccess = () => resolve(r.result as { name: string; data: unknown }[]);
          r.onerror = () => reject(r.error);
        });
        for (const row of all) kinds.push(`${row.name.split('#')[0]}:${row.data instanceof Uint8Array ? 'binary' : typeof row.data}`);
      }
      db.close();
    }
    return kinds;
  });
  expect(rows.some((k) => k.startsWith('process') && k.endsWith(':binary'))).toBe(true);
  expect(rows.some((k) => k.startsWith('job') && k.endsWith(':string'))).toBe(true);
  // The same link in a fresh browser context is the same run: the crash where it was planned,
  // the same restore and replay, the same output (the first run of a cold page once differed:
  // its last deltas before the crash were lost with the killed worker).
  const context = await browser.newContext();
  try {
    const second = await runToEnd(await context.newPage(), shared([70_000]));
    expect(second).toEqual(first);
  } finally {
    await context.close();
  }
});

test('"Crash now" strikes where a link can replay it: the shared link in a fresh context is the same run', async ({ page, browser }) => {
  test.setTimeout(150_000);
  await page.goto(shared([]));
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.getByRole('combobox', { name: /Speed/ }).selectOption({ label: '10 s/s' });
  await expect(page.locator('[data-status]')).toHaveText(/Running/, { timeout: 30_000 });
  // Some 40 s of processing time in (two checkpoints), the button kills the worker.
  await page.waitForTimeout(4_000);
  await page.getByRole('button', { name: 'Crash now' }).click();
  await expect(page.locator('[data-status]')).toHaveText(/attempt 2/, { timeout: 30_000 });
  await page.getByRole('combobox', { name: /Speed/ }).selectOption({ label: 'max' });
  const first = await summary(page);
  expect(first.checkpoints).toMatch(/after “crash at processing time \d+ \(planned\)”/);
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByRole('dialog', { name: 'Share this run' }).getByRole('textbox', { name: 'Link', exact: true }).inputValue();
  const context = await browser.newContext();
  try {
    const second = await runToEnd(await context.newPage(), link);
    expect(second).toEqual(first);
  } finally {
    await context.close();
  }
});
