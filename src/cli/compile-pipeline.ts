// Compiles a pipeline file's TypeScript to CommonJS JavaScript with sucrase, and maps columns
// of the compiled code back to the source. Pure: no Node APIs, so the browser's worker can do
// the same (src/worker/user-code.ts imports it). Sucrase keeps every line where it was; only
// columns move.

import { transform } from 'sucrase';
import { locateErrorInArrowBody } from './arrow-error-location.ts';

/** A pipeline (or a file it imports) that does not parse. Lines and columns count from 1. */
export class CompileError extends Error {
  override readonly name = 'CompileError';
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The parser's message without its location, e.g. "Unexpected token, expected \",\"". */
  readonly reason: string;
  constructor(file: string, line: number, column: number, reason: string) {
    super(`${file}:${line}:${column}: ${reason}`);
    this.file = file;
    this.line = line;
    this.column = column;
    this.reason = reason;
  }
}

export interface CompiledPipeline {
  /** CommonJS code, line for line the source: `require` for imports, `exports.default` for the default export. */
  readonly js: string;
}

/**
 * Compiles TypeScript to CommonJS, keeping line numbers.
 *
 * @example
 * const { js } = compilePipelineSource("export default (p: Pipeline) => p.input();", 'pipeline.ts');
 * // js contains `exports.default = (p) => p.input();`
 */
export function compilePipelineSource(code: string, fileName: string, options: { preserveDynamicImport?: boolean } = {}): CompiledPipeline {
  try {
    const result = transform(code, {
      transforms: ['typescript', 'imports'],
      filePath: fileName,
      production: true,
      ...(options.preserveDynamicImport ? { preserveDynamicImport: true } : {}),
    });
    return { js: result.code };
  } catch (error) {
    const failure = toCompileError(error, fileName);
    if (!(failure instanceof CompileError)) throw failure;
    const located = locateErrorInArrowBody(code, failure, (retry) => {
      try {
        transform(retry, { transforms: ['typescript', 'imports'], filePath: fileName, production: true });
        return undefined;
      } catch (e) {
        const f = toCompileError(e, fileName);
        return f instanceof CompileError ? f : undefined;
      }
    });
    throw located === failure ? failure : new CompileError(fileName, located.line, located.column, located.reason);
  }
}

/**
 * Sucrase's parser errors carry `loc` (line and column, both from 1) and read
 * "Error transforming FILE: Unexpected token (2:12)"; the reason is the part in between.
 */
function toCompileError(error: unknown, fileName: string): Error {
  if (!(error instanceof Error)) return new CompileError(fileName, 1, 1, String(error));
  const loc = (error as { loc?: { line: number; column: number } }).loc;
  if (!loc) return error;
  const reason = error.message
    .replace(/^Error transforming .*?: /, '')
    .replace(/\s*\(\d+:\d+\)\s*$/, '');
  return new CompileError(fileName, loc.line, loc.column, reason);
}

/** Lines longer than this are not aligned (the cost is their product); columns pass through. */
const MAX_ALIGNED_LINE = 2000;

/**
 * Maps a column (from 1) of a compiled line to the same place in its source line.
 *
 * Sucrase deletes type syntax and rewrites imported names (`seconds(5)` becomes
 * `_brook.seconds.call(void 0, 5)`), and its source map gives removed tokens the position of
 * the next kept one, so columns from it can be off by a type annotation's length. Instead the
 * two lines are aligned on their longest common subsequence of characters, which is exact for
 * every character sucrase kept.
 *
 * 1. Align the lines (dynamic programming over suffixes).
 * 2. Walk the alignment; the first kept character at or after the column is the answer.
 * 3. A column past every kept character maps to the end of the source line.
 */
export function mapColumn(compiledLine: string, sourceLine: string, column: number): number {
  const target = column - 1;
  const n = compiledLine.length;
  const m = sourceLine.length;
  if (compiledLine === sourceLine || n > MAX_ALIGNED_LINE || m > MAX_ALIGNED_LINE) return Math.min(column, m + 1);

  // 1. lcs[i * (m + 1) + j] = length of the LCS of compiledLine[i..] and sourceLine[j..].
  const width = m + 1;
  const lcs = new Uint16Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] =
        compiledLine.charCodeAt(i) === sourceLine.charCodeAt(j)
          ? lcs[(i + 1) * width + j + 1]! + 1
          : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  // 2. Follow one alignment from the start, preferring matches.
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (compiledLine.charCodeAt(i) === sourceLine.charCodeAt(j) && lcs[i * width + j] === lcs[(i + 1) * width + j + 1]! + 1) {
      if (i >= target) return j + 1;
      i++;
      j++;
    } else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) {
      i++;
    } else {
      j++;
    }
  }
  // 3.
  return m + 1;
}
