// Enforces DESIGN.md's layers: every import in src/ must point to a layer it is allowed to use.
//
// Reads each source file with the TypeScript parser (the <script> blocks of .svelte files) and
// checks every module specifier: import and export-from (static, dynamic `import()`, `import
// type`, `require()`), `import('x').T` in types, and `new URL('x', import.meta.url)` (how Vite
// starts workers). Comments and strings are never mistaken for code. In src/engine it also
// rejects ambient effects: wall clocks, unseeded randomness and real timers.
//
// Prints every violation as file:line and exits 1; prints "layers ok (N files)" otherwise.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'src');

/**
 * What each layer may import. `layers`: layers under src/ it may load at run time;
 * `typeOnlyLayers`: layers it may reach only with `import type` / `export type`;
 * `packages`: npm packages; `node`: Node built-ins; `outside`: top-level folders and files
 * outside src/ (lesson content, examples, package.json for the version); `runtimeFiles`: single
 * files of other layers it may load at run time (paths under src/).
 */
const RULES = {
  engine: { layers: ['engine'], typeOnlyLayers: [], packages: false, node: false, outside: [] },
  lessons: { layers: ['engine', 'lessons'], typeOnlyLayers: [], packages: true, node: false, outside: ['lessons'] },
  cli: {
    layers: ['engine', 'lessons', 'storage', 'cli'],
    typeOnlyLayers: [],
    packages: true,
    node: true,
    outside: ['lessons', 'examples', 'package.json'],
  },
  // The IndexedDB DurableStore (docs/durability.md): it implements an engine interface with `idb`.
  storage: { layers: ['engine', 'storage'], typeOnlyLayers: [], packages: true, node: false, outside: [] },
  // The worker compiles pipelines with the command line's pure compiler (no Node APIs in it).
  worker: { layers: ['engine', 'lessons', 'storage', 'worker'], typeOnlyLayers: [], runtimeFiles: ['cli/compile-pipeline.ts', 'cli/arrow-error-location.ts'], packages: true, node: false, outside: ['lessons'] },
  // viz reads the worker's message shapes (and their constants) from protocol.ts, nothing else of it.
  viz: { layers: ['viz'], typeOnlyLayers: ['worker', 'engine'], runtimeFiles: ['worker/protocol.ts'], packages: true, node: false, outside: ['static'] },
  app: {
    layers: ['engine', 'lessons', 'worker', 'viz', 'app'],
    typeOnlyLayers: [],
    packages: true,
    node: false,
    // examples: the panel lab (src/app/lab) runs them.
    outside: ['lessons', 'static', 'package.json', 'examples'],
  },
};

/** Ambient effects that break determinism; the engine is handed a clock and a random source. */
const ENGINE_FORBIDDEN_MEMBERS = ['Date.now', 'performance.now', 'Math.random'];
const ENGINE_FORBIDDEN_CALLS = ['setTimeout', 'setInterval'];

const SOURCE_FILE = /\.(ts|mts|cts|js|mjs|cjs|svelte)$/;
const NODE_BUILTINS = new Set(builtinModules);

function listFiles(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listFiles(path);
    return SOURCE_FILE.test(entry.name) ? [path] : [];
  });
}

/** The TypeScript parts of a file, each with the line (0-based) it starts on. */
function scriptsOf(path, text) {
  if (!path.endsWith('.svelte')) return [{ code: text, firstLine: 0 }];
  const scripts = [];
  for (const match of text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)) {
    const start = match.index + match[0].indexOf('>') + 1;
    scripts.push({ code: match[1], firstLine: text.slice(0, start).split('\n').length - 1 });
  }
  return scripts;
}

function layerOfPath(absolute) {
  const fromSrc = relative(srcDir, absolute);
  if (fromSrc.startsWith('..')) return null;
  const [first, ...rest] = fromSrc.split(sep);
  return rest.length === 0 ? '(src root)' : first;
}

function isImportMetaUrl(node) {
  return (
    ts.isPropertyAccessExpression(node) &&
    node.name.text === 'url' &&
    ts.isMetaProperty(node.expression) &&
    node.expression.keywordToken === ts.SyntaxKind.ImportKeyword
  );
}

/** Every module specifier in a script, with whether it is erased at compile time. */
function collectSpecifiers(sourceFile) {
  const found = [];
  const add = (literal, typeOnly) => found.push({ specifier: literal.text, node: literal, typeOnly });

  const visit = (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier, node.importClause?.isTypeOnly === true);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier, node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expression = node.moduleReference.expression;
      if (ts.isStringLiteral(expression)) add(expression, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node)) {
      const argument = node.argument;
      if (ts.isLiteralTypeNode(argument) && ts.isStringLiteral(argument.literal)) add(argument.literal, true);
    } else if (ts.isCallExpression(node)) {
      const [first] = node.arguments;
      const isImportCall = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if ((isImportCall || isRequire) && first && ts.isStringLiteralLike(first)) add(first, false);
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL') {
      const [first, base] = node.arguments ?? [];
      if (first && base && ts.isStringLiteralLike(first) && isImportMetaUrl(base)) add(first, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** Wall clocks, unseeded randomness and timers used anywhere in the code (not comments or strings). */
function collectAmbientEffects(sourceFile) {
  const found = [];
  const visit = (node) => {
    if (ts.isPropertyAccessExpression(node)) {
      const name = `${node.expression.getText(sourceFile)}.${node.name.text}`;
      const bare = name.replace(/^(globalThis|self|window)\./, '');
      if (ENGINE_FORBIDDEN_MEMBERS.includes(bare)) found.push({ node, what: `${bare}()` });
    }
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee)
        ? callee.text
        : ts.isPropertyAccessExpression(callee)
          ? callee.name.text
          : null;
      if (name && ENGINE_FORBIDDEN_CALLS.includes(name)) found.push({ node, what: `${name}()` });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** Why `specifier`, imported from a file in `layer`, breaks the rules, or null if it is allowed. */
function violation(layer, fromFile, specifier, typeOnly) {
  const rule = RULES[layer];
  const path = specifier.replace(/[?#].*$/, '');

  if (path.startsWith('.') || path.startsWith('/')) {
    const target = resolve(dirname(fromFile), path);
    const targetLayer = layerOfPath(target);
    if (targetLayer === null) {
      const topFolder = relative(root, target).split(sep)[0];
      if (topFolder !== '..' && rule.outside.includes(topFolder)) return null;
      return `src/${layer} may not import ${relative(root, target) || '.'} (outside src/)`;
    }
    if (rule.layers.includes(targetLayer)) return null;
    if ((rule.runtimeFiles ?? []).includes(relative(srcDir, target).split(sep).join('/'))) return null;
    if (typeOnly && rule.typeOnlyLayers.includes(targetLayer)) return null;
    if (rule.typeOnlyLayers.includes(targetLayer)) {
      return `src/${layer} may import src/${targetLayer} only with \`import type\``;
    }
    return `src/${layer} may not import src/${targetLayer}`;
  }

  const isNodeBuiltin = path.startsWith('node:') || NODE_BUILTINS.has(path) || NODE_BUILTINS.has(path.split('/')[0]);
  if (isNodeBuiltin) return rule.node ? null : `src/${layer} may not import the Node built-in '${path}'`;
  return rule.packages ? null : `src/${layer} may not import the package '${path}'`;
}

const files = listFiles(srcDir).sort();
const problems = [];

for (const file of files) {
  const shown = relative(root, file).split(sep).join('/');
  const layer = layerOfPath(file);
  if (!(layer in RULES)) {
    problems.push(`${shown}:1: not in a known layer (${Object.keys(RULES).join(', ')}); add it to scripts/check-layers.mjs`);
    continue;
  }
  const text = readFileSync(file, 'utf8');
  for (const { code, firstLine } of scriptsOf(file, text)) {
    const sourceFile = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const lineOf = (node) => firstLine + sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;

    for (const { specifier, node, typeOnly } of collectSpecifiers(sourceFile)) {
      const why = violation(layer, file, specifier, typeOnly);
      if (why) problems.push(`${shown}:${lineOf(node)}: '${specifier}': ${why}`);
    }
    if (layer === 'engine') {
      for (const { node, what } of collectAmbientEffects(sourceFile)) {
        problems.push(`${shown}:${lineOf(node)}: ${what} in src/engine: take time and randomness from the clock and random source the engine is handed`);
      }
    }
  }
}

if (problems.length > 0) {
  const lineNumber = (problem) => Number(problem.split(':')[1]);
  problems.sort((a, b) => a.split(':')[0].localeCompare(b.split(':')[0]) || lineNumber(a) - lineNumber(b));
  for (const problem of problems) console.error(problem);
  console.error(`\nlayers: ${problems.length} violation${problems.length === 1 ? '' : 's'} (rules: DESIGN.md "Layers", scripts/check-layers.mjs)`);
  process.exit(1);
}
console.log(`layers ok (${files.length} files)`);
