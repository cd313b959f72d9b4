// Setup code that lessons fold away: lines between `// #region setup` and its `// #endregion`.
// Pure text scanning, so the convention is testable without Monaco.

/** A `// #region setup` line (any indentation; more words may follow, e.g. `setup: input`). */
const SETUP_START = /^\s*\/\/\s*#region\s+setup\b/;

/**
 * The 1-based line numbers of every `// #region setup` marker in `text`, in order. Monaco folds
 * the region that starts on each of these lines.
 * @example
 * setupRegionLines('// #region setup\nconst a = 1;\n// #endregion\n'); // [1]
 */
export function setupRegionLines(text: string): number[] {
  const lines: number[] = [];
  text.split('\n').forEach((line, index) => {
    if (SETUP_START.test(line)) lines.push(index + 1);
  });
  return lines;
}
