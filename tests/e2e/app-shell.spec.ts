import { expect, test, type Page } from '@playwright/test';
import { watchErrors } from './watch-errors.ts';
import { encodeShare } from '../../src/app/share/share-codec.ts';
import { DEFAULT_SETTINGS } from '../../src/worker/protocol.ts';

// The app shell: pages and their headings, navigation with the back button, share links that
// reproduce a run in a fresh browser, embeds with only their chosen panels, presentation mode,
// and a screenshot of every page (test-results/screens/).

const SCREENS = 'test-results/screens';


const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

test('every page renders with its heading, and unknown addresses show a 404 page', async ({ page }) => {
  const errors = watchErrors(page);
  const pages: [string, RegExp | string][] = [
    ['/#/', 'Brook'],
    ['/#/learn', 'Learn'],
    ['/#/playground', 'Playground'],
    ['/#/glossary', 'Glossary'],
    ['/#/guides', 'Guides'],
    ['/#/learn/events-and-pipelines', /Events/],
    ['/#/learn/operating-a-job', /^Operating/],
    ['/#/no-such-page', 'Not found'],
    ['/#/glossary/no-such-term', 'Not found'],
  ];
  for (const [url, heading] of pages) {
    await page.goto(url);
    await expect(h1(page), url).toHaveText(heading);
    // Pages with an editor: let Monaco arrive before leaving, as a reader would.
    if (/playground|learn\//.test(url)) await expect(page.locator('.monaco-editor')).toBeVisible({ timeout: 30_000 });
  }
  await page.goto('/#/glossary');
  const first = page.getByRole('main').getByRole('listitem').first().getByRole('link');
  const term = (await first.locator('.title').textContent())!;
  await first.click();
  await expect(h1(page)).toHaveText(term);
  expect(errors).toEqual([]);
});

test('navigation moves focus to the new heading and the back button returns', async ({ page }) => {
  await page.goto('/');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Glossary' }).click();
  await expect(h1(page)).toHaveText('Glossary');
  await expect(h1(page)).toBeFocused();
  await expect(nav.getByRole('link', { name: 'Glossary' })).toHaveAttribute('aria-current', 'page');
  await nav.getByRole('link', { name: 'Guides' }).click();
  await expect(h1(page)).toHaveText('Guides');
  await page.goBack();
  await expect(h1(page)).toHaveText('Glossary');
  await expect(page).toHaveURL(/#\/glossary$/);
  await page.goBack();
  await expect(h1(page)).toHaveText('Brook');
  await page.goForward();
  await expect(h1(page)).toHaveText('Glossary');
  await expect(page).toHaveTitle('Glossary — Brook');
});

/** Runs the playground flat out to the end and returns the output panel's rows. */
async function runToEnd(page: Page): Promise<string> {
  await page.getByRole('combobox', { name: /Speed/ }).selectOption({ label: 'max' });
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.locator('[data-status]')).toHaveText(/Finished/, { timeout: 30_000 });
  const rows = page.locator('[data-panel="output"] [role="row"][aria-rowindex]');
  await expect(rows.first()).toBeVisible();
  return (await rows.allInnerTexts()).join('\n');
}

test('a share link restores the code and settings in a fresh browser and replays the same run, crash included', async ({ page, browser }) => {
  test.setTimeout(90_000);
  await page.goto('/#/playground');
  await expect(page.locator('.monaco-editor')).toBeVisible({ timeout: 30_000 });
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+Home');
  await page.keyboard.insertText('// shared-run-marker\n');

  await page.getByRole('spinbutton', { name: 'Seed' }).fill('42');
  await page.getByRole('spinbutton', { name: 'Seed' }).press('Tab');
  await page.getByRole('button', { name: 'Run settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Run settings' });
  await settings.getByRole('spinbutton', { name: /Interval/ }).fill('250');
  await settings.getByRole('textbox', { name: /Crash the worker at/ }).fill('90000');
  await settings.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(settings).toBeHidden();

  const first = await runToEnd(page);

  await page.getByRole('button', { name: 'Share' }).click();
  const share = page.getByRole('dialog', { name: 'Share this run' });
  const link = await share.getByRole('textbox', { name: 'Link', exact: true }).inputValue();
  expect(link).toMatch(/#\/playground\?s=[A-Za-z0-9%+\-$_]+$/);
  const snippet = await share.getByRole('textbox', { name: 'Iframe snippet' }).inputValue();
  expect(snippet).toMatch(/^<iframe src="http:\/\/127\.0\.0\.1:\d+\/#\/embed\?s=[^"]+" width="900" height="560" loading="lazy" title="Brook: [^"]+"><\/iframe>$/);
  await page.screenshot({ path: `${SCREENS}/share-dialog.png` });

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(link);
  await expect(h1(other)).toHaveText('Playground');
  await expect(other.getByText('shared run', { exact: true })).toBeVisible();
  await expect(other.getByRole('spinbutton', { name: 'Seed' })).toHaveValue('42');
  await expect(other.locator('.monaco-editor .view-lines')).toContainText('shared-run-marker', { timeout: 20_000 });
  await other.getByRole('button', { name: 'Run settings' }).click();
  const restored = other.getByRole('dialog', { name: 'Run settings' });
  await expect(restored.getByRole('spinbutton', { name: /Interval/ })).toHaveValue('250');
  await expect(restored.getByRole('textbox', { name: /Crash the worker at/ })).toHaveValue('90000');
  await restored.getByRole('button', { name: 'Cancel' }).click();

  const second = await runToEnd(other);
  expect(second).toBe(first);
  await expect(other.locator('[data-status]')).toContainText('attempt 2');
  await fresh.close();
});

test('keyboard: "." steps one event and Space plays and pauses, while typing in the editor does neither', async ({ page }) => {
  await page.goto('/#/playground');
  await expect(page.locator('.monaco-editor')).toBeVisible({ timeout: 30_000 });
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('.');
  await page.keyboard.press('Space');
  await expect(page.locator('[data-status]')).toHaveText('Not started');
  await page.keyboard.press('ControlOrMeta+z');
  await page.keyboard.press('ControlOrMeta+z');

  await h1(page).click();
  await page.keyboard.press('.');
  await expect(page.locator('[data-status]')).toHaveText('Paused', { timeout: 30_000 });
  await page.keyboard.press('Space');
  await expect(page.locator('[data-status]')).toHaveText(/Running|Finished/);
  await page.keyboard.press('Space');
  await expect(page.locator('[data-status]')).toHaveText(/Paused|Finished/);
});

test('the scrubber moves the one playhead back over what has run, and back to the end', async ({ page }) => {
  await page.goto('/#/playground');
  await expect(page.locator('.monaco-editor')).toBeVisible({ timeout: 30_000 });
  await runToEnd(page);
  const scrubber = page.getByRole('slider', { name: 'Playhead (timeline time)' });
  const clock = page.locator('.clock');
  await expect(clock).toHaveText(/^3:00\.000\s*\/\s*3:00\.000$/);
  await scrubber.focus();
  await page.keyboard.press('Home');
  await expect(clock).toHaveText(/^0:00\.000\s*\/\s*3:00\.000$/);
  await expect(page.locator('[data-panel="output"]')).toContainText('All sinks · 0');
  await page.keyboard.press('End');
  await expect(clock).toHaveText(/^3:00\.000\s*\/\s*3:00\.000$/);
  await expect(page.locator('[data-panel="output"]')).toContainText('All sinks · 5');
});

test('a link with a moment (t) runs the opened pipeline forward to that time', async ({ page }) => {
  await page.goto('/#/playground?t=120000');
  await expect(page.locator('[data-status]')).toHaveText('Paused', { timeout: 30_000 });
  await expect(page.locator('.clock')).toHaveText(/^2:00\.000\s*\/\s*2:00\.000$/);
});

test('errors of a run are shown next to the editor, with their line', async ({ page }) => {
  const broken = encodeShare({ code: "import { type Pipeline } from 'brook';\nexport default (p: Pipeline) => {\n  p.input({ name: 'n' }).map((x) => x.nope.deeper).sink('out');\n};\n", settings: { ...DEFAULT_SETTINGS, input: { steps: [{ addElements: [{ value: 1, timestamp: 0 }] }] } }, panels: ['output'] });
  await page.goto(`/#/playground?s=${broken}`);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const alert = page.getByRole('alert').filter({ hasText: /line 3/ });
  await expect(alert).toBeVisible({ timeout: 30_000 });
  await expect(alert).toContainText('deeper');
  await expect(page.locator('[data-status]')).toHaveText('Failed');
});

test('a damaged share link says so and opens the example instead', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/#/playground?s=not-a-real-link');
  await expect(page.getByRole('alert').filter({ hasText: 'This link is damaged' })).toBeVisible();
  await expect(h1(page)).toHaveText('Playground');
  expect(errors).toEqual([]);
});

const embedded = encodeShare({
  code: "// Embedded example\nimport { type Pipeline } from 'brook';\nexport default (p: Pipeline) => {\n  p.input<number>({ name: 'n' }).map((x) => x * 2).sink('doubled');\n};\n",
  settings: { ...DEFAULT_SETTINGS, input: { steps: [{ addElements: [{ value: 1, timestamp: 1000 }, { value: 2, timestamp: 2000 }] }, { advanceWatermarkToInfinity: true }] } },
  panels: ['graph'],
});

test('embed mode renders only the chosen panels, without the site header', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(`/#/embed?s=${embedded}&panels=time,output&readonly=1&autoplay=1`);
  await expect(page.locator('[data-panel]')).toHaveCount(2);
  await expect(page.locator('[data-panel="time"]')).toBeVisible();
  await expect(page.locator('[data-panel="output"]')).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: /Open in the playground/ })).toHaveAttribute('href', /#\/playground\?s=/);
  await expect(page.locator('[data-status]')).toHaveText(/Finished/, { timeout: 30_000 });
  await expect(page.locator('[data-panel="output"] [role="row"][aria-rowindex]')).toHaveCount(2);
  await expect(page.locator('[data-panel="output"] [role="row"][aria-rowindex]').first()).toContainText('doubled');
  await page.screenshot({ path: `${SCREENS}/embed.png` });

  await page.goto(`/#/embed?s=${embedded}&panels=graph&editor=0`);
  await expect(page.locator('[data-panel]')).toHaveCount(1);
  await expect(page.locator('[data-code-editor]')).toHaveCount(0);
  // Nothing runs here, yet the graph panel starts ELK's worker in an idle moment: a cold ELK's
  // load and first layout (~0.1 s of CPU) would otherwise land in a run's first frames.
  await expect.poll(() => page.workers().some((w) => w.url().includes('elk-worker')), { timeout: 10_000 }).toBe(true);
  await expect(page.locator('[data-status]')).not.toHaveText(/Running|Finished/);
  expect(errors).toEqual([]);
});

test('presentation mode shows one panel at a time, the seed, and moves with the arrow keys', async ({ page }) => {
  await page.goto('/#/playground?present=1');
  await expect(h1(page)).toHaveText('Time domain');
  await expect(page.getByText(/seed\s*1/)).toBeVisible();
  await expect(page.locator('[data-panel]')).toHaveCount(1);
  await page.keyboard.press('ArrowRight');
  await expect(h1(page)).toHaveText('Output');
  await page.keyboard.press('ArrowLeft');
  await expect(h1(page)).toHaveText('Time domain');
  await page.getByRole('button', { name: 'Exit presentation' }).click();
  await expect(h1(page)).toHaveText('Playground');
});

test('screenshots of every page, light and dark', async ({ browser }) => {
  test.setTimeout(120_000);
  const shots: [string, string, 'light' | 'dark', boolean][] = [
    ['home', '/#/', 'light', true],
    ['home-dark', '/#/', 'dark', true],
    ['playground', '/#/playground', 'light', false],
    ['playground-dark', '/#/playground', 'dark', false],
    ['lesson', '/#/learn/events-and-pipelines', 'light', false],
    ['glossary', '/#/glossary', 'light', false],
    ['guides', '/#/guides', 'light', false],
    ['presentation', '/#/playground?present=1', 'light', false],
    ['not-found', '/#/nowhere', 'light', false],
  ];
  for (const [name, url, colorScheme, fullPage] of shots) {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, colorScheme });
    const page = await context.newPage();
    await page.goto(url);
    await expect(h1(page)).toBeVisible();
    if ((url.includes('playground') && !url.includes('present')) || url.includes('learn/')) {
      await expect(page.locator('.monaco-editor')).toBeVisible({ timeout: 30_000 });
      await runToEnd(page);
    }
    if (url.includes('present')) {
      await page.getByRole('combobox', { name: /Speed/ }).selectOption({ label: 'max' });
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await expect(page.locator('[data-status]')).toHaveText(/Finished/, { timeout: 30_000 });
    }
    await page.screenshot({ path: `${SCREENS}/${name}.png`, fullPage });
    await context.close();
  }
  const tablet = await browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true });
  const page = await tablet.newPage();
  await page.goto('/#/playground');
  await expect(h1(page)).toBeVisible();
  for (const button of await page.getByRole('toolbar', { name: 'Run controls' }).getByRole('button').all()) {
    const box = (await button.boundingBox())!;
    expect(Math.min(box.width, box.height), await button.getAttribute('aria-label') ?? await button.innerText()).toBeGreaterThanOrEqual(40);
  }
  await page.screenshot({ path: `${SCREENS}/playground-tablet.png` });
  await tablet.close();
});
