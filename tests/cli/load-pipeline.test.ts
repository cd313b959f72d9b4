import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CompileError } from '../../src/cli/compile-pipeline.ts';
import { firstUserFrame, formatError } from '../../src/cli/errors.ts';
import { ModuleEvaluationError, NoDefaultExportError, PipelineLoader } from '../../src/cli/load-pipeline.ts';

const dir = mkdtempSync(join(tmpdir(), 'brook-loader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

const fakeBrook = { seconds: (n: number) => n * 1000 };
const loader = () => new PipelineLoader({ brook: fakeBrook });

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('PipelineLoader', () => {
  it("returns the default export, with 'brook' and relative .ts imports resolved", () => {
    file('helper.ts', ['export const double = (n: number): number => n * 2;']);
    const pipeline = file('ok.ts', [
      "import { type Pipeline, seconds } from 'brook';",
      "import { double } from './helper';",
      "import { double as again } from './helper.js';",
      "import { join } from 'node:path';",
      'export default (p: { out: unknown[] }) => {',
      "  p.out.push(double(seconds(2)), again(1), join('a', 'b'));",
      '};',
    ]);
    const out: unknown[] = [];
    loader().loadPipeline(pipeline)({ out } as never);
    expect(out).toEqual([4000, 2, 'a/b']);
  });

  it('refuses a file without a default export, saying what it found', () => {
    const none = file('no-default.ts', ['export const build = () => {};']);
    expect(thrown(() => loader().loadPipeline(none))).toMatchObject({
      constructor: NoDefaultExportError,
      message: 'it has no default export',
    });
    const object = file('object-default.ts', ['export default { build() {} };']);
    expect(thrown(() => loader().loadPipeline(object))).toMatchObject({ message: 'its default export is an object' });
  });

  it('reports a syntax error in an imported file at that file', () => {
    const broken = file('broken.ts', ['export const x = ;']);
    const main = file('imports-broken.ts', ["import { x } from './broken';", 'export default () => x;']);
    expect(thrown(() => loader().loadPipeline(main))).toMatchObject({
      constructor: CompileError,
      file: broken,
      line: 1,
      column: 18,
    });
  });

  it('reports a syntax error that only V8 catches at the right line and column', () => {
    const twice = file('twice.ts', ['const a: number = 1;', 'let b = 2;', 'let b = 3;']);
    expect(thrown(() => loader().loadPipeline(twice))).toMatchObject({
      constructor: CompileError,
      line: 3,
      column: 5,
      reason: "Identifier 'b' has already been declared",
    });
  });

  it('places a runtime error in the TypeScript source, columns included', () => {
    const path = file('throws.ts', [
      'interface E { foo?: { x: number } }',
      'export default () => {',
      '  [{} as E].map((e: E) => (e as any).foo.x);',
      '};',
    ]);
    const load = loader();
    const error = thrown(() => load.loadPipeline(path)(undefined as never));
    expect(firstUserFrame(error, load)).toEqual({ file: path, line: 3, column: 42 });
    expect(formatError(error, { loader: load, cwd: dir, debug: false })).toBe(
      [
        "throws.ts:3:42: error: TypeError: Cannot read properties of undefined (reading 'x')",
        '  3 |   [{} as E].map((e: E) => (e as any).foo.x);',
        '    |                                          ^',
        '',
      ].join('\n'),
    );
  });

  it('reports an import that cannot be found at the import, naming what it looked for', () => {
    const path = file('missing-import.ts', ["import { helper } from './helpers';", 'export default () => helper();']);
    const load = loader();
    const error = thrown(() => load.loadPipeline(path));
    expect(formatError(error, { loader: load, cwd: dir, debug: false })).toBe(
      [
        "missing-import.ts:1:24: error: cannot find './helpers' (looked for ./helpers.ts, ./helpers.tsx, ./helpers/index.ts and JavaScript files)",
        "  1 | import { helper } from './helpers';",
        '    |                        ^',
        '',
      ].join('\n'),
    );
  });

  it('wraps a throw in top-level code as a ModuleEvaluationError', () => {
    const path = file('top-level.ts', ["throw new RangeError('too early');", 'export default () => {};']);
    const load = loader();
    const error = thrown(() => load.loadPipeline(path));
    expect(error).toBeInstanceOf(ModuleEvaluationError);
    expect(formatError(error, { loader: load, cwd: dir, debug: false })).toMatch(
      /^top-level\.ts:1:7: error: loading top-level\.ts threw RangeError: too early\n/,
    );
  });
});
