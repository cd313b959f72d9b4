import { describe, expect, test } from 'vitest';
import { regionLines, setupRegionLines } from '../../../src/app/editor/setup-regions.ts';

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

describe('regionLines', () => {
  const text = ['// #region setup', 'const a = 1;', '// #endregion', '// #region input data', 'const b = 2;', '// #endregion', '// #region inputs', '// #endregion'].join(
    '\n',
  );

  test('folds nothing when no region is named (an embed without `fold`)', () => {
    expect(regionLines(text, [])).toEqual([]);
  });

  test('finds the regions named, by their first word only', () => {
    expect(regionLines(text, ['input'])).toEqual([4]);
    expect(regionLines(text, ['setup', 'inputs'])).toEqual([1, 7]);
  });

  test('treats a name as text, not as a pattern', () => {
    expect(regionLines('// #region a.b\n// #endregion\n// #region axb\n// #endregion', ['a.b'])).toEqual([1]);
  });
});
