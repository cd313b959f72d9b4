import { describe, expect, it } from 'vitest';
import { CompileError, compilePipelineSource, mapColumn } from '../../src/cli/compile-pipeline.ts';

describe('compilePipelineSource', () => {
  it('turns TypeScript into CommonJS, line for line', () => {
    const source = [
      "import { type Pipeline, seconds } from 'brook';",
      'interface E { user: string }',
      'export default (p: Pipeline) => {',
      '  const size: number = seconds(5);',
      '};',
    ].join('\n');
    const { js } = compilePipelineSource(source, 'pipeline.ts');
    expect(js.split('\n')).toHaveLength(source.split('\n').length);
    expect(js).toContain("require('brook')");
    expect(js).toContain('exports. default = (p) =>');
    expect(js.split('\n')[3]).toContain('const size = _brook.seconds.call(void 0, 5);');
  });

  it('reports a syntax error with its file, line and column', () => {
    const error = (() => {
      try {
        compilePipelineSource('const a = 1;\nconst b = (;\n', 'pipeline.ts');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CompileError);
    expect(error).toMatchObject({ file: 'pipeline.ts', line: 2, column: 12, reason: 'Unexpected token' });
  });
});

describe('mapColumn', () => {
  it('maps a column past deleted type syntax back to the source', () => {
    const source = '  [1].map((e: number) => (e as any).foo.x);';
    const compiled = '  [1].map((e) => (e ).foo.x);';
    expect(mapColumn(compiled, source, compiled.indexOf('x') + 1)).toBe(source.indexOf('.x') + 2);
    expect(mapColumn(compiled, source, compiled.indexOf('foo') + 1)).toBe(source.indexOf('foo') + 1);
  });

  it('maps a call of an imported function to the name the user wrote', () => {
    const source = '  const size: number = seconds(5);';
    const compiled = '  const size = _brook.seconds.call(void 0, 5);';
    expect(mapColumn(compiled, source, compiled.indexOf('seconds') + 1)).toBe(source.indexOf('seconds') + 1);
  });

  it('keeps the column of an unchanged line', () => {
    expect(mapColumn('let b = 3;', 'let b = 3;', 5)).toBe(5);
  });
});
