import { expect, test, type Page } from '@playwright/test';
import { BODY_LINE } from '../../src/app/sandbox-test/scenarios.ts';
import type { RunReport } from '../../src/app/sandbox-test/main.ts';

// User code runs in a worker started from an opaque-origin iframe with a no-network policy:
// every way out fails with an error the engine host reports, and Brook's own data is untouched.

async function open(page: Page): Promise<void> {
  await page.goto('/sandbox-test.html');
  await page.waitForSelector('body[data-ready]', { state: 'attached' });
  await page.evaluate(() => window.sandboxTest.seedAppDb());
}

function runScenario(page: Page, id: string): Promise<RunReport> {
  return page.evaluate(async (scenario) => {
    const s = window.sandboxTest.scenarios.find((x) => x.id === scenario)!;
    return window.sandboxTest.run(s.code);
  }, id);
}

const messages = (r: RunReport) => r.errors.map((e) => `${e.kind}: ${e.message}`);

test.beforeEach(async ({ page }) => open(page));

test('fetch to another site and to the page origin both fail', async ({ page }) => {
  const external = await runScenario(page, 'fetch-external');
  expect(messages(external)[0]).toBe('runtime: a promise in the pipeline was rejected and not handled: TypeError: Failed to fetch');
  expect(external.errors[0]!.line).toBe(BODY_LINE);
  const own = await runScenario(page, 'fetch-same-origin');
  expect(messages(own)[0]).toContain('Failed to parse URL from /');
});

test('a synchronous XMLHttpRequest is refused', async ({ page }) => {
  const r = await runScenario(page, 'xhr');
  expect(r.result?.error?.kind).toBe('runtime');
  expect(r.result?.error?.message).toContain("NetworkError: Failed to execute 'send' on 'XMLHttpRequest'");
  expect(r.result?.error?.line).toBe(BODY_LINE + 2);
});

test('IndexedDB is denied and the app database is untouched', async ({ page }) => {
  for (const id of ['indexeddb', 'indexeddb-delete']) {
    const r = await runScenario(page, id);
    expect(r.result?.error?.message).toContain('SecurityError');
    expect(r.result?.error?.message).toContain('access to the Indexed Database API is denied in this context');
  }
  expect(await page.evaluate(() => window.sandboxTest.readAppDb())).toBe('my draft');
});

test('parent and top do not exist in the worker, and postMessage reaches nobody', async ({ page }) => {
  const parent = await runScenario(page, 'parent');
  expect(parent.result?.error?.message).toBe(`the map function in operator "map" threw TypeError: Cannot read properties of undefined (reading 'postMessage')`);
  const top = await runScenario(page, 'top');
  expect(top.result?.error?.message).toBe(`the map function in operator "map" threw TypeError: Cannot read properties of undefined (reading 'location')`);
  const post = await runScenario(page, 'post-message');
  expect(post.errors).toEqual([]);
  expect(post.strayMessages).toBe(0);
  expect(post.statuses).toContain('finished');
});

test('importScripts and import() of remote code fail', async ({ page }) => {
  const scripts = await runScenario(page, 'import-scripts');
  expect(scripts.result?.error?.message).toContain("NetworkError: Failed to execute 'importScripts' on 'WorkerGlobalScope'");
  const dynamic = await runScenario(page, 'dynamic-import');
  expect(messages(dynamic)[0]).toBe(
    'runtime: a promise in the pipeline was rejected and not handled: TypeError: Failed to fetch dynamically imported module: https://example.com/x.js',
  );
});

test('an endless loop in a map function is stopped within two seconds and reported on its line, naming the operator', async ({ page }) => {
  const r = await runScenario(page, 'endless-loop');
  expect(r.result?.error).toMatchObject({ kind: 'runtime', line: BODY_LINE });
  expect(r.result?.error?.message).toMatch(/^the map function in operator "map" threw EndlessLoop: the loop on line 8 ran for \d\.\d s without finishing and was stopped \(an endless loop\? check its condition\)$/);
  expect(r.playMs).toBeLessThan(2000);
});

test('code that never returns without a loop to guard is stopped by the watchdog within two seconds and reported as a timeout', async ({ page }) => {
  const r = await runScenario(page, 'endless-iterator');
  expect(r.errors.map((e) => e.kind)).toEqual(['timeout']);
  expect(r.errors[0]!.message).toContain('an endless loop in your code?');
  expect(r.statuses.at(-2)).toBe('stopped');
  expect(r.playMs).toBeLessThan(2000);
});

test('a throw in a map function is reported at its line and column', async ({ page }) => {
  const r = await runScenario(page, 'user-throw');
  expect(r.result?.error).toEqual({ kind: 'runtime', message: 'the map function in operator "map" threw Error: no twos', line: BODY_LINE, column: 26 });
  const compile = await runScenario(page, 'compile-error');
  expect(compile.loaded).toBe(false);
  expect(compile.errors[0]!.kind).toBe('compile');
});

test('a planned crash kills the worker, a fresh one restores from IndexedDB, and the output is exactly once', async ({ page }) => {
  const r = await page.evaluate(() => window.sandboxTest.crashAndResume(7000));
  expect(r.errors).toEqual([]);
  expect(r.attempts.map((a) => [a.attempt, a.restoredFrom, a.crash?.pt])).toEqual([
    [1, null, undefined],
    [2, 6, r.attempts[1]!.crash!.pt],
  ]);
  expect(r.attempts[1]!.crash!.reason).toBe('crash at processing time 7000 (planned)');
  expect(r.result?.finished).toBe(true);
  expect(r.exact).toEqual([true]);
});

test('a second host on the same job is refused while the first holds its lock', async ({ page }) => {
  const r = await page.evaluate(() => window.sandboxTest.lockConflict());
  expect(r.first).toBe(true);
  expect(r.second?.kind).toBe('storage');
  expect(r.second?.message).toMatch(/is running in another tab of Brook/);
});

test('flow control holds from the first delta: a page that never paints gets a handful of flushes a second', async ({ page }) => {
  // Unheld, this job flushes about 30 times a second of work; held two ahead of "none drawn",
  // 2 and then one per 250 ms wait. Without the host's first acknowledgement nothing holds it.
  const r = await page.evaluate(() => window.sandboxTest.unpaintedFlushes(1500));
  expect(r.loaded).toBe(true);
  expect(r.flushes).toBeGreaterThanOrEqual(2);
  expect(r.flushes).toBeLessThanOrEqual(12);
});
