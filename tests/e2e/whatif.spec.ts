import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { watchErrors } from './watch-errors.ts';
import { encodeShare } from '../../src/app/share/share-codec.ts';
import { DEFAULT_SETTINGS } from '../../src/worker/protocol.ts';

const sessionsCode = readFileSync('examples/sessions.ts', 'utf8');
const sessionsInput: unknown = JSON.parse(readFileSync('examples/sessions-input.json', 'utf8'));

// What-if: two variants of one run side by side on one clock, with the differences in their
// output highlighted; the presets that set B up from A; a link that carries both.

const SCREENS = 'test-results/screens';


test('exactly-once against at-least-once through the same crash: B has the replayed duplicates, highlighted', async ({ page }) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  // A checkpoint a minute and a crash at 1:30: the replay repeats half a minute of output.
  const settings = { ...DEFAULT_SETTINGS, input: sessionsInput, checkpointInterval: 60_000, crashAt: [90_000] };
  const s = encodeShare({ code: sessionsCode, settings, panels: ['output'], compare: { code: sessionsCode, settings: { ...settings, guarantee: 'atLeastOnce' } } });
  await page.goto(`/#/playground?s=${s}`);
  await expect(page.getByRole('button', { name: 'Compare' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('heading', { name: /^A exactly-once$/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: /^B at-least-once$/ })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'B' })).toBeVisible();
  await expect(page.locator('.monaco-editor')).toBeVisible({ timeout: 30_000 });

  await page.getByRole('combobox', { name: /Speed/ }).selectOption({ label: 'max' });
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.locator('[data-status]')).toHaveText(/Finished · attempt 2/, { timeout: 30_000 });

  const extra = page.locator('tr[data-diff="onlyB"]');
  await expect(extra.first()).toBeVisible({ timeout: 30_000 });
  await expect(extra.first()).toContainText('only in B (extra copy)');
  expect(await page.locator('tr[data-diff="onlyA"], tr[data-diff="changed"]').count()).toBe(0);
  const summary = page.getByRole('status').filter({ hasText: 'only in B' });
  await expect(summary).toContainText(`${await extra.count()} only in B`);
  // Both output panels are drawn, A beside B.
  await expect(page.locator('[data-run="a"] [data-panel="output"]')).toBeVisible();
  await expect(page.locator('[data-run="b"] [data-panel="output"]')).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/whatif-guarantee.png` });

  // Scrubbing back to just before the crash: no replay yet, so no difference at that moment.
  await page.getByRole('slider', { name: /Playhead/ }).evaluate((el: HTMLInputElement) => {
    el.value = '89000';
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await expect(page.locator('tr[data-diff="onlyB"]')).toHaveCount(0);
  await expect(page.locator('#diff-title + [role="status"]')).toHaveText(/^(No output yet\.|A and B agree: \d+ results? the same\.)$/);
  expect(errors).toEqual([]);
});

test('presets set B up from A and say what they did; a share link carries both runs', async ({ page, browser }) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  await page.goto('/#/playground');
  await expect(page.locator('.monaco-editor')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Compare' }).click();
  const bar = page.getByRole('group', { name: 'What-if comparison' });

  // The sessions example has no bounded watermark: the preset says so and leaves B alone.
  await bar.getByRole('button', { name: 'Watermark delay 30 s' }).click();
  await expect(bar.getByRole('status')).toHaveText('The code has no boundedOutOfOrderness(...) watermark strategy to change.');

  await bar.getByRole('button', { name: 'Discarding ↔ accumulating' }).click();
  await expect(bar.getByRole('status')).toContainText('.accumulatingFiredPanes() became .discardingFiredPanes()');
  await expect(page.getByRole('heading', { name: /^B discarding$/ })).toBeVisible();
  await page.getByRole('tab', { name: 'B' }).click();
  await expect(page.getByRole('tab', { name: 'B' })).toHaveAttribute('aria-selected', 'true');
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+End');
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('discardingFiredPanes', { timeout: 20_000 });

  await page.getByRole('combobox', { name: /Speed/ }).selectOption({ label: 'max' });
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.locator('[data-status]')).toHaveText(/Finished/, { timeout: 30_000 });
  // Accumulating panes repeat earlier scores, discarding ones do not: later panes differ.
  await expect(page.locator('tr[data-diff="changed"]').first()).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: `${SCREENS}/whatif-accumulation.png` });

  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByRole('dialog', { name: 'Share this run' }).getByRole('textbox', { name: 'Link', exact: true }).inputValue();
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(link);
  await expect(other.getByRole('button', { name: 'Compare' })).toHaveAttribute('aria-pressed', 'true');
  await expect(other.getByRole('heading', { name: /^A accumulating$/ })).toBeVisible();
  await expect(other.getByRole('heading', { name: /^B discarding$/ })).toBeVisible();
  await fresh.close();
  expect(errors).toEqual([]);
});

test('the playground counts type errors beside Run, and still runs', async ({ page }) => {
  await page.goto('/#/playground');
  await expect(page.locator('.monaco-editor')).toBeVisible({ timeout: 30_000 });
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.insertText('\nconst wrong: number = "a";\nconst worse: string = 1;\n');
  await expect(page.getByText('2 type errors')).toBeVisible({ timeout: 20_000 });
  await page.getByRole('combobox', { name: /Speed/ }).selectOption({ label: 'max' });
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.locator('[data-status]')).toHaveText(/Finished/, { timeout: 30_000 });
});

test('an embed of a link with run B shows both runs on one clock, with the duplicates of B highlighted', async ({ page }) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  const settings = { ...DEFAULT_SETTINGS, input: sessionsInput, checkpointInterval: 60_000, crashAt: [90_000] };
  const s = encodeShare({ code: sessionsCode, settings, panels: ['output'], compare: { code: sessionsCode, settings: { ...settings, guarantee: 'atLeastOnce' } } });
  await page.goto(`/#/embed?s=${s}&panels=output&editor=0&autoplay=1`);
  await expect(page.locator('[data-what-if]')).toHaveText('What-if: A exactly-once against B at-least-once, on one clock');
  await expect(page.locator('[data-status]')).toHaveText(/Finished · attempt 2/, { timeout: 45_000 });
  await expect(page.locator('[data-run="a"] [data-panel="output"]')).toBeVisible();
  await expect(page.locator('[data-run="b"] [data-panel="output"]')).toBeVisible();
  await expect(page.locator('tr[data-diff="onlyB"]').first()).toContainText('only in B (extra copy)', { timeout: 30_000 });
  expect(await page.locator('tr[data-diff="onlyA"], tr[data-diff="changed"]').count()).toBe(0);
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  await page.screenshot({ path: `${SCREENS}/embed-whatif.png` });
  expect(errors).toEqual([]);
});
