// Sucrase reports a syntax error inside the block body of a parenthesized arrow function
// (`(r: Reading) => { ... }`) at the arrow's `=>` (or its return type), not where it is: it
// parses the parameter list speculatively and, when the body fails, backtracks and fails on the
// arrow. The same code written as an `async` arrow is parsed without backtracking, so this module
// re-parses with `async ` put before the arrow and maps the deeper position back to the source.

/** Where a parse failed: line and column from 1, and the parser's reason. */
export interface ParseFailure {
  readonly line: number;
  readonly column: number;
  readonly reason: string;
}

const ASYNC = 'async ';
/** Nested arrows each need their own retry; a few cover real code, and bound the cost. */
const MAX_RETRIES = 4;

/**
 * The real position of a syntax error `parse` reported at an arrow, or `failure` itself when it
 * is not at an arrow or the retries find nothing deeper. `parse` returns undefined when the
 * code parses, else where it failed.
 */
export function locateErrorInArrowBody(source: string, failure: ParseFailure, parse: (code: string) => ParseFailure | undefined): ParseFailure {
  let code = source;
  const insertions: number[] = []; // offsets in `code`, ascending, where `async ` was put
  let best = failure;
  let current = failure;
  for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
    const at = offsetOf(code, current.line, current.column);
    const open = arrowParameterStart(code, at);
    if (open === undefined) break;
    code = code.slice(0, open) + ASYNC + code.slice(open);
    for (let i = 0; i < insertions.length; i++) if (insertions[i]! >= open) insertions[i]! += ASYNC.length;
    insertions.push(open);
    insertions.sort((a, b) => a - b);
    const next = parse(code);
    if (next === undefined) break; // parses as async: not the kind of failure this fixes
    const original = toSourceOffset(offsetOf(code, next.line, next.column), insertions);
    if (original <= offsetOf(source, best.line, best.column)) break;
    best = { ...positionOf(source, original), reason: next.reason };
    current = next;
  }
  return best;
}

/**
 * The offset of the `(` opening an arrow's parameter list when `at` is on that arrow: at its
 * `=>`, or at a return type annotation (`): T =>`) right after the `)`.
 */
function arrowParameterStart(code: string, at: number): number | undefined {
  const rest = code.slice(at);
  if (!rest.startsWith('=>') && !rest.startsWith(':')) return undefined;
  if (rest.startsWith(':') && !/^:[^;{}]*?=>/.test(rest)) return undefined;
  let close = at - 1;
  while (close >= 0 && /\s/.test(code[close]!)) close--;
  if (code[close] !== ')') return undefined;
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    const c = code[i];
    if (c === ')') depth++;
    else if (c === '(' && --depth === 0) return code.slice(Math.max(0, i - ASYNC.length), i) === ASYNC ? undefined : i;
  }
  return undefined;
}

/** Undoes the insertions (offsets in the current code, ascending): a position inside one maps to where it was put. */
function toSourceOffset(offset: number, insertions: readonly number[]): number {
  let source = offset;
  for (const at of insertions) {
    if (offset >= at + ASYNC.length) source -= ASYNC.length;
    else if (offset > at) source -= offset - at;
  }
  return source;
}

function offsetOf(code: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = code.indexOf('\n', offset);
    if (nl < 0) return code.length;
    offset = nl + 1;
  }
  return offset + column - 1;
}

function positionOf(code: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < code.length; i++) {
    if (code[i] === '\n') {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}
