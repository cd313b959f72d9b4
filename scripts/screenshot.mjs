// Takes a screenshot of a page in Debian's Chromium, for looking at what you built:
//   node scripts/screenshot.mjs http://127.0.0.1:5173/lab.html?example=sessions out.png [width] [height]
// Waits for network idle and for body[data-ready] when the page sets it; prints console errors.
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

const [url, out = 'screenshot.png', width = '1400', height = '900'] = process.argv.slice(2);
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
await page.goto(url, { waitUntil: 'networkidle' });
await page.waitForSelector('body[data-ready]', { timeout: 5000 }).catch(() => {});
await page.screenshot({ path: out, fullPage: true });
await browser.close();
console.log(`wrote ${out}`);
