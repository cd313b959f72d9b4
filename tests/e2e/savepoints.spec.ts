import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { watchErrors } from './watch-errors.ts';
import * as brook from '../../src/engine/api/index.ts';
import { withDefaultGuarantee } from '../../src/engine/api/run-pipeline.ts';
import { DurableSession } from '../../src/engine/checkpoint/durable-session.ts';
import { MemoryDurableStore } from '../../src/engine/checkpoint/memory-store.ts';
import { parseSavepointFile, type SavepointFile } from '../../src/engine/checkpoint/savepoint.ts';
import { describeSavepoint } from '../../src/cli/savepoint-command.ts';
import { DEFAULT_SETTINGS } from '../../src/worker/protocol.ts';
import { loadUserModule } from '../../src/worker/user-code.ts';

// Savepoints in the playground, in real Chromium: run a keyed windowed pipeline to 0:05, take a
// savepoint (and one more, and stop with one), change the code (a map added, uids kept), resume from the savepoint and get what
// the engine gives for the same restore; export, import, a damaged import, and a restore that
// the engine refuses. Screenshots of the toolbar menu, the dialog and the resumed run, light and dark.

const SCREENS = 'test-results/screens';

const V1 = `import { seconds, tumblingWindows, type Pipeline } from 'brook';

const readings = Array.from({ length: 60 }, (_, i) => ({ k: i % 2 ? 'odd' : 'even', v: i, t: i * 250 }));

export default (p: Pipeline) => {
  p.fromArray(readings, { timestampOf: (r) => r.t, uid: 'readings' })
    .keyBy((r) => r.k)
    .window(tumblingWindows(seconds(4)))
    .sum((r) => r.v)
    .uid('totals')
    .sink('sums');
};
`;
const V2 = V1.replace(".uid('totals')\n", ".uid('totals')\n    .map((total) => total * 10)\n");
const RENAMED = V1.replace(".uid('totals')", ".uid('totals-v2')");


async function replaceCode(page: Page, text: string): Promise<void> {
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/** Runs the loaded job forward to just past timeline time `t` (the scrubber's drag past the end). */
async function seek(page: Page, t: number): Promise<void> {
  await page.getByRole('slider', { name: /Playhead/ }).evaluate((el: HTMLInputElement, to: number) => {
    el.value = String(to);
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, t);
}

async function menuAction(page: Page, item: RegExp): Promise<void> {
  await page.getByRole('button', { name: 'Savepoints' }).click();
  await page.getByRole('menuitem', { name: item }).click();
}

/** The output panel's rows as [key, value, window]. */
async function outputRows(page: Page): Promise<string[][]> {
  return page.locator('.brook-out-row').evaluateAll((rows) =>
    rows.map((row) => {
      const cells = [...row.querySelectorAll('[role="cell"]')].map((c) => c.textContent ?? '');
      return [cells[2]!, cells[3]!, cells[5]!];
    }),
  );
}

/** What the engine gives for the same restore, in this process (as `brook run --from-savepoint`). */
async function engineRestore(source: string, file: SavepointFile) {
  // The playground's settings with its scripted input cleared, as the test does in Run settings.
  const settings = DEFAULT_SETTINGS;
  const build = withDefaultGuarantee(loadUserModule(source, brook).build, settings.guarantee);
  const session = await DurableSession.open(build, {
    store: new MemoryDurableStore(),
    jobId: 'reference',
    seed: settings.seed,
    checkpointInterval: settings.checkpointInterval,
    resume: false,
    fromSavepoint: { file },
  });
  await session.advance();
  return session.records;
}

test('take a savepoint, change the code, resume from it: the output is the engine\'s restore; export, import and errors', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await page.goto('/#/playground');
  await expect(page.locator('.monaco-editor')).toBeVisible({ timeout: 30_000 });
  await replaceCode(page, V1);
  // The code reads an array, not p.input(): clear the playground's scripted input.
  await page.getByRole('button', { name: 'Run settings' }).click();
  await page.getByRole('dialog', { name: 'Run settings' }).getByRole('textbox', { name: /TestStream JSON/ }).fill('');
  await page.getByRole('dialog', { name: 'Run settings' }).getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('combobox', { name: /Speed/ }).selectOption({ label: 'max' });
  await page.getByRole('button', { name: /^Reset/ }).click();
  await expect(page.locator('[data-status]')).toHaveText('Ready', { timeout: 30_000 });

  // Two savepoints: at 0:05 (the window [0:04, 0:08) half full) and at 0:09.
  await seek(page, 5001);
  await expect(page.locator('[data-status]')).toHaveText('Paused', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Savepoints' }).click();
  await expect(page.getByRole('menuitem', { name: /Take savepoint/ })).toBeFocused();
  await page.screenshot({ path: `${SCREENS}/savepoints-menu.png` });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: `${SCREENS}/savepoints-menu-dark.png` });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: /Savepoint \d+ taken at processing time 5000 ms/ })).toBeVisible({ timeout: 20_000 });
  await seek(page, 9001);
  await expect(page.locator('.scrubber .now')).toHaveText('0:09.001', { timeout: 30_000 });
  await menuAction(page, /Take savepoint/);
  await expect(page.getByRole('status').filter({ hasText: /taken at processing time 9000 ms/ })).toBeVisible({ timeout: 20_000 });
  await page.screenshot({ path: `${SCREENS}/savepoints-taken.png`, clip: { x: 0, y: 90, width: 1280, height: 130 } });
  // Stop with savepoint: the job stops there, and says so.
  await menuAction(page, /Stop with savepoint/);
  await expect(page.locator('[data-status]')).toHaveText(/^Stopped with savepoint \d+$/, { timeout: 20_000 });
  await page.getByRole('button', { name: 'Savepoints' }).click();
  await expect(page.getByRole('menuitem', { name: /Take savepoint/ })).toBeDisabled();
  await page.keyboard.press('Escape');

  // The dialog lists both, newest first, with their operators; it is reached by keyboard.
  await page.getByRole('button', { name: 'Savepoints' }).focus();
  await page.keyboard.press('ArrowDown');
  await page.getByRole('menuitem', { name: /Savepoints…/ }).press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Savepoints' });
  await expect(dialog).toBeVisible();
  const entries = dialog.getByRole('listitem');
  await expect(entries).toHaveCount(3);
  await expect(entries.nth(0)).toContainText('stopped with');
  await expect(entries.nth(0)).toContainText('9000 ms');
  await expect(entries.nth(1)).toContainText('9000 ms');
  await expect(entries.nth(2)).toContainText('5000 ms');
  await expect(entries.nth(2).getByRole('row', { name: /totals/ })).toContainText(/totals\s*1\s*2/);
  await page.screenshot({ path: `${SCREENS}/savepoints-dialog.png` });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: `${SCREENS}/savepoints-dialog-dark.png` });
  await page.emulateMedia({ colorScheme: 'light' });

  // Export: the file the command line reads.
  const [download] = await Promise.all([page.waitForEvent('download'), entries.nth(2).getByRole('button', { name: 'Export' }).click()]);
  const exportedPath = `${SCREENS}/../${download.suggestedFilename()}`;
  await download.saveAs(exportedPath);
  const exportedText = readFileSync(exportedPath, 'utf8');
  const file = parseSavepointFile(exportedText, download.suggestedFilename());
  expect(file).toMatchObject({ format: 'brook-savepoint', jobId: 'playground', time: 5000 });
  expect(download.suggestedFilename()).toBe(`playground-savepoint-${file.savepointId}.json`);
  expect(describeSavepoint(file)[0]).toBe(`savepoint ${file.savepointId} of job "playground", taken at processing time 5000 (seed 1)`);

  // Import round-trips: the imported copy exports the very same text.
  await dialog.getByLabel('Import a savepoint file').setInputFiles(exportedPath);
  await expect(dialog.getByRole('status')).toHaveText(`✓ Imported savepoint ${file.savepointId} from ${download.suggestedFilename()}.`);
  await expect(entries).toHaveCount(4);
  await expect(entries.nth(0)).toContainText(`imported from ${download.suggestedFilename()}`);
  const [again] = await Promise.all([page.waitForEvent('download'), entries.nth(0).getByRole('button', { name: 'Export' }).click()]);
  await again.saveAs(`${exportedPath}.again`);
  expect(readFileSync(`${exportedPath}.again`, 'utf8')).toBe(exportedText);

  // A damaged file: the command line's error, and nothing kept is lost.
  const damaged = exportedText.replace('"time": 5000', '"time": 4000');
  await dialog.getByLabel('Import a savepoint file').setInputFiles({ name: 'edited.json', mimeType: 'application/json', buffer: Buffer.from(damaged) });
  await expect(dialog.getByRole('alert')).toContainText('edited.json: the savepoint is damaged or was edited: its checksum does not match its contents');
  await dialog.getByLabel('Import a savepoint file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await expect(dialog.getByRole('alert')).toContainText('notes.txt: not a savepoint: the file is not JSON');
  await expect(entries).toHaveCount(4);
  await page.screenshot({ path: `${SCREENS}/savepoints-import-error.png` });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: `${SCREENS}/savepoints-import-error-dark.png` });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // A renamed operator: the engine refuses, naming the uid, and the page stays usable.
  await replaceCode(page, RENAMED);
  await menuAction(page, /Savepoints…/);
  await entries.nth(3).getByRole('button', { name: 'Resume from this' }).click();
  await expect(dialog.getByRole('alert')).toContainText(
    `cannot resume from savepoint ${file.savepointId}: the savepoint has state for operator(s) "totals" that the pipeline no longer has`,
  );
  await expect(dialog).toBeVisible();

  // The changed code (a map added, uids kept) resumes from the savepoint at 0:05 (its imported copy).
  await page.keyboard.press('Escape');
  await replaceCode(page, V2);
  await menuAction(page, /Savepoints…/);
  await entries.nth(0).getByRole('button', { name: 'Resume from this' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('[data-status]')).toHaveText(`Finished · from savepoint ${file.savepointId}`, { timeout: 30_000 });

  const expected = (await engineRestore(V2, file)).map((r) => [String(r.key), String(r.value), r.window]);
  // Even keys 16, 18 and odd 17, 19 were in the window [4 s, 8 s) before the savepoint.
  expect(expected.map(([k, v]) => [k, v])).toEqual([
    ['even', String((16 + 18 + 20 + 22 + 24 + 26 + 28 + 30) * 10)],
    ['odd', String((17 + 19 + 21 + 23 + 25 + 27 + 29 + 31) * 10)],
    ['even', String((32 + 34 + 36 + 38 + 40 + 42 + 44 + 46) * 10)],
    ['odd', String((33 + 35 + 37 + 39 + 41 + 43 + 45 + 47) * 10)],
    ['even', String((48 + 50 + 52 + 54 + 56 + 58) * 10)],
    ['odd', String((49 + 51 + 53 + 55 + 57 + 59) * 10)],
  ]);
  // Set against the failure-free run from the same savepoint: nothing lost, nothing duplicated.
  await expect(page.locator('[data-panel="output"]')).toContainText(/↻ 0\s*duplicated\s*∅ 0\s*lost vs\. failure-free run/, { timeout: 20_000 });
  expect((await outputRows(page)).map(([k, v]) => [k, v])).toEqual(expected.map(([k, v]) => [k, v]));
  await expect(page.locator('[data-panel="checkpoints"]')).toContainText(`attempt 1 (from savepoint #${file.savepointId})`);
  // The state panel at the restore (0:05): the restored windows of both keys hold state.
  await page.getByRole('button', { name: 'State', exact: true }).click();
  await seek(page, 5000);
  await page.locator('[data-panel="state"]').scrollIntoViewIfNeeded();
  const state = page.locator('[data-panel="state"]');
  await expect(state).toContainText('even [0:04, 0:08)');
  await expect(state).toContainText('odd [0:04, 0:08)');
  await expect(state).toContainText('Pending timers (2)');
  await page.screenshot({ path: `${SCREENS}/savepoints-resumed.png` });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: `${SCREENS}/savepoints-resumed-dark.png` });
  expect(errors).toEqual([]);
});
