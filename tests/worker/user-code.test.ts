import { describe, expect, it } from 'vitest';
import * as brook from '../../src/engine/api/index.ts';
import { runPipeline } from '../../src/engine/api/run-pipeline.ts';
import { loadUserModule, UserCodeFailure } from '../../src/worker/user-code.ts';

function failure(fn: () => unknown): UserCodeFailure {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserCodeFailure) return error;
    throw error;
  }
  throw new Error('did not fail');
}

const PIPELINE = `import { testStream, type Pipeline } from 'brook';

interface Reading { v: number }

export default (p: Pipeline) => {
  p.input<Reading>({ default: testStream<Reading>().addElements({ value: { v: 1 }, timestamp: 0 }, { value: { v: 2 }, timestamp: 1 }).advanceWatermarkToInfinity() })
    .map((r: Reading): number => { if (r.v === 2) throw new RangeError('two'); return r.v; })
    .sink('out');
};
`;

describe('loadUserModule', () => {
  it('compiles TypeScript, resolves brook, and returns the default export', () => {
    const { build } = loadUserModule(PIPELINE.replace("if (r.v === 2) throw new RangeError('two'); ", ''), brook);
    expect(runPipeline(build).records.map((r) => r.value)).toEqual([1, 2]);
  });

  it('maps a throw inside a map function to its line and column in the TypeScript', () => {
    const { build, locate } = loadUserModule(PIPELINE, brook);
    let thrown: unknown;
    try {
      runPipeline(build);
    } catch (error) {
      thrown = error;
    }
    // The UserCodeError's cause holds the stack; the column is that of `throw` in the source.
    expect(locate(thrown)).toEqual({ line: 7, column: PIPELINE.split('\n')[6]!.indexOf('throw') + 1 + 'throw '.length });
  });

  it('reports a syntax error as a compile error with its position', () => {
    expect(failure(() => loadUserModule('const x = ;\n', brook)).error).toEqual({ kind: 'compile', message: 'Unexpected token', line: 1, column: 11 });
  });

  it('reports a throw at the top level and a missing default export as definition errors', () => {
    expect(failure(() => loadUserModule("const a = 1;\nthrow new Error('top');\n", brook)).error).toEqual({
      kind: 'definition',
      message: 'loading the pipeline threw Error: top',
      line: 2,
      column: 7,
    });
    expect(failure(() => loadUserModule('export const x = 1;\n', brook)).error.message).toMatch(/must `export default` a function .*it has no default export/);
  });

  it('refuses imports other than brook, at the import', () => {
    const error = failure(() => loadUserModule("import fs from 'node:fs';\nexport default () => fs;\n", brook)).error;
    expect(error).toMatchObject({ kind: 'definition', line: 1 });
    expect(error.message).toContain("cannot import 'node:fs': a pipeline in the sandbox can import only 'brook'");
  });
});
