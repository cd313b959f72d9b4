import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { watchErrors } from './watch-errors.ts';

// Lesson 12 in the browser reads a compacted topic the lesson pre-loads: the worker produces
// "customer-tiers" into the job's IndexedDB store before the run, the learner's solution joins
// the orders with the table read from it, the check (in its own sandbox, over the same topic)
// passes, and the Output panel shows every order enriched with its customer's tier.

const SCREENS = 'test-results/screens';
const LESSON = '/#/learn/joins-and-enrichment';
const SOLUTION = readFileSync('lessons/12-joins-and-enrichment/solution.ts', 'utf8');


async function replaceCode(page: Page, text: string): Promise<void> {
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

async function run(page: Page): Promise<void> {
  await page.getByRole('toolbar', { name: 'Run controls' }).getByRole('combobox').selectOption({ label: 'max' });
  await page.getByRole('toolbar', { name: 'Run controls' }).getByRole('button', { name: 'Run', exact: true }).click();
}

const check = (page: Page) => page.getByRole('region', { name: 'Lesson check' });
const output = (page: Page) => page.locator('[data-panel="output"]');

test('lesson 12: the starter fails over the compacted topic, the solution enriches every order and passes', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await page.goto(LESSON);
  await expect(page.getByRole('heading', { level: 1, name: /Joins and enrichment/ })).toBeVisible();
  await expect(page.locator('[data-editor-state="ready"] .monaco-editor .view-lines')).toBeVisible({ timeout: 30_000 });

  // The starter reads the topic too, but its window join loses most orders.
  await run(page);
  await expect(check(page)).toHaveAttribute('data-verdict', 'fail', { timeout: 60_000 });
  await expect(check(page).getByRole('listitem').first()).toContainText('125 orders came in, but 113 never reached "orders-with-tier"');
  await expect(output(page)).toContainText('All sinks · 12');

  // The solution: a table from the topic, looked up by every order.
  await replaceCode(page, SOLUTION);
  await run(page);
  await expect(check(page)).toHaveAttribute('data-verdict', 'pass', { timeout: 60_000 });
  await expect(check(page)).toContainText('✓ Passed: your pipeline does what the lesson asks.');
  await expect(output(page)).toContainText('All sinks · 125');
  const rows = output(page).locator('[role="row"][aria-rowindex]');
  await expect(rows.first()).toContainText('{"tier":"');
  await expect(output(page)).toContainText('"gold"');
  await page.screenshot({ path: `${SCREENS}/lesson-12-topic-passed.png` });
  expect(errors).toEqual([]);
});
