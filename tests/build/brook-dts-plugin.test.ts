import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { brookDts, generateBrookDts, type BrookDtsMap } from '../../build/brook-dts-plugin.ts';
import { PIPELINE_COMPILER_OPTIONS, PIPELINE_GLOBALS_DTS } from '../../src/app/editor/pipeline-compiler-options.ts';

// The editor's types for 'brook' are generated from the engine; these tests check them the way
// the editor's TypeScript worker reads them (same options, same node_modules/brook layout).

const repoRoot = join(import.meta.dirname, '..', '..');
let files: BrookDtsMap;
let dir: string;

beforeAll(() => {
  files = generateBrookDts(repoRoot);
  dir = mkdtempSync(join(tmpdir(), 'brook-dts-'));
  for (const [path, text] of Object.entries(files)) {
    const file = join(dir, 'node_modules', 'brook', path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  writeFileSync(join(dir, 'globals.d.ts'), PIPELINE_GLOBALS_DTS);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

let previous: ts.Program | undefined;

/**
 * Type errors of pipeline files, as the editor marks them: "name:line: TScode message". One
 * program for all of them, reusing the previous program's parsed files (lib, brook).
 */
function typeErrors(sources: Record<string, string>, checkLibs = false): string[] {
  const names = new Map<string, string>();
  for (const [name, source] of Object.entries(sources)) {
    const file = join(dir, `${name}.ts`);
    writeFileSync(file, source);
    names.set(file, name);
  }
  const options = { ...PIPELINE_COMPILER_OPTIONS, lib: [...PIPELINE_COMPILER_OPTIONS.lib], types: [], skipLibCheck: !checkLibs };
  const program = ts.createProgram([...names.keys(), join(dir, 'globals.d.ts')], options as ts.CompilerOptions, undefined, previous);
  previous = program;
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const line = d.file ? d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1 : 0;
    const where = d.file ? (names.get(d.file.fileName) ?? d.file.fileName) : '';
    return `${where}:${line}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

describe('brook-dts', () => {
  test('the package entry re-exports the API generated from src/engine/api/index.ts', () => {
    expect(files['index.d.ts']).toBe("export * from './engine/api/index.js';\n");
    expect(files['engine/api/index.d.ts']).toContain("export { Pipeline, defaultPrimaryKey } from './pipeline.js';");
  });

  test('TSDoc survives, so hovers show the documentation', () => {
    const source = readFileSync(join(repoRoot, 'src/engine/windows/time-windows.ts'), 'utf8');
    const doc = source.slice(source.indexOf('/**\n * Tumbling event-time windows'), source.indexOf('export function tumblingWindows'));
    expect(doc).not.toBe('');
    expect(files['engine/windows/time-windows.d.ts']).toContain(doc.trim());
  });

  test('no declaration keeps a .ts import specifier', () => {
    const tsSpecifiers = Object.entries(files).flatMap(([path, text]) =>
      [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]*\.ts)['"]/g)].map((m) => `${path}: ${m[1]}`),
    );
    expect(tsSpecifiers).toEqual([]);
  });

  test('the generated declarations and every example pipeline type-check together', () => {
    const examples = Object.fromEntries(
      ['word-count', 'sessions', 'late-data', 'alerts'].map((name) => [name, readFileSync(join(repoRoot, 'examples', `${name}.ts`), 'utf8')]),
    );
    expect(typeErrors(examples, true)).toEqual([]);
  });

  test('a pipeline that passes a number as a window assigner gets exactly one type error', () => {
    const source = readFileSync(join(repoRoot, 'examples/word-count.ts'), 'utf8').replace(
      '.window(tumblingWindows(seconds(10)))',
      '.window(42)',
    );
    const line = source.split('\n').findIndex((l) => l.includes('.window(42)')) + 1;
    expect(typeErrors({ 'window-42': source })).toEqual([
      `window-42:${line}: TS2345 Argument of type 'number' is not assignable to parameter of type 'WindowAssigner'.`,
    ]);
  });

  test('a pipeline may log to the console but not reach the DOM', () => {
    const source = "import type { Pipeline } from 'brook';\nexport default (p: Pipeline) => {\n  console.log(p);\n  document.title = 'x';\n};\n";
    expect(typeErrors({ globals: source })).toEqual(["globals:4: TS2584 Cannot find name 'document'. Do you need to change your target library? Try changing the 'lib' compiler option to include 'dom'."]);
  });

  test('the plugin serves the generated map of a small engine as the default export of virtual:brook-dts', () => {
    const root = join(dir, 'fixture');
    mkdirSync(join(root, 'src/engine/api'), { recursive: true });
    mkdirSync(join(root, 'src/engine/time'), { recursive: true });
    writeFileSync(join(root, 'src/engine/time/time.ts'), '/** Milliseconds. */\nexport const seconds = (n: number): number => n * 1000;\n');
    writeFileSync(join(root, 'src/engine/api/index.ts'), "export { seconds } from '../time/time.ts';\n");
    const plugin = brookDts(root);
    const resolveId = plugin.resolveId as (id: string) => string | undefined;
    const load = plugin.load as (id: string) => string | undefined;

    const resolved = resolveId('virtual:brook-dts');
    expect(resolved).toBe('\0virtual:brook-dts');
    expect(resolveId('brook')).toBeUndefined();
    expect(load(resolved!)).toBe(
      `export default ${JSON.stringify({
        'engine/time/time.d.ts': '/** Milliseconds. */\nexport declare const seconds: (n: number) => number;\n',
        'engine/api/index.d.ts': "export { seconds } from '../time/time.js';\n",
        'index.d.ts': "export * from './engine/api/index.js';\n",
      })};\n`,
    );
  });
});
