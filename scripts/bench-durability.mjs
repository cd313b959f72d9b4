// `npm run bench:durability`: the snapshot-write benchmark in Chromium, against its real
// IndexedDB (the Node run of `npm run bench` uses fake-indexeddb, where a bulk write costs next to
// nothing; `npm run bench` runs this script too). Bundles bench-durability/page.ts and its two
// workers (the engine side, engine-worker.ts, and the product's store worker code,
// store-worker.ts; they live here, outside src/, because they join src/cli/bench's workload to
// src/worker's RPC, which no layer may import together) with esbuild, serves them on port 4181 from a small HTTP
// server, opens the page in Debian's Chromium (Playwright's own browser elsewhere) and prints both
// medians (the snapshot through the two workers and the store RPC, the bulk write in the store
// worker; both with strict durability), the phases, the one-thread figure for comparison, and the
// line `ratio snapshot/bulk-write (chromium indexeddb) X.XX`. Exits 1 when the writes disagree.
//   node scripts/bench-durability.mjs [--keys N] [--repetitions N] [--seed N] [--port N (0: any free)] [--verbose]
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from '@playwright/test';

const DEFAULT_PORT = 4181;
const TARGET = 1.5;
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && at + 1 < args.length ? Number(args[at + 1]) : fallback;
};
const keys = option('--keys', 100_000);
const repetitions = option('--repetitions', 7);
const seed = option('--seed', 1);
const verbose = args.includes('--verbose');
// 0: any free port (npm run bench runs this script so, beside whatever else is serving).
const port = option('--port', DEFAULT_PORT);

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (v) => (v >= 100 ? `${v.toFixed(0)} ms` : v >= 1 ? `${v.toFixed(1)} ms` : `${v.toFixed(2)} ms`);
const chars = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M chars` : n >= 1e3 ? `${(n / 1e3).toFixed(0)} K chars` : `${n} chars`);

const bundled = async (entry) => {
  const out = await build({
    entryPoints: [fileURLToPath(new URL(`./bench-durability/${entry}.ts`, import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    minify: false,
    logLevel: 'warning',
  });
  return out.outputFiles[0].text;
};
const scripts = {
  '/bench.js': await bundled('page'),
  '/engine-worker.js': await bundled('engine-worker'),
  '/store-worker.js': await bundled('store-worker'),
};
const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Brook — durability benchmark</title></head><body><script type="module" src="/bench.js"></script></body></html>`;

const server = createServer((req, res) => {
  if (req.url !== undefined && req.url in scripts) res.writeHead(200, { 'content-type': 'text/javascript' }).end(scripts[req.url]);
  else if (req.url === '/' || req.url?.startsWith('/bench-durability.html')) res.writeHead(200, { 'content-type': 'text/html' }).end(html);
  else res.writeHead(404).end();
});
await new Promise((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/bench-durability.html`;

let failed = false;
let browser;
try {
  browser = await chromium.launch({
    executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.log(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`console.error: ${m.text()}`);
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready]', { state: 'attached' });
  const r = await page.evaluate((o) => window.benchDurability.run(o), { keys, repetitions, seed });
  const load = loadavg().map((l) => l.toFixed(1)).join(', ');
  console.log(
    `snapshot write in Chromium (${r.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? r.userAgent}), real IndexedDB, load average ${load}: one ValueState for each of ${keys.toLocaleString('en-US')} keys; ` +
      `${r.parts} parts, ${chars(r.chars)} (${r.largest.name} ${chars(r.largest.chars)}, written as ${r.chunks} chunks); "snapshot": as the product writes a checkpoint, ` +
      `job.snapshotDeferred() in an engine worker that encodes chunk by chunk and posts each chunk on the store RPC as soon as it is encoded, while the store worker ` +
      `(the product's serveStoreWorker) checksums and puts it into one IndexedDB transaction (durability strict), then seals and puts the manifest last; timed in the engine worker from "snapshot requested" to "manifest committed" ` +
      `(a barrier checkpoint, encoded at its barrier, streams its text the same way); ` +
      `baseline "bulk-write": the same part strings put with idb in one readwrite transaction in the store worker, durability strict as a checkpoint's; a fresh database per run; each timed write starts 150 ms after its setup (database opened, job built), so no clock holds the work before it or runs on a backend still warm from the write before`,
  );
  if (verbose) r.snapshot.forEach((s, i) => console.log(`  round ${i + 1}/${repetitions}: snapshot ${ms(s)}, bulk-write ${ms(r.bulk[i])}, one thread ${ms(r.singleThread[i])}, whole parts over the RPC ${ms(r.wholeParts[i])}`));
  if (r.differences.length > 0) {
    console.log('  the writes disagree, so no ratio is printed:');
    for (const line of r.differences) console.log(`    ${line}`);
    failed = true;
  } else {
    console.log(`  both wrote and read back the same ${r.parts} parts (names, sizes and checksums)`);
    for (const [name, runs] of [['snapshot', r.snapshot], ['bulk-write', r.bulk]]) {
      console.log(`  ${name.padEnd(10)}  ${ms(median(runs)).padStart(9)}  (median of ${runs.length}; min ${ms(Math.min(...runs))}, max ${ms(Math.max(...runs))})`);
    }
    const phase = (key) => ms(median(r.phases.map((p) => p[key])));
    console.log(
      `  snapshot, by phase (medians, engine worker's clock): job.snapshotDeferred() ${phase('take')}; encoding chunks ${phase('encode')}, posting them ${phase('post')}; ` +
        `the manifest ${phase('seal')}; then, manifest posted to committed (the store worker's last puts and checksums, its sealing, the commit) ${phase('commit')}`,
    );
    const one = r.singleThread;
    const onePhase = (key) => ms(median(r.singleThreadPhases.map((p) => p[key])));
    console.log(
      `  for comparison (no ratio): the same driver path on the page's one thread, straight into IndexedDB, ${ms(median(one))} (median of ${one.length}; min ${ms(Math.min(...one))}): ` +
        `take ${onePhase('take')}, encoding ${onePhase('encode')}, puts ${onePhase('put')}, chunk checksums ${onePhase('checksums')}, manifest ${onePhase('seal')}, commit ${onePhase('commit')}`,
    );
    const whole = r.wholeParts;
    console.log(`  for comparison (no ratio): across the same two workers, the RPC as it was before checkpoint streams (every part encoded whole and checksummed in the engine worker, then sent in one call), ${ms(median(whole))} (median of ${whole.length}; min ${ms(Math.min(...whole))})`);
    // Not a contender: what incremental checkpoints save once the state exists (labelled, no ratio).
    const inc = r.incremental.runs;
    const last = inc[inc.length - 1];
    const same = inc.every((x) => x.sameState) ? "read back, its state equals a full snapshot's" : "READ BACK, ITS STATE DIFFERS FROM A FULL SNAPSHOT'S";
    console.log(
      `  incremental (--incremental, on the page's thread): after ${r.incremental.changed} of ${keys.toLocaleString('en-US')} keys changed, the next checkpoint, trigger to manifest, ` +
        `${ms(median(inc.map((x) => x.millis)))} (median of ${inc.length}), writing ${chars(last.written)} (the full one before it: ${chars(last.full)}); ${same}`,
    );
    if (!inc.every((x) => x.sameState)) failed = true;
    const ratio = median(r.snapshot) / median(r.bulk);
    console.log(`  target: snapshot/bulk-write <= ${TARGET.toFixed(2)}: ${ratio <= TARGET ? 'met' : 'MISSED'} (${ratio.toFixed(2)})`);
    console.log(`ratio snapshot/bulk-write (chromium indexeddb) ${ratio.toFixed(2)}`);
  }
} catch (e) {
  console.error(`bench-durability: ${e instanceof Error ? e.message : e}`);
  failed = true;
} finally {
  await browser?.close();
  server.close();
}
process.exit(failed ? 1 : 0);
