import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { encodeShare } from '../../src/app/share/share-codec.ts';
import { DEFAULT_SETTINGS } from '../../src/worker/protocol.ts';

// The output panel of a single run marks, once the run finished, which records were duplicated
// and which lost against the failure-free run of the same job: a crash under at-least-once
// repeats what was written since the last checkpoint; exactly-once repeats nothing a reader sees.

const code = readFileSync('examples/sessions.ts', 'utf8');
const input: unknown = JSON.parse(readFileSync('examples/sessions-input.json', 'utf8'));
const SCREENS = 'test-results/screens';

// Exactly-once: the two early panes written at 1:00.001, after checkpoint 1's barrier, were in the
// transaction the crash at 1:30 aborted: struck through as rolled back, and not duplicates.
for (const [guarantee, duplicated, rolledBack] of [['atLeastOnce', 2, 0], ['exactlyOnce', 0, 2]] as const) {
  test(`a crash under ${guarantee}: the output panel marks ${duplicated} duplicated records against the failure-free run`, async ({ page }) => {
    test.setTimeout(90_000);
    const s = encodeShare({ code, settings: { ...DEFAULT_SETTINGS, input, checkpointInterval: 60_000, crashAt: [90_000], guarantee }, panels: ['output'] });
    await page.goto(`/#/playground?s=${s}`);
    await page.getByRole('combobox', { name: /Speed/ }).selectOption({ label: 'max' });
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(page.locator('[data-status]')).toHaveText(/Finished · attempt 2/, { timeout: 45_000 });
    const panel = page.locator('[data-panel="output"]');
    await expect(panel.locator('.brook-out-chip').first()).toHaveText(`↻ ${duplicated}duplicated`, { timeout: 15_000 });
    // The marks are on the rows themselves: the second copies of the two early panes replayed after the crash.
    await expect(panel.locator('.brook-out-row.o-duplicate')).toHaveCount(duplicated);
    await expect(panel.locator('.brook-out-row.o-rolledBack')).toHaveCount(rolledBack);
    if (rolledBack > 0) {
      await expect(panel.locator('.brook-out-row.o-rolledBack').first()).toContainText('⟲ rolled back');
      await expect(panel.locator('.brook-out-chip').filter({ hasText: 'rolled back' })).toHaveText(`⟲ ${rolledBack}rolled back`);
      await page.screenshot({ path: `${SCREENS}/output-rolled-back.png` });
    }
    if (duplicated > 0) {
      await expect(panel.locator('.brook-out-row.o-duplicate').first()).toContainText('EARLY #0');
      await page.screenshot({ path: `${SCREENS}/output-duplicates.png` });
    }
  });
}
