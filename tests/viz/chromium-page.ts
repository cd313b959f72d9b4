// Runs a test's driver script in a real Chromium page: the driver (TypeScript importing the code
// under test, resolved from `resolveDir`) is bundled with esbuild into one classic script and
// added to a blank page. For panels whose tests need real layout, SVG and canvas pixels.

import { existsSync } from 'node:fs';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from '@playwright/test';

/** A page running a bundled driver, and how to close it. */
export interface DriverPage {
  readonly page: Page;
  readonly close: () => Promise<void>;
}

/**
 * Bundles `driver` (imports resolved from `resolveDir`, `alias` as esbuild's) and opens it in
 * Debian's Chromium (Playwright's own elsewhere) on a blank page.
 * @example const { page, close } = await openDriverPage(DRIVER, fileURLToPath(new URL('../../../src/viz/metrics/', import.meta.url)));
 */
export async function openDriverPage(driver: string, resolveDir: string, options: { alias?: Record<string, string>; deviceScaleFactor?: number } = {}): Promise<DriverPage> {
  const bundle = await build({
    stdin: { contents: driver, resolveDir, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'iife',
    ...(options.alias ? { alias: options.alias } : {}),
  });
  const browser: Browser = await chromium.launch({
    ...(existsSync('/usr/bin/chromium') ? { executablePath: '/usr/bin/chromium' } : {}),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage(options.deviceScaleFactor !== undefined ? { deviceScaleFactor: options.deviceScaleFactor } : {});
  await page.setContent('<!doctype html><html><body style="margin:0"></body></html>');
  await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
  return { page, close: () => browser.close() };
}
