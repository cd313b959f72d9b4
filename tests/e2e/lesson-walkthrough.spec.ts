import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { watchErrors } from './watch-errors.ts';

// A learner walks lesson 1 end to end: reads it, runs the starter, the check fails with the
// lesson's own message, takes a hint, types a passing pipeline into the editor, runs it, the
// check passes, and after a reload the curriculum map shows the lesson passed.

const SCREENS = 'test-results/screens';
const LESSON = '/#/learn/events-and-pipelines';
const SOLUTION = readFileSync('lessons/01-events-and-pipelines/solution.ts', 'utf8');
const STARTER_MESSAGE =
  'the totals are kept per "EUR", which is not a customer: key the orders by their customer, so that each customer gets a running total of their own';

/** Collects console errors and uncaught exceptions of the page. */

/** Replaces the editor's text as a person pasting would (no auto-closing brackets). */
async function replaceCode(page: Page, text: string): Promise<void> {
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/** Runs the editor's code flat out. */
async function run(page: Page): Promise<void> {
  await page.getByRole('toolbar', { name: 'Run controls' }).getByRole('combobox').selectOption({ label: 'max' });
  await page.getByRole('toolbar', { name: 'Run controls' }).getByRole('button', { name: 'Run', exact: true }).click();
}

const check = (page: Page) => page.getByRole('region', { name: 'Lesson check' });

test('a learner reads lesson 1, fails the check, takes a hint, fixes the pipeline and passes', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await page.goto(LESSON);

  // Read.
  await expect(page.getByRole('heading', { level: 1, name: 'Events, streams and pipelines' })).toBeVisible();
  await expect(check(page)).toContainText("This starter does not pass yet — that's the exercise.");
  await expect(page.locator('[data-editor-state="ready"] .monaco-editor .view-lines')).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: `${SCREENS}/lesson-exercise.png` });

  // Run the starter: when the run finishes the check runs by itself, and fails with the lesson's message.
  await run(page);
  await expect(check(page)).toHaveAttribute('data-verdict', 'fail', { timeout: 60_000 });
  await expect(check(page)).toContainText('✗ Not yet: the check says');
  await expect(check(page).getByRole('listitem').first()).toHaveText(STARTER_MESSAGE);
  await expect(check(page)).toContainText('● started · 1 check');
  await page.screenshot({ path: `${SCREENS}/lesson-failing-check.png` });

  // Take a hint.
  const hints = page.getByRole('region', { name: 'Stuck?' });
  await hints.getByRole('button', { name: 'Show a hint (1 of 3)' }).click();
  await expect(hints.getByRole('listitem', { name: 'Hint 1' })).toContainText('How many different keys do the totals have?');
  await expect(hints.getByRole('button', { name: 'Show the next hint (2 of 3)' })).toBeVisible();
  await hints.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENS}/lesson-hint.png` });

  // Edit the pipeline into one that passes, run it: the check passes.
  await replaceCode(page, SOLUTION);
  await expect(page.getByText('edited: run again to apply')).toBeVisible();
  await run(page);
  await expect(check(page)).toHaveAttribute('data-verdict', 'pass', { timeout: 60_000 });
  await expect(check(page)).toContainText('✓ Passed: your pipeline does what the lesson asks.');
  await expect(check(page)).toContainText('✓ passed · 2 checks');
  await page.screenshot({ path: `${SCREENS}/lesson-passed.png` });

  // The Check button checks again on demand, with the same verdict.
  await check(page).getByRole('button', { name: 'Check my pipeline' }).click();
  await expect(check(page)).toContainText('✓ passed · 3 checks', { timeout: 30_000 });

  // After a reload the curriculum map shows the lesson passed.
  await page.goto('/#/learn');
  await page.reload();
  const first = page.getByRole('listitem').filter({ hasText: 'Events, streams and pipelines' });
  await expect(first).toHaveAttribute('data-progress', 'passed');
  await expect(first).toContainText('✓ Passed');
  await expect(page.getByText('1 of 14 lessons passed, kept in this browser.')).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/lesson-map-passed.png` });
  expect(errors).toEqual([]);
});

test('the solution is one click after the last hint, and "Back to my code" restores the draft', async ({ page }) => {
  await page.goto(LESSON);
  await expect(page.locator('[data-editor-state="ready"] .monaco-editor .view-lines')).toBeVisible({ timeout: 30_000 });
  await replaceCode(page, '// my own attempt\nexport default () => {};\n');
  const hints = page.getByRole('region', { name: 'Stuck?' });
  for (let i = 1; i <= 3; i++) await hints.getByRole('button', { name: new RegExp(`\\(${i} of 3\\)`) }).click();
  await expect(hints.getByRole('listitem')).toHaveCount(3);
  await hints.getByRole('button', { name: 'Show solution' }).click();
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('.keyBy((order) => order.customer)');
  await hints.getByRole('button', { name: 'Back to my code' }).click();
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('// my own attempt');
  await expect(hints.getByRole('button', { name: 'Back to my code' })).toHaveCount(0);
});

test('a moment link in the prose runs the lesson to that moment; a lesson link with ?t= opens it there', async ({ page }) => {
  await page.goto(LESSON);
  const playhead = page.getByRole('slider', { name: 'Playhead (timeline time)' });
  await page.getByRole('link', { name: 'first results' }).click();
  await expect(playhead).toHaveAttribute('aria-valuetext', /^1:00\.000 of /, { timeout: 30_000 });

  await page.goto('/#/learn/events-and-pipelines?t=420000');
  await page.reload();
  await expect(playhead).toHaveAttribute('aria-valuetext', /^7:00\.000 of /, { timeout: 30_000 });
});

test('checking a pipeline stuck in an endless loop ends with a clear message, not a hang', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto(LESSON);
  await expect(page.locator('[data-editor-state="ready"] .monaco-editor .view-lines')).toBeVisible({ timeout: 30_000 });
  await replaceCode(page, SOLUTION.replace('.filter((order) => order.amountCents >= 5000)', '.filter(() => { for (;;) {} })'));
  await check(page).getByRole('button', { name: 'Check my pipeline' }).click();
  await expect(check(page)).toHaveAttribute('data-verdict', 'error', { timeout: 30_000 });
  await expect(check(page)).toContainText('✗ Your pipeline could not be checked');
  await expect(check(page)).toContainText('an endless loop in your code?');
  // The sandbox is replaced: the next check works.
  await replaceCode(page, SOLUTION);
  await check(page).getByRole('button', { name: 'Check my pipeline' }).click();
  await expect(check(page)).toHaveAttribute('data-verdict', 'pass', { timeout: 30_000 });
});
