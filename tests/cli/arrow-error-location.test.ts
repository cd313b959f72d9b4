// Syntax errors inside arrow functions' bodies are reported where they are, not at the arrow
// (sucrase alone reports the arrow's `=>` or its return type).

import { describe, expect, it } from 'vitest';
import { CompileError, compilePipelineSource } from '../../src/cli/compile-pipeline.ts';

function errorOf(source: string): { line: number; column: number; reason: string } {
  try {
    compilePipelineSource(source, 'pipeline.ts');
  } catch (e) {
    if (e instanceof CompileError) return { line: e.line, column: e.column, reason: e.reason };
    throw e;
  }
  throw new Error('expected a syntax error');
}

describe('syntax errors inside arrow functions', () => {
  it('points into the body of a typed arrow, not at its =>', () => {
    const source = ['export default (p: Pipeline) => {', '  const x = 1 +;', '  return x;', '};'].join('\n');
    expect(errorOf(source)).toEqual({ line: 2, column: 16, reason: 'Unexpected token' });
  });

  it('points into the body of an arrow with a return type', () => {
    const source = ['const f = (p: number): number => {', '  const x = p +;', '  return x;', '};'].join('\n');
    expect(errorOf(source)).toEqual({ line: 2, column: 16, reason: 'Unexpected token' });
  });

  it('points into an arrow nested in another arrow, on the same line as the inner arrow', () => {
    const source = ['export default (p: Pipeline) => {', '  p.input().map((r: number) => { const y = r *; return y; });', '};'].join('\n');
    expect(errorOf(source)).toEqual({ line: 2, column: 47, reason: 'Unexpected token' });
  });

  it('leaves errors outside arrows where sucrase put them', () => {
    expect(errorOf('function g(r) {\n  if (r > ) return 1;\n}')).toEqual({ line: 2, column: 11, reason: 'Unexpected token' });
  });
});
