// Compiles a pipeline's TypeScript in the worker with sucrase and evaluates it as a CommonJS
// module whose `require('brook')` is the engine's API. Invariant: the compiled code keeps every
// line of the source (sucrase never moves lines and the module wrapper stays on line 1), so a
// stack frame in the compiled code names the user's own line; only columns need mapping.
// Besides the default export, the module's `export const migrations` (state evolution across a
// savepoint: engine/checkpoint/state-migrations.ts) is read and checked here.

import { CompileError, compilePipelineSource, mapColumn } from '../cli/compile-pipeline.ts';
import type { PipelineBuilder } from '../engine/api/run-pipeline.ts';
import { validateMigrations, type StateMigrations } from '../engine/checkpoint/state-migrations.ts';
import { InputError } from '../engine/errors.ts';
import { guardLoops, LOOP_GUARD } from './loop-guard.ts';
import type { CodeError } from './protocol.ts';

/**
 * The name the compiled code runs under (its `//# sourceURL`), so stack frames in user code can
 * be told from the engine's: `at map (brook-user-pipeline.ts:12:20)`.
 */
export const USER_SOURCE_URL = 'brook-user-pipeline.ts';

/** Kept on line 1 so line numbers in stack traces are the TypeScript file's own. */
const WRAPPER_HEAD = `(function (exports, require, module, ${LOOP_GUARD}) {`;
const WRAPPER_TAIL = `\n})\n//# sourceURL=${USER_SOURCE_URL}`;

/** User code went wrong; `error` says how and where, in the user's TypeScript. */
export class UserCodeFailure extends Error {
  override readonly name = 'UserCodeFailure';
  readonly error: CodeError;
  constructor(error: CodeError) {
    super(error.message);
    this.error = error;
  }
}

/** A compiled and evaluated pipeline file. */
export interface UserModule {
  readonly build: PipelineBuilder;
  /** The module's `export const migrations`, applied when it resumes from a savepoint. */
  readonly migrations?: StateMigrations;
  /** Maps a position in the code that ran back to the TypeScript source. */
  readonly locate: (thrown: unknown) => { line: number; column: number } | undefined;
}

/** A guard that lets every loop run (where nothing watches the worker's turns). */
const LOOPS_UNGUARDED = (): true => true;

/**
 * Compiles and evaluates `source`; returns its default export and a way to locate errors in it.
 * Every loop in it calls `loopGuard` before its test (loop-guard.ts), which throws to stop an
 * endless one. Throws UserCodeFailure: `compile` when it does not parse, `definition` when its
 * top level throws, it imports anything but 'brook', or it does not export a function by default.
 * @example
 * const { build } = loadUserModule("export default (p: Pipeline) => p.input().sink('out');", api);
 */
export function loadUserModule(source: string, brook: object, loopGuard: (line: number) => true = LOOPS_UNGUARDED): UserModule {
  const js = compile(source);
  const ran = WRAPPER_HEAD + js + WRAPPER_TAIL;
  const locate = locator(source, ran);

  let run: (exports: object, require: (specifier: string) => unknown, module: object, guard: (line: number) => true) => void;
  try {
    // Indirect eval runs the wrapper in global scope, so user code sees nothing of this module.
    run = (0, eval)(ran) as typeof run;
  } catch (error) {
    // A SyntaxError sucrase let through (e.g. `let a; let a;`); V8 gives no position for eval.
    throw new UserCodeFailure({ kind: 'compile', message: describeThrown(error) });
  }
  const api = Object.freeze({ ...brook, __esModule: true });
  const module = { exports: {} as Record<string, unknown> };
  const require = (specifier: string): unknown => {
    if (specifier === 'brook') return api;
    throw new Error(`cannot import '${specifier}': a pipeline in the sandbox can import only 'brook'`);
  };
  try {
    run(module.exports, require, module, loopGuard);
  } catch (error) {
    throw new UserCodeFailure({ kind: 'definition', message: `loading the pipeline threw ${describeThrown(error)}`, ...locate(error) });
  }
  const build = module.exports['default'];
  if (typeof build !== 'function') {
    const found = 'default' in module.exports ? `its default export is ${typeof build}` : 'it has no default export';
    throw new UserCodeFailure({
      kind: 'definition',
      message: `a pipeline must \`export default\` a function that builds it, e.g. \`export default (p: Pipeline) => { ... }\` (${found})`,
    });
  }
  return { build: build as PipelineBuilder, locate, ...migrationsOf(module.exports) };
}

/** The module's `migrations` export, checked; a wrong shape is a definition error naming the entry. */
function migrationsOf(exports: Record<string, unknown>): { migrations?: StateMigrations } {
  const value = exports['migrations'];
  if (value === undefined) return {};
  try {
    return { migrations: validateMigrations(value, 'export migrations') };
  } catch (error) {
    if (error instanceof InputError) throw new UserCodeFailure({ kind: 'definition', message: error.message });
    throw error;
  }
}

/** The last source compiled and its JavaScript (`prepareUserModule` fills it before `load`). */
let compiled: { readonly source: string; readonly js: string } | undefined;

/**
 * Compiles `source` and keeps the result for `loadUserModule`: compiling runs no user code, so
 * the worker can do it before the host watches for endless loops. Throws as `loadUserModule` would.
 */
export function prepareUserModule(source: string): void {
  compile(source);
}

/**
 * TypeScript to CommonJS, line for line, every loop guarded; `import()` is left alone so the
 * sandbox's CSP judges it.
 */
function compile(source: string): string {
  if (compiled?.source === source) return compiled.js;
  try {
    const js = guardLoops(compilePipelineSource(source, 'pipeline.ts', { preserveDynamicImport: true }).js);
    compiled = { source, js };
    return js;
  } catch (error) {
    if (error instanceof CompileError) throw new UserCodeFailure({ kind: 'compile', message: error.reason, line: error.line, column: error.column });
    throw new UserCodeFailure({ kind: 'compile', message: describeThrown(error) });
  }
}

/** A stack frame in the user's code: "brook-user-pipeline.ts:LINE:COLUMN". */
const USER_FRAME = new RegExp(`${USER_SOURCE_URL.replace(/[.]/g, '\\.')}:(\\d+):(\\d+)`);

/** Finds the innermost user frame of a thrown error (or its causes) and maps it to the source. */
function locator(source: string, ran: string): UserModule['locate'] {
  let lines: { source: string[]; ran: string[] } | undefined;
  return (thrown) => {
    for (let current = thrown, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
      const match = USER_FRAME.exec(current.stack ?? '');
      if (!match) continue;
      lines ??= { source: source.split(/\r?\n/), ran: ran.split(/\r?\n/) };
      const line = Number(match[1]);
      const column = Number(match[2]);
      const sourceLine = lines.source[line - 1];
      const ranLine = lines.ran[line - 1];
      if (sourceLine === undefined || ranLine === undefined) return { line, column };
      return { line, column: mapColumn(ranLine, sourceLine, column) };
    }
    return undefined;
  };
}

/** How a thrown value reads in a message: "TypeError: boom". */
export function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) return `${thrown.name}: ${thrown.message}`;
  if (typeof thrown === 'string') return JSON.stringify(thrown);
  return String(thrown);
}
