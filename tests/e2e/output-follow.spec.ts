import { expect, test } from '@playwright/test';
import { encodeShare } from '../../src/app/share/share-codec.ts';
import { DEFAULT_SETTINGS } from '../../src/worker/protocol.ts';

// The output panel follows the newest rows while a run writes them. Its follow scroll is written where layout is already clean (the
// rows' ResizeObserver, or a task after the frame), never in the frame's callbacks after other
// panels changed the page, which forced a layout of the whole page (docs/panels.md).

const RECORDS = 600;
const code = `import type { Pipeline } from 'brook';

export default function pipeline(p: Pipeline) {
  p.fromArray(Array.from({ length: ${RECORDS} }, (_, i) => i), { timestampOf: (i) => i * 10 })
    .map((i) => i * 2)
    .sink('out');
}
`;

/** The output body's scroll position, and how far from its bottom it is. */
const scrollOf = (page: import('@playwright/test').Page) =>
  page.locator('[data-panel="output"] .brook-out-body').evaluate((body) => ({ top: body.scrollTop, fromBottom: body.scrollHeight - body.clientHeight - body.scrollTop }));

test('the output panel follows the newest rows of a run', async ({ page }) => {
  test.setTimeout(60_000);
  const s = encodeShare({ code, settings: { ...DEFAULT_SETTINGS }, panels: ['output', 'time', 'state'] });
  await page.goto(`/#/playground?s=${s}`);
  await page.getByRole('combobox', { name: /Speed/ }).selectOption({ label: 'max' });
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.locator('[data-status]')).toHaveText(/Finished/, { timeout: 45_000 });
  const panel = page.locator('[data-panel="output"]');
  // The last record written (its value 2 × 599) is in view, at the bottom.
  await expect(panel.locator('.brook-out-row').filter({ hasText: String(2 * (RECORDS - 1)) }).first()).toBeInViewport({ timeout: 10_000 });
  await expect.poll(async () => (await scrollOf(page)).fromBottom, { timeout: 5_000 }).toBeLessThanOrEqual(1);
  expect((await scrollOf(page)).top).toBeGreaterThan(0);

});
