// Stops an endless loop in user code where it is, so it is reported with its line and its
// operator instead of only killed: every `while`, `do … while` and `for (;;)` of the compiled
// pipeline tests a guard first, which throws once the worker has had no turn of its event loop
// for LOOP_LIMIT_MS. The watchdog (watchdog.ts) stays the backstop for what has no loop
// (deep recursion, one huge call). Invariant: the rewrite keeps every line where it was and
// changes no loop's meaning, as long as the guard returns true.

import { parse } from 'sucrase/dist/parser/index.js';
import { TokenType as tt } from 'sucrase/dist/parser/tokenizer/types.js';

/** The name the compiled code calls the guard by (a parameter of the module wrapper). */
export const LOOP_GUARD = '__brookLoop';

/**
 * How long a loop may keep the worker from a turn of its event loop: well under the watchdog's
 * 1.2 s, well over the engine's slices (it yields every few ms while it plays).
 */
export const LOOP_LIMIT_MS = 800;

/** The guard reads the clock once per this many calls (a power of two), so a loop pays an increment. */
const CHECK_EVERY = 1 << 14;

const OPEN = new Set<number>([tt.parenL, tt.bracketL, tt.braceL, tt.dollarBraceL, tt.braceBarL]);
const CLOSE = new Set<number>([tt.parenR, tt.bracketR, tt.braceR, tt.braceBarR]);

/**
 * `js` with a guard call `__brookLoop(line)` in front of the test of every `while`, `do … while`
 * and three-clause `for` loop (`for…of` and `for…in` end with their iterable and are left
 * alone). Nothing is inserted across lines. Code that does not tokenize is returned unchanged
 * (running it reports the syntax error).
 * @example guardLoops('while (x) {}') // 'while (__brookLoop(1) && (x)) {}'
 */
export function guardLoops(js: string): string {
  let tokens;
  try {
    tokens = parse(js, false, false, false).tokens;
  } catch {
    return js;
  }
  const inserts: { at: number; text: string }[] = [];
  const lineStarts = [0];
  for (let i = js.indexOf('\n'); i >= 0; i = js.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  for (let i = 0; i < tokens.length; i++) {
    const keyword = tokens[i]!.type;
    if (keyword !== tt._while && keyword !== tt._for) continue;
    const open = i + 1;
    // `for await (…)` iterates an async iterable: left alone, as for…of is.
    if (tokens[open]?.type !== tt.parenL) continue;
    let depth = 0;
    let close = -1;
    const semis: number[] = [];
    for (let j = open; j < tokens.length; j++) {
      const type = tokens[j]!.type;
      if (OPEN.has(type)) depth++;
      else if (CLOSE.has(type)) {
        if (--depth === 0) {
          close = j;
          break;
        }
      } else if (type === tt.semi && depth === 1) semis.push(j);
    }
    if (close < 0 || close === open + 1) continue;
    const call = `${LOOP_GUARD}(${lineOf(tokens[i]!.start)})`;
    if (keyword === tt._while) {
      inserts.push({ at: tokens[open]!.end, text: `${call} && (` }, { at: tokens[close]!.start, text: ')' });
      continue;
    }
    if (semis.length !== 2) continue;
    const [first, second] = semis as [number, number];
    if (second === first + 1) inserts.push({ at: tokens[first]!.end, text: ` ${call}` });
    else inserts.push({ at: tokens[first]!.end, text: ` ${call} && (` }, { at: tokens[second]!.start, text: ')' });
  }
  if (inserts.length === 0) return js;
  inserts.sort((a, b) => a.at - b.at);
  let out = '';
  let from = 0;
  for (const { at, text } of inserts) {
    out += js.slice(from, at) + text;
    from = at;
  }
  return out + js.slice(from);
}

/** Thrown by the guard in a loop that kept the worker busy too long. */
export class EndlessLoopError extends Error {
  override readonly name = 'EndlessLoop';
  constructor(
    readonly line: number,
    busyMs: number,
  ) {
    super(`the loop on line ${line} ran for ${(busyMs / 1000).toFixed(1)} s without finishing and was stopped (an endless loop? check its condition)`);
  }
}

/**
 * The guard's clock: the last time the worker had a turn of its event loop, kept by a timer that
 * cannot fire while user code holds the thread, and by `markTurn` from the engine's own loop.
 */
export class LoopGuard {
  private lastTurn: number;
  private calls = 0;
  private readonly ticker: ReturnType<typeof setInterval>;

  constructor(
    private readonly now: () => number = () => performance.now(),
    private readonly limitMs = LOOP_LIMIT_MS,
  ) {
    this.lastTurn = now();
    this.ticker = setInterval(() => this.markTurn(), Math.max(10, Math.floor(limitMs / 8)));
    (this.ticker as { unref?: () => void }).unref?.();
  }

  /** The worker had a turn (its engine loop yielded, or a call came in): loops are timed from here. */
  markTurn(): void {
    this.lastTurn = this.now();
  }

  /** The function compiled loops call; true, or throws EndlessLoopError. */
  readonly check = (line: number): true => {
    if ((++this.calls & (CHECK_EVERY - 1)) !== 0) return true;
    const busy = this.now() - this.lastTurn;
    if (busy > this.limitMs) {
      // The next loop to run starts afresh (the engine unwinds and reports this one).
      this.lastTurn = this.now();
      throw new EndlessLoopError(line, busy);
    }
    return true;
  };

  /** Stops the ticker (the worker unloads its job). */
  dispose(): void {
    clearInterval(this.ticker);
  }
}
