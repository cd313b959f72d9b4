import { expect, test } from '@playwright/test';

// Offline: once the app has loaded, its service worker has precached the app shell and every
// lazy chunk (Monaco, the sandbox worker bundle), so a reload without network still opens the
// playground, loads the editor and runs a pipeline.

test('once loaded, the playground opens, edits and runs without a network', async ({ context, page }) => {
  test.setTimeout(90_000);
  await page.goto('/#/playground');
  await expect(page.getByRole('heading', { level: 1, name: 'Playground' })).toBeVisible();
  // `ready` resolves once the worker is active, which is after its install precached everything.
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(scope).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Playground' })).toBeVisible();
  await expect(page.locator('.monaco-editor')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('combobox', { name: /Speed/ }).selectOption({ label: 'max' });
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.locator('[data-status]')).toHaveText(/Finished/, { timeout: 30_000 });
  await expect(page.locator('[data-panel="output"] [role="row"][aria-rowindex]').first()).toBeVisible();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Glossary' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Glossary' })).toBeVisible();
  await context.setOffline(false);
});
