import { expect, test, type Page } from '@playwright/test';
import { watchErrors } from './watch-errors.ts';

// The code editor on its harness page (editor-test.html): Monaco with the Brook API's generated
// types, Ctrl+Enter, drafts in IndexedDB, run errors marked on their lines.

const SCREENS = 'test-results/screens';

/** Collects console errors and uncaught exceptions of the page. */

async function openEditor(page: Page): Promise<void> {
  await page.goto('/editor-test.html');
  await expect(page.locator('[data-editor-state="ready"] .monaco-editor .view-lines')).toBeVisible({ timeout: 20_000 });
}

const code = (page: Page) => page.locator('.monaco-editor .view-lines');

/** Replaces the editor's text as a person pasting would (no auto-closing brackets). */
async function replaceCode(page: Page, text: string): Promise<void> {
  await code(page).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

const PIPELINE = `import { type Pipeline, seconds, testStream, tumblingWindows } from 'brook';

const clicks = testStream<string>().addElements({ value: 'home', timestamp: seconds(1) }).advanceWatermarkToInfinity();

export default (p: Pipeline) => {
  p.input<string>({ name: 'clicks', default: clicks })
    .keyBy((page) => page)
    .window(tumblingWindows(seconds(10)))
    .count()
    .sink('clicks-per-page');
};
`;

test('the code is shown in a plain text area while Monaco loads, then in Monaco', async ({ page }) => {
  let release = (): void => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/monaco-setup/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/editor-test.html');

  const fallback = page.getByRole('textbox', { name: 'Pipeline code' });
  await expect(fallback).toHaveValue(/tumblingWindows\(seconds\(10\)\)/);
  await expect(page.getByRole('status')).toHaveText('Loading the code editor…');
  await page.screenshot({ path: `${SCREENS}/editor-loading.png` });

  release();
  await expect(page.locator('[data-editor-state="ready"] .monaco-editor')).toBeVisible({ timeout: 20_000 });
  await expect(fallback).toBeHidden();
  // Setup code is folded away on load: the region's first line shows, its body does not.
  await expect(code(page)).toContainText('// #region setup');
  await expect(code(page)).not.toContainText("'The quick brown fox'");
});

test('completion, hover documentation and type errors come from the Brook API', async ({ page }) => {
  const errors = watchErrors(page);
  await openEditor(page);
  // The cursor ends after the lone `p`; typing the dot asks for its members as a person would.
  await replaceCode(page, "import { type Pipeline } from 'brook';\n\nexport default (p: Pipeline) => {\n  p");
  await page.keyboard.type('.');
  // The list opens on the dot once TypeScript's worker is up; until then, ask again (Ctrl+Space).
  const input = page.locator('.suggest-widget .monaco-list-row').filter({ hasText: /^input/ });
  await expect(async () => {
    if (!(await input.isVisible())) await page.keyboard.press('Control+Space');
    await expect(input).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await page.screenshot({ path: `${SCREENS}/editor-completion.png` });
  await page.keyboard.press('Escape');

  await replaceCode(page, PIPELINE);
  await expect(page.getByTestId('type-errors')).toHaveText('No type errors', { timeout: 15_000 });
  await code(page).getByText('tumblingWindows', { exact: true }).last().hover();
  const hover = page.locator('.monaco-hover').filter({ hasText: 'Tumbling event-time windows' });
  await expect(hover).toBeVisible({ timeout: 15_000 });
  await expect(hover).toContainText('each element lands in exactly one');
  await page.screenshot({ path: `${SCREENS}/editor-hover.png` });

  await replaceCode(page, PIPELINE.replace('.window(tumblingWindows(seconds(10)))', '.window(42)'));
  await expect(page.getByTestId('type-errors')).toHaveText('1 type error', { timeout: 15_000 });
  await expect(page.locator('.monaco-editor .squiggly-error')).toHaveCount(1);
  await page.locator('.monaco-editor .squiggly-error').hover({ force: true });
  await expect(page.locator('.monaco-hover').filter({ hasText: "not assignable to parameter of type 'WindowAssigner'" })).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/editor-type-error.png` });
  expect(errors).toEqual([]);
});

test('Ctrl+Enter runs the pipeline', async ({ page }) => {
  await openEditor(page);
  await code(page).click();
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.getByTestId('runs')).toHaveText('Runs: 1');
});

test('a draft survives a reload, and reset restores the starter', async ({ page }) => {
  await openEditor(page);
  await replaceCode(page, PIPELINE);
  await expect(code(page)).toContainText("sink('clicks-per-page')");
  // Saves are debounced (300 ms); the harness also writes a waiting save when the page hides.
  await page.waitForTimeout(600);
  await page.reload();
  await expect(page.locator('[data-editor-state="ready"] .monaco-editor')).toBeVisible({ timeout: 20_000 });
  await expect(code(page)).toContainText("sink('clicks-per-page')");

  await page.getByRole('button', { name: 'Reset to starter' }).click();
  await expect(code(page)).toContainText("sink('word-counts')");
  await expect(code(page)).toContainText('// #region setup');
  await page.reload();
  await expect(page.locator('[data-editor-state="ready"] .monaco-editor')).toBeVisible({ timeout: 20_000 });
  await expect(code(page)).toContainText("sink('word-counts')");
});

test('a runtime error is marked on its line until the code changes', async ({ page }) => {
  await openEditor(page);
  await page.getByRole('spinbutton', { name: 'Line' }).fill('17');
  await page.getByRole('button', { name: 'Mark runtime error' }).click();

  const glyph = page.locator('.monaco-editor .brook-run-error-glyph');
  await expect(glyph).toHaveCount(1);
  // The glyph sits on line 17 (the editor's line numbers are in the same rows). Measured once
  // Monaco's layout has settled: it may still be scrolling the line into view just after marking.
  const lineNumber = page.locator('.monaco-editor .line-numbers').filter({ hasText: /^17$/ });
  await expect
    .poll(async () => {
      const [glyphBox, lineBox] = await Promise.all([glyph.boundingBox(), lineNumber.boundingBox()]);
      return glyphBox && lineBox ? Math.abs(glyphBox.y - lineBox.y) : Number.POSITIVE_INFINITY;
    })
    .toBeLessThan(4);
  await expect(page.locator('.monaco-editor .squiggly-error')).toHaveCount(1);
  await page.locator('.monaco-editor .squiggly-error').hover({ force: true });
  await expect(page.locator('.monaco-hover').filter({ hasText: "Runtime error: Cannot read properties of undefined (reading 'length')" })).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/editor-runtime-error.png` });

  await code(page).click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type('// changed');
  await expect(glyph).toHaveCount(0);
  await expect(page.locator('.monaco-editor .squiggly-error')).toHaveCount(0);
});

test('the editor follows a dark colour scheme', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openEditor(page);
  await expect(page.locator('.monaco-editor.vs-dark')).toBeVisible();
  await expect(code(page)).not.toContainText("'The quick brown fox'");
  await page.screenshot({ path: `${SCREENS}/editor-dark.png` });
});
