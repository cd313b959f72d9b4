// The UI benchmark: builds the app, serves dist/ with `vite preview` on port 4180 (--port N), opens
// bench-ui.html in Chromium and runs a million-record keyed windowed pipeline flat out in the
// sandboxed worker while all six panels redraw every animation frame. Prints the longest
// main-thread task (PerformanceObserver 'longtask', buffered) and the frame rate; exits 1 when
// a task went over the budget (50 ms) or the run failed.
//   node scripts/bench-ui.mjs [--no-build] [--port N] [--records N] [--budget MS] [--runs N] [--checkpoint MS]
//       [--panels time,output] [--screenshots DIR] [--profile FILE.cpuprofile] [--trace FILE.json] [--detail]
// --no-budget redraws all six panels in every frame (no FrameBudget turns); --query 'a=1&b=2' adds to
// the page's query (e.g. frameBudget=6: the FrameBudget's milliseconds per frame); --dist DIR builds into and serves DIR instead of dist/ (--no-minify: readable profiles);
// With --runs N over 1, a last line sums the runs up (within budget, median longest task, when the tasks over it came).
// --detail adds RunModel.apply's and each panel's update times; --profile writes a CPU profile
// of the page (Chrome DevTools' format) for finding what is slow; --trace writes a Chrome trace
// (DevTools' Performance panel opens it) and prints each task over the budget split into script,
// style, layout, paint, GC and messaging, with the functions that took its script time.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { attributeLongTasks } from './bench-ui-trace.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
};
// Another preview (a colleague's benchmark) may hold the default port: --port picks another.
const PORT = Number(option('--port', 4180));
const records = Number(option('--records', 1_000_000));
const budget = Number(option('--budget', 50));
const runs = Number(option('--runs', 1));
const checkpoint = option('--checkpoint', undefined);
const screenshots = option('--screenshots', undefined);
const profile = option('--profile', undefined);
const trace = option('--trace', undefined);
const detail = flag('--detail');
const panels = option('--panels', undefined);
const dist = option('--dist', 'dist');
const noBudget = flag('--no-budget');

const fmt = (n) => Math.round(n).toLocaleString('en-US');

if (!flag('--no-build')) {
  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', dist, '--emptyOutDir', ...(flag('--no-minify') ? ['--minify', 'false'] : [])], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const preview = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort', '--outDir', dist], {
  stdio: ['ignore', 'pipe', 'pipe'],
  detached: true,
});
let previewLog = '';
preview.stdout.on('data', (b) => (previewLog += b));
preview.stderr.on('data', (b) => (previewLog += b));
const stopPreview = () => {
  try {
    process.kill(-preview.pid, 'SIGTERM');
  } catch {
    // already gone
  }
};
process.on('exit', stopPreview);

/** Waits until the preview server answers (or gives up after 20 s). */
async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${PORT}/bench-ui.html`);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (preview.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`vite preview did not start on port ${PORT}:\n${previewLog}`);
}

let failed = false;
/** Each run's result, for the summary over several runs. */
const results = [];
try {
  await waitForServer();
  const browser = await chromium.launch({
    executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  for (let run = 1; run <= runs; run++) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => console.log(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') console.log(`console.error: ${m.text()}`);
    });
    const query = new URLSearchParams({ records: String(records), ...(checkpoint !== undefined ? { checkpoint } : {}), ...(panels !== undefined ? { panels } : {}), ...(noBudget ? { budget: 'off' } : {}), ...Object.fromEntries(new URLSearchParams(option('--query', ''))) });
    await page.goto(`http://127.0.0.1:${PORT}/bench-ui.html?${query}`, { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready]');
    const cdp = profile || trace ? await page.context().newCDPSession(page) : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    if (trace) {
      const categories = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8', 'v8.execute', 'blink.user_timing'];
      await browser.startTracing(page, { categories });
    }
    await page.evaluate(() => void window.benchUi.start());
    if (screenshots) {
      mkdirSync(screenshots, { recursive: true });
      // Mid-run: once a fair share of the records has arrived.
      await page
        .waitForFunction((n) => Number(document.querySelector('.bench-status')?.textContent?.replace(/,/g, '').match(/^(\d+) records/)?.[1] ?? 0) >= n, records * 0.4, { timeout: 120_000, polling: 100 })
        .catch(() => {});
      await page.screenshot({ path: join(screenshots, `bench-ui-mid-${run}.png`) });
    }
    await page.waitForSelector('body[data-done]', { timeout: 300_000 });
    const r = await page.evaluate(() => window.benchUi.result);
    const nodes = await page.evaluate(() => [...document.querySelectorAll('section[data-panel]')].map((s) => `${s.dataset.panel} ${s.querySelectorAll('*').length}`).join(', '));
    let traceLines = [];
    if (cdp) {
      const { profile: cpu } = await cdp.send('Profiler.stop');
      if (profile) {
        writeFileSync(profile, JSON.stringify(cpu));
        console.log(`wrote ${profile}`);
      }
      if (trace) {
        const file = runs > 1 ? trace.replace(/(\.json)?$/, `-${run}.json`) : trace;
        const buffer = await browser.stopTracing();
        writeFileSync(file, buffer);
        console.log(`wrote ${file}`);
        traceLines = attributeLongTasks(JSON.parse(buffer.toString('utf8')), cpu, budget);
      }
    }
    if (screenshots) await page.screenshot({ path: join(screenshots, `bench-ui-end-${run}.png`), fullPage: true });
    const seconds = (r.runMs / 1000).toFixed(1);
    const over = r.longestTaskMs > budget;
    console.log(
      `ui: ${fmt(r.records)} records in ${seconds} s; longest main-thread task ${fmt(r.longestTaskMs)} ms (budget ${budget})${over ? ' OVER BUDGET' : ''}; ` +
        `${fmt(r.fps)} fps (frames ${fmt(r.frames)} over ${seconds} s)`,
    );
    // When in the run the tasks over the budget came (the first second is code still cold).
    const overs = (r.longTaskTimes ?? []).filter((t) => t.ms > budget);
    if (overs.length > 0) console.log(`    over ${budget} ms: ${overs.map((t) => `${fmt(t.ms)} ms at ${(t.atMs / 1000).toFixed(2)} s`).join(', ')}`);
    if (detail) {
      const panels = Object.entries(r.panels).map(([id, p]) => `${id} max ${p.maxMs.toFixed(1)} total ${fmt(p.totalMs)}`).join('; ');
      console.log(`    long tasks ${r.longTasks}; apply max ${r.applyMaxMs.toFixed(1)} ms, total ${fmt(r.applyTotalMs)} ms over ${r.deltas} deltas (slowest: ${fmt(r.applyMaxDelta.records)} dots, ${fmt(r.applyMaxDelta.eventBytes)} bytes of events); frame max ${r.frameMaxMs.toFixed(1)} ms`);
      console.log(`    panels (ms): ${panels}`);
      console.log(`    DOM elements per panel at the end: ${nodes}`);
      console.log(`    model: ${Object.entries(r.model).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`);
    }
    for (const line of traceLines) console.log(`    ${line}`);
    if (r.error) console.log(`    run error: ${r.error}`);
    if (over || r.error || r.records < records) failed = true;
    results.push(r);
    await page.close();
  }
  await browser.close();
  if (results.length > 1) for (const line of summary(results, budget)) console.log(line);
} catch (e) {
  console.error(`bench-ui: ${e instanceof Error ? e.message : e}`);
  failed = true;
} finally {
  stopPreview();
}
process.exit(failed ? 1 : 0);

/**
 * Over several runs: how many stayed within the budget, the longest task's median and range
 * (an extreme value: compare builds over many interleaved runs), and when the tasks over the
 * budget came (the run's first second is code still being optimised).
 */
function summary(rs, budget) {
  const sorted = rs.map((r) => r.longestTaskMs).sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  const within = rs.filter((r) => r.longestTaskMs <= budget).length;
  const overs = rs.flatMap((r) => (r.longTaskTimes ?? []).filter((t) => t.ms > budget));
  const early = overs.filter((t) => t.atMs < 1000).length;
  const fps = rs.map((r) => r.fps);
  const secs = rs.map((r) => r.runMs / 1000);
  return [
    `summary of ${rs.length} runs: ${within} with no task over ${budget} ms; longest task median ${fmt(median)} ms (${fmt(sorted[0])}-${fmt(sorted.at(-1))}); ` +
      `${overs.length} tasks over ${budget} ms, ${early} of them in a run's first second; ${fmt(Math.min(...fps))}-${fmt(Math.max(...fps))} fps; ` +
      `${Math.min(...secs).toFixed(1)}-${Math.max(...secs).toFixed(1)} s a run`,
  ];
}
