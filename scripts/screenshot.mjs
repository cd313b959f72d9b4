// Takes a screenshot of a page in Debian's Chromium, for looking at what you built:
//   node scripts/screenshot.mjs http://127.0.0.1:5173/lab.html?example=sessions out.png [width] [height] [--dark] [--eval=FILE]
// Waits for network idle and for body[data-ready] when the page sets it; prints console errors.
// --dark emulates prefers-color-scheme: dark; --eval=FILE runs FILE's text as an async function
// body in the page after it is ready (to open a tooltip, set a reference, …).
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const [url, out = 'screenshot.png', width = '1400', height = '900'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const dark = flags.includes('--dark');
const evalFile = flags.find((f) => f.startsWith('--eval='))?.slice('--eval='.length);
if (!url) {
  console.error('usage: node scripts/screenshot.mjs URL [out.png] [width] [height]');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: Number(width), height: Number(height) } });
page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log(`console.${m.type()}: ${m.text()}`); });
page.on('pageerror', (e) => console.log(`pageerror: ${e.message}`));
if (dark) await page.emulateMedia({ colorScheme: 'dark' });
await page.goto(url, { waitUntil: 'networkidle' });
await page.waitForSelector('body[data-ready]', { timeout: 5000 }).catch(() => {});
if (evalFile) {
  const { readFileSync } = await import('node:fs');
  await page.evaluate(`(async () => { ${readFileSync(evalFile, 'utf8')} })()`);
  await page.waitForTimeout(200);
}
await page.screenshot({ path: out, fullPage: true });
await browser.close();
console.log(`wrote ${out}`);
