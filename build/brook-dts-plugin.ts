// The Brook API's type declarations for the in-browser editor, generated from the engine source
// with the TypeScript compiler API and served as the virtual module `virtual:brook-dts`.
// Invariant: never a hand-kept copy; the map is rebuilt whenever an engine file changes in dev.

import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { Plugin } from 'vite';

export const BROOK_DTS_ID = 'virtual:brook-dts';
const RESOLVED_ID = `\0${BROOK_DTS_ID}`;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Path of every generated file inside the `brook` package, e.g. `index.d.ts`,
 * `engine/api/index.d.ts`, mapped to its text. `index.d.ts` re-exports the API, so a file laid
 * out under `node_modules/brook/` makes `import { tumblingWindows } from 'brook'` resolve.
 */
export type BrookDtsMap = Record<string, string>;

/** Relative specifiers written with `.ts` (the engine's style), which a `.d.ts` cannot keep. */
const TS_SPECIFIER = /(\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*?)\.ts\2/g;

/**
 * Emits the declarations of `src/engine/api/index.ts` and everything it reaches, in memory.
 * TSDoc is kept (`removeComments: false`) so hovers in the editor show it.
 * @example
 * const files = generateBrookDts();
 * files['index.d.ts']; // "export * from './engine/api/index.js';\n"
 */
export function generateBrookDts(root: string = repoRoot): BrookDtsMap {
  const srcDir = join(root, 'src');
  const outDir = join(root, '.brook-dts');
  const program = ts.createProgram([join(srcDir, 'engine/api/index.ts')], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts'],
    types: [],
    strict: true,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
    declaration: true,
    emitDeclarationOnly: true,
    removeComments: false,
    rootDir: srcDir,
    outDir,
  });
  const files: BrookDtsMap = {};
  const result = program.emit(undefined, (fileName, text) => {
    const path = relative(outDir, fileName).split(sep).join('/');
    files[path] = text.replace(TS_SPECIFIER, '$1$2$3.js$2');
  });
  const errors = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics].filter(
    (d) => d.category === ts.DiagnosticCategory.Error,
  );
  if (result.emitSkipped || errors.length > 0) {
    const text = ts.formatDiagnostics(errors, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => root,
      getNewLine: () => '\n',
    });
    throw new Error(`brook-dts: the engine's API does not compile:\n${text}`);
  }
  files['index.d.ts'] = "export * from './engine/api/index.js';\n";
  return files;
}

/**
 * Vite plugin: `import brookDts from 'virtual:brook-dts'` gives the {@link BrookDtsMap}.
 * Generated once and cached; in dev a change under `src/engine/` drops the cache and sends the
 * virtual module as an update (monaco-setup.ts accepts it and swaps the editor's libs).
 */
export function brookDts(root: string = repoRoot): Plugin {
  const engineDir = join(root, 'src', 'engine') + sep;
  let cached: string | null = null;
  return {
    name: 'brook-dts',
    resolveId(id) {
      return id === BROOK_DTS_ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      cached ??= `export default ${JSON.stringify(generateBrookDts(root))};\n`;
      return cached;
    },
    hotUpdate({ file, modules }) {
      if (!file.startsWith(engineDir)) return undefined;
      cached = null;
      const virtual = this.environment.moduleGraph.getModuleById(RESOLVED_ID);
      if (!virtual) return undefined;
      this.environment.moduleGraph.invalidateModule(virtual);
      return [...modules, virtual];
    },
  };
}
