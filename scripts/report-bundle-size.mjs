// Reports what the production build makes a visitor download: the JavaScript index.html loads
// eagerly (its entry, the chunks it preloads and their static imports; never dynamic chunks),
// and, apart from it, Monaco (the lazily loaded editor chunks and its workers). Gzip sizes.
//   npx vite build && node scripts/report-bundle-size.mjs [dist] [--budget KB]
// Exits 1 when the initial JavaScript is over budget (150 KB gzip by default), or Monaco is in it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';

const args = process.argv.slice(2);
const budgetAt = args.indexOf('--budget');
const budgetKb = budgetAt >= 0 ? Number(args.splice(budgetAt, 2)[1]) : 150;
const dist = args[0] ?? 'dist';
const html = join(dist, 'index.html');
if (!existsSync(html)) {
  console.error(`report-bundle-size: ${html} not found; run \`npx vite build\` first`);
  process.exit(2);
}

/** Gzip size in bytes, at zlib's default level (as Vite's own size report). */
const gzipSize = (file) => gzipSync(readFileSync(join(dist, file))).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/** Paths (relative to dist) of the eagerly loaded scripts and module preloads of an HTML page. */
function eagerScripts(page) {
  const text = readFileSync(join(dist, page), 'utf8');
  const tags = text.match(/<(script|link)\b[^>]*>/g) ?? [];
  const files = [];
  for (const tag of tags) {
    const isModuleScript = tag.startsWith('<script') && /\btype="module"/.test(tag);
    const isPreload = tag.startsWith('<link') && /\brel="modulepreload"/.test(tag);
    const url = tag.match(/\b(?:src|href)="([^"]+)"/)?.[1];
    if ((isModuleScript || isPreload) && url && !/^[a-z]+:/i.test(url)) files.push(url.replace(/^\//, ''));
  }
  return files;
}

/** Static imports of a built chunk (`import ... from "./x.js"`, `import "./x.js"`), not import(). */
function staticImports(file) {
  const code = readFileSync(join(dist, file), 'utf8');
  const found = new Set();
  for (const match of code.matchAll(/(?:^|[;\s}])(?:import|export)\s*(?:[^"'();]*?\bfrom\s*)?["']([^"']+\.js)["']/g)) {
    if (match[1].startsWith('.')) found.add(posix.join(posix.dirname(file), match[1]));
  }
  return found;
}

/** `roots` and every chunk they reach through static imports. */
function closure(roots) {
  const seen = new Set();
  const queue = [...roots];
  while (queue.length > 0) {
    const file = queue.pop();
    if (seen.has(file) || !existsSync(join(dist, file))) continue;
    seen.add(file);
    queue.push(...staticImports(file));
  }
  return seen;
}

const assets = readdirSync(join(dist, 'assets')).map((f) => `assets/${f}`);
const initial = closure(eagerScripts('index.html'));
const initialBytes = [...initial].reduce((sum, f) => sum + gzipSize(f), 0);

// Monaco: the lazily imported setup chunk, everything it reaches that the page did not already
// load, the chunks Monaco itself loads later (the TypeScript mode), its CSS and its workers.
const setup = assets.filter((f) => /\/monaco-setup-[\w-]+\.js$/.test(f));
const monacoJs = new Set([...closure(setup)].filter((f) => !initial.has(f)));
for (const f of assets) {
  if (/\/tsMode-[\w-]+\.js$/.test(f)) for (const g of closure([f])) if (!initial.has(g)) monacoJs.add(g);
}
const monacoBytes = [...monacoJs].reduce((sum, f) => sum + gzipSize(f), 0);
const monacoCss = assets.filter((f) => /\/(monaco-setup|tsMode|editor\.api)-[\w-]+\.css$/.test(f));
const workers = assets.filter((f) => /\/(editor|ts)\.worker-[\w-]+\.js$/.test(f));
const monacoInInitial = [...initial].filter((f) => /monaco|editor\.api|tsMode/.test(f));

console.log(`Initial JS of index.html (gzip): ${kb(initialBytes)} (budget ${budgetKb} KB)`);
for (const f of [...initial].sort((a, b) => gzipSize(b) - gzipSize(a))) console.log(`  ${f.padEnd(52)} ${kb(gzipSize(f))}`);
console.log(`Monaco, loaded after first paint (gzip): ${kb(monacoBytes)} JS in ${monacoJs.size} chunks`);
for (const f of [...monacoJs].sort((a, b) => gzipSize(b) - gzipSize(a))) console.log(`  ${f.padEnd(52)} ${kb(gzipSize(f))}`);
for (const f of monacoCss) console.log(`  ${f.padEnd(52)} ${kb(gzipSize(f))} (CSS)`);
for (const f of workers) console.log(`  ${f.padEnd(52)} ${kb(gzipSize(f))} (worker, started when an editor opens)`);
if (setup.length === 0) console.log('  (no monaco-setup chunk found: is the editor in the build?)');

// The panels' chunks are compiled eagerly (build/compile-hints-plugin.ts): a run's first frames
// call most of their functions, and lazy compilation would do it on the main thread then.
const hinted = assets.filter((f) => f.endsWith('.js') && readFileSync(join(dist, f), 'utf8').startsWith('//# allFunctionsCalledOnLoad\n'));
console.log(`Compiled eagerly (V8 compile hint): ${hinted.map((f) => f.replace('assets/', '')).join(', ') || 'none'}`);

let failed = false;
if (!hinted.some((f) => /\/panels-[\w-]+\.js$/.test(f))) {
  console.error('The panels chunk (assets/panels-*.js) does not start with the compile hint: is build/compile-hints-plugin.ts in vite.config.ts?');
  failed = true;
}
if (monacoInInitial.length > 0) {
  console.error(`Monaco is in the initial JS: ${monacoInInitial.join(', ')}`);
  failed = true;
}
if (initialBytes > budgetKb * 1024) {
  console.error(`Initial JS is ${kb(initialBytes)} gzip, over the ${budgetKb} KB budget`);
  failed = true;
}
process.exit(failed ? 1 : 0);
