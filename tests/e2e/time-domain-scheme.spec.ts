import { expect, test, type Page } from '@playwright/test';
import { encodeShare } from '../../src/app/share/share-codec.ts';
import { DEFAULT_SETTINGS } from '../../src/worker/protocol.ts';
import { OKABE_ITO } from '../../src/viz/theme.ts';

// Past 2,000 records the time domain draws its dots on a canvas, in colours it reads from the
// theme's CSS variables (a canvas cannot use var()). When the page's colour scheme changes, it
// redraws them in the new scheme's colours: the scheme is learnt before the redraw asks for it
// (src/viz/color-scheme.ts), so no dot keeps the old colour.

const RECORDS = 3_000;
const code = `import type { Pipeline } from 'brook';

export default function pipeline(p: Pipeline) {
  p.fromArray(Array.from({ length: ${RECORDS} }, (_, i) => i), { timestampOf: (i) => i * 10 }).sink('out');
}
`;

/** How many of the canvas's opaque pixels are `hex` (within 2 per channel: sprites are drawn through premultiplied alpha). */
const pixelsOf = (page: Page, hex: string) =>
  page.locator('[data-panel="time"] canvas').evaluate((canvas: HTMLCanvasElement, rgb) => {
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3]! >= 250 && Math.abs(data[i]! - rgb[0]!) <= 2 && Math.abs(data[i + 1]! - rgb[1]!) <= 2 && Math.abs(data[i + 2]! - rgb[2]!) <= 2) n++;
    return n;
  }, [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16)));

test('the time domain canvas redraws its dots in the dark scheme colours when the scheme changes', async ({ page }) => {
  test.setTimeout(60_000);
  await page.emulateMedia({ colorScheme: 'light' });
  const s = encodeShare({ code, settings: { ...DEFAULT_SETTINGS }, panels: ['time'] });
  await page.goto(`/#/playground?s=${s}`);
  await page.getByRole('combobox', { name: /Speed/ }).selectOption({ label: 'max' });
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.locator('[data-status]')).toHaveText(/Finished/, { timeout: 45_000 });
  // On time, every record: drawn in the light scheme's blue.
  await expect.poll(() => pixelsOf(page, OKABE_ITO.blue), { timeout: 10_000 }).toBeGreaterThan(1_000);
  expect(await pixelsOf(page, OKABE_ITO.skyBlue)).toBe(0);

  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(() => pixelsOf(page, OKABE_ITO.skyBlue), { timeout: 10_000 }).toBeGreaterThan(1_000);
  expect(await pixelsOf(page, OKABE_ITO.blue)).toBe(0);
});
