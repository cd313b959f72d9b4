// Code folded away on load: lines between `// #region NAME` and its `// #endregion`. Lessons fold
// their `setup` regions; an embed folds the regions its link names (`fold=setup`), none if not.
// Pure text scanning, so the convention is testable without Monaco.

/** The regions lessons fold: `// #region setup` (more words may follow, e.g. `setup: input`). */
export const SETUP_REGIONS: readonly string[] = ['setup'];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The 1-based line numbers of every `// #region NAME` marker in `text` whose first word is one
 * of `names`, in order. Monaco folds the region that starts on each of these lines.
 * @example
 * regionLines('// #region input\nconst a = 1;\n// #endregion\n', ['input']); // [1]
 */
export function regionLines(text: string, names: readonly string[]): number[] {
  if (names.length === 0) return [];
  const start = new RegExp(`^\\s*//\\s*#region\\s+(?:${names.map(escapeRegExp).join('|')})(?![\\w-])`);
  const lines: number[] = [];
  text.split('\n').forEach((line, index) => {
    if (start.test(line)) lines.push(index + 1);
  });
  return lines;
}

/**
 * The 1-based line numbers of every `// #region setup` marker in `text`, in order.
 * @example
 * setupRegionLines('// #region setup\nconst a = 1;\n// #endregion\n'); // [1]
 */
export function setupRegionLines(text: string): number[] {
  return regionLines(text, SETUP_REGIONS);
}
