import { describe, expect, test } from 'vitest';
import { setupRegionLines } from '../../../src/app/editor/setup-regions.ts';

describe('setupRegionLines', () => {
  test('finds each `// #region setup` line, 1-based, in order', () => {
    const text = [
      "import { type Pipeline } from 'brook';",
      '// #region setup',
      'const a = 1;',
      '// #endregion',
      'export default (p: Pipeline) => {',
      '  //#region setup: the input',
      '  const b = 2;',
      '  // #endregion',
      '};',
    ].join('\n');
    expect(setupRegionLines(text)).toEqual([2, 6]);
  });

  test('leaves other regions and mentions in code alone', () => {
    const text = ['// #region helpers', 'const s = "// #region setup";', '// #regionsetup', '// #endregion'].join('\n');
    expect(setupRegionLines(text)).toEqual([]);
  });
});
