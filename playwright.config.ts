import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

// Debian's chromium where it is installed (CI, this machine); Playwright's own browser elsewhere.
const debianChromium = '/usr/bin/chromium';
// PW_PORT and PW_DIST let several people test their own builds side by side
// (`npx vite build --outDir dist-mine && PW_PORT=4174 PW_DIST=dist-mine npx playwright test ...`).
const port = Number(process.env.PW_PORT ?? 4173);
const dist = process.env.PW_DIST ?? 'dist';

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  workers: 2,
  reporter: 'list',
  forbidOnly: !!process.env.CI,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: existsSync(debianChromium) ? debianChromium : undefined,
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
  // `npm run test:e2e` builds and checks the initial JavaScript budget first
  // (scripts/report-bundle-size.mjs), then serves that build; run it, or `npm run build`,
  // before a bare `npx playwright test`.
  webServer: {
    command: port === 4173 && dist === 'dist' ? 'npm run preview' : `npx vite preview --host 127.0.0.1 --port ${port} --outDir ${dist}`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
  },
});
