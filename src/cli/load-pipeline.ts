// Loads a pipeline file in Node: compiles it (and the relative .ts files it imports) with
// compile-pipeline.ts, evaluates each as a CommonJS module with node:vm, and resolves `'brook'`
// to the module it is given (the engine's API). Remembers user files so errors can point into them.
// Besides the default export, a pipeline file may export `migrations` (state evolution across a
// savepoint, engine/checkpoint/state-migrations.ts); a savepoint fix default-exports a function of
// a StateProcessor.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import vm from 'node:vm';
import type { PipelineBuilder } from '../engine/api/run-pipeline.ts';
import { validateMigrations, type StateMigrations } from '../engine/checkpoint/state-migrations.ts';
import { CompileError, compilePipelineSource, mapColumn } from './compile-pipeline.ts';
import { locateSyntaxError } from './locate-syntax-error.ts';

/** The default export of a pipeline file is not a function. */
export class NoDefaultExportError extends Error {
  override readonly name = 'NoDefaultExportError';
  readonly file: string;
  constructor(file: string, found: string) {
    super(found);
    this.file = file;
  }
}

/** Top-level code of a user module threw while it was being loaded. */
export class ModuleEvaluationError extends Error {
  override readonly name = 'ModuleEvaluationError';
  readonly file: string;
  override readonly cause: unknown;
  constructor(file: string, cause: unknown) {
    super(`loading ${file} threw ${describeThrown(cause)}`);
    this.file = file;
    this.cause = cause;
  }
}

/** A user file imports a module that cannot be found; thrown from the import, so its stack points there. */
export class ImportNotFoundError extends Error {
  override readonly name = 'ImportNotFoundError';
  readonly specifier: string;
  constructor(specifier: string) {
    const relative = specifier.startsWith('.') || isAbsolute(specifier);
    super(
      relative
        ? `cannot find '${specifier}' (looked for ${specifier}.ts, ${specifier}.tsx, ${specifier}/index.ts and JavaScript files)`
        : `cannot find the package '${specifier}'; is it installed (npm install ${specifier})?`,
    );
    this.specifier = specifier;
  }
}

/** A position in a user's TypeScript file; line and column count from 1. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

interface UserModule {
  readonly file: string;
  readonly source: string;
  /** The source's lines, and the lines of the code that ran (wrapper included), split on demand. */
  lines?: { source: string[]; ran: string[] };
  readonly ran: string;
  readonly module: { exports: Record<string, unknown> };
}

/**
 * The wrapper that turns CommonJS code into a function. It stays on the code's first line so
 * that line numbers in stack traces are the TypeScript file's own.
 */
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {';
const WRAPPER_TAIL = '\n})';

/** Extensions compiled as TypeScript when a pipeline imports a relative file. */
const TYPESCRIPT = /\.(ts|tsx|mts|cts)$/;

/** Loads pipeline files and the TypeScript files they import, each compiled once. */
export class PipelineLoader {
  private readonly modules = new Map<string, UserModule>();
  /** The text of every user file read, even one that failed to compile, for error messages. */
  private readonly sources = new Map<string, string>();
  /** Modules provided by name, e.g. `{ brook: api }`; marked as ES modules for sucrase's interop. */
  private readonly provided: ReadonlyMap<string, unknown>;

  constructor(provided: Readonly<Record<string, object>>) {
    this.provided = new Map(
      Object.entries(provided).map(([name, api]) => [name, Object.freeze({ ...api, __esModule: true })]),
    );
  }

  /**
   * Loads `file` (an absolute path) and returns its default export, the pipeline builder.
   * Throws CompileError, ModuleEvaluationError or NoDefaultExportError.
   */
  loadPipeline(file: string): PipelineBuilder {
    const exports = this.require(file);
    const builder = exports['default'];
    if (typeof builder !== 'function') {
      const found = 'default' in exports ? `its default export is ${describeValue(builder)}` : 'it has no default export';
      throw new NoDefaultExportError(file, found);
    }
    return builder as PipelineBuilder;
  }

  /**
   * The `migrations` a pipeline file exports beside its default export (undefined when it has
   * none), checked to be per operator uid, per state name, a function. Throws InputError naming
   * `shown` (the file as the user wrote it) when the export has another shape.
   */
  loadMigrations(file: string, shown: string = file): StateMigrations | undefined {
    const exports = this.require(file);
    if (!('migrations' in exports) || exports['migrations'] === undefined) return undefined;
    return validateMigrations(exports['migrations'], `${shown}: export migrations`);
  }

  /**
   * Loads a file whose default export is a function other than a pipeline builder (a savepoint
   * fix for `brook savepoint rewrite`); throws NoDefaultExportError when it is not a function.
   */
  loadFunction(file: string): (...args: never[]) => unknown {
    const exports = this.require(file);
    const fn = exports['default'];
    if (typeof fn !== 'function') {
      const found = 'default' in exports ? `its default export is ${describeValue(fn)}` : 'it has no default export';
      throw new NoDefaultExportError(file, found);
    }
    return fn as (...args: never[]) => unknown;
  }

  /** The TypeScript source of a loaded user file, or undefined if `file` is not one. */
  sourceOf(file: string): string | undefined {
    return this.sources.get(file);
  }

  /**
   * Maps a position in the code that ran (as a stack trace gives it, counting from 1) back to
   * the user's TypeScript. Undefined when `file` is not a user file.
   */
  originalPosition(file: string, line: number, column: number): SourcePosition | undefined {
    const module = this.modules.get(file);
    if (!module) return undefined;
    module.lines ??= { source: module.source.split(/\r?\n/), ran: module.ran.split(/\r?\n/) };
    const sourceLine = module.lines.source[line - 1];
    const ranLine = module.lines.ran[line - 1];
    if (sourceLine === undefined || ranLine === undefined) return { file, line, column };
    return { file, line, column: mapColumn(ranLine, sourceLine, column) };
  }

  private require(file: string): Record<string, unknown> {
    const cached = this.modules.get(file);
    if (cached) return cached.module.exports;

    const source = readFileSync(file, 'utf8');
    this.sources.set(file, source);
    const ran = WRAPPER_HEAD + compile(source, file) + WRAPPER_TAIL;
    const module = { exports: {} as Record<string, unknown> };
    this.modules.set(file, { file, source, ran, module });

    const run = this.compileScript(file, ran);
    try {
      run.call(module.exports, module.exports, this.requireFor(file), module, file, dirname(file));
    } catch (error) {
      // A file it imports that failed has already said where.
      if (error instanceof ModuleEvaluationError || error instanceof CompileError || error instanceof ImportNotFoundError) {
        throw error;
      }
      throw new ModuleEvaluationError(file, error);
    }
    return module.exports;
  }

  /** Compiles the wrapped module; a SyntaxError is one sucrase let through (e.g. `let a; let a;`). */
  private compileScript(file: string, ran: string): (...args: unknown[]) => void {
    try {
      return new vm.Script(ran, { filename: file }).runInThisContext() as (...args: unknown[]) => void;
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      // V8 starts the stack with "FILE:LINE", the line's code, and carets under the culprit.
      const [where, , carets] = (error.stack ?? '').split('\n');
      const line = Number(/:(\d+)$/.exec(where ?? '')?.[1] ?? 1);
      const caret = carets?.indexOf('^') ?? -1;
      const position = this.originalPosition(file, line, caret + 1) ?? { line, column: 1 };
      throw new CompileError(file, position.line, caret === -1 ? 1 : position.column, error.message);
    }
  }

  /** The `require` a user module gets: provided modules ('brook'), relative TypeScript files, else Node's own. */
  private requireFor(file: string): (specifier: string) => unknown {
    const nodeRequire = createRequire(file);
    return (specifier: string) => {
      if (this.provided.has(specifier)) return this.provided.get(specifier);
      if (specifier.startsWith('.') || isAbsolute(specifier)) {
        const typescript = resolveTypeScript(resolve(dirname(file), specifier));
        if (typescript) return this.require(typescript);
      }
      try {
        return nodeRequire(specifier);
      } catch (error) {
        const notFound = (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND';
        if (notFound && (error as Error).message.includes(`'${specifier}'`)) throw new ImportNotFoundError(specifier);
        throw error;
      }
    };
  }
}

/** Compiles with sucrase; if that fails, asks TypeScript's parser where the error really is. */
function compile(source: string, file: string): string {
  try {
    return compilePipelineSource(source, file).js;
  } catch (error) {
    if (error instanceof CompileError) throw locateSyntaxError(source, file) ?? error;
    throw error;
  }
}

/**
 * The TypeScript file an import means, TypeScript's way: `./x` is x.ts (or x.tsx, x/index.ts),
 * and `./x.js` is x.ts when that exists. Undefined when it is not a TypeScript file.
 */
function resolveTypeScript(path: string): string | undefined {
  const extension = extname(path);
  const candidates = TYPESCRIPT.test(path)
    ? [path]
    : /^\.[cm]?js$/.test(extension)
      ? [path.slice(0, -extension.length) + extension.replace('js', 'ts')]
      : [`${path}.ts`, `${path}.tsx`, `${path}/index.ts`];
  return candidates.find(isFile);
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/** How an error or other thrown value reads in a message: "TypeError: boom". */
export function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) return `${thrown.name}: ${thrown.message}`;
  return describeValue(thrown);
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return `${typeof value} ${String(value)}`;
}
