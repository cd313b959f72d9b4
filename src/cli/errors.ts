// Turns anything `brook run` can fail with into the message printed on standard error:
// "FILE:LINE:COLUMN: error: WHAT", then the offending source line with a caret under the spot.
// Stack traces appear only with BROOK_DEBUG=1; a user's mistake is never shown as Brook's.

import { isAbsolute, relative } from 'node:path';
import { InputError, PipelineDefinitionError, UserCodeError } from '../engine/errors.ts';
import { CompileError } from './compile-pipeline.ts';
import {
  describeThrown,
  ImportNotFoundError,
  ModuleEvaluationError,
  NoDefaultExportError,
  type PipelineLoader,
  type SourcePosition,
} from './load-pipeline.ts';

/** The user's builder function threw while the pipeline was being built. */
export class BuildError extends Error {
  override readonly name = 'BuildError';
  override readonly cause: unknown;
  constructor(cause: unknown) {
    super(`building the pipeline threw ${describeThrown(cause)}`);
    this.cause = cause;
  }
}

/** A file named on the command line could not be read or written. */
export class FileError extends Error {
  override readonly name = 'FileError';
}

/**
 * A checkpointed job did not do what was asked: the restart strategy gave up (and the failure
 * could not be traced to a line of user code), or no savepoint could be taken.
 */
export class JobFailedError extends Error {
  override readonly name = 'JobFailedError';
}

/** Why a file could not be read or written, in a few words. */
export function fileErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

/** The input file is not a valid TestStream; `inputError` says where and why. */
export class InputFileError extends Error {
  override readonly name = 'InputFileError';
  readonly file: string;
  readonly inputError: InputError;
  constructor(file: string, inputError: InputError) {
    super(inputError.message);
    this.file = file;
    this.inputError = inputError;
  }
}

export interface ErrorContext {
  /** The loader that loaded the pipeline, to recognise user files and read their lines. */
  readonly loader?: PipelineLoader;
  /** Paths are shown relative to this folder when they are inside it. */
  readonly cwd: string;
  /** BROOK_DEBUG=1: add the stack traces. */
  readonly debug: boolean;
}

/** The text for standard error (ending in a newline) that explains `error`. */
export function formatError(error: unknown, context: ErrorContext): string {
  const show = (file: string) => displayPath(file, context.cwd);
  const lines = describe(error, context, show);
  if (context.debug) lines.push('', ...stacksOf(error));
  return lines.join('\n') + '\n';
}

function describe(error: unknown, context: ErrorContext, show: (file: string) => string): string[] {
  const { loader } = context;
  const at = (position: SourcePosition | undefined, message: string): string[] => {
    if (!position) return [`error: ${message}`];
    const head = `${show(position.file)}:${position.line}:${position.column}: error: ${message}`;
    return [head, ...sourceFrame(loader?.sourceOf(position.file), position.line, position.column)];
  };
  const userFrame = (thrown: unknown) => (loader ? firstUserFrame(thrown, loader) : undefined);

  if (error instanceof CompileError) {
    return at({ file: error.file, line: error.line, column: error.column }, error.reason);
  }
  if (error instanceof NoDefaultExportError) {
    return [
      `${show(error.file)}: error: ${show(error.file)} must \`export default\` a function that builds the pipeline, ` +
        `e.g. \`export default (p: Pipeline) => { ... }\` (${error.message})`,
    ];
  }
  if (error instanceof ModuleEvaluationError) {
    return at(userFrame(error.cause), `loading ${show(error.file)} threw ${describeThrown(error.cause)}`);
  }
  if (error instanceof BuildError || error instanceof UserCodeError) {
    return at(userFrame(error.cause), error.message);
  }
  if (error instanceof ImportNotFoundError) {
    return at(pointAtSpecifier(userFrame(error), error.specifier, loader), error.message);
  }
  if (error instanceof PipelineDefinitionError) {
    // Thrown by what the user called: the first user frame is the call that was wrong.
    return at(userFrame(error), error.message);
  }
  if (error instanceof InputFileError) {
    const message = error.inputError.message;
    // The parser may already name the file ("input.json:3:5: malformed JSON: ...").
    return [message.startsWith(error.file) ? message : `${error.file}: ${message}`];
  }
  if (error instanceof InputError) return [`error: ${error.message}`];
  if (error instanceof FileError) return [`error: ${error.message}`];
  if (error instanceof JobFailedError) return [`error: ${error.message}`];

  const position = userFrame(error);
  if (position) return at(position, describeThrown(error));
  return [
    `brook: internal error: ${describeThrown(error)}`,
    context.debug ? '' : 'This is a bug in Brook; run again with BROOK_DEBUG=1 to see the stack trace.',
  ].filter(Boolean);
}

/** Moves the column to the quoted module name on the import's line, if it is there. */
function pointAtSpecifier(
  position: SourcePosition | undefined,
  specifier: string,
  loader: PipelineLoader | undefined,
): SourcePosition | undefined {
  const text = position && loader?.sourceOf(position.file)?.split(/\r?\n/)[position.line - 1];
  if (!position || text === undefined) return position;
  const index = [`'${specifier}'`, `"${specifier}"`].map((quoted) => text.indexOf(quoted)).find((i) => i >= 0);
  return index === undefined ? position : { ...position, column: index + 1 };
}

/** A path as the user would type it: relative to the working folder when inside it. */
export function displayPath(file: string, cwd: string): string {
  if (!isAbsolute(file)) return file;
  const relativePath = relative(cwd, file);
  return relativePath === '' || relativePath.startsWith('..') || isAbsolute(relativePath) ? file : relativePath;
}

/** A stack frame's location: "at f (/a/b.ts:12:20)" or "at /a/b.ts:12:20". */
const FRAME = /^\s*at (?:.*? \()?((?:\/|[A-Za-z]:[\\/]).*?):(\d+):(\d+)\)?$/;

/** The first frame of `thrown`'s stack that is in a user file, mapped to its TypeScript. */
export function firstUserFrame(thrown: unknown, loader: PipelineLoader): SourcePosition | undefined {
  if (!(thrown instanceof Error) || typeof thrown.stack !== 'string') return undefined;
  for (const line of thrown.stack.split('\n')) {
    const match = FRAME.exec(line);
    if (!match) continue;
    const position = loader.originalPosition(match[1]!, Number(match[2]), Number(match[3]));
    if (position) return position;
  }
  return undefined;
}

/**
 * The source line with a caret under the column:
 *
 *     12 |     .map((e) => e.foo.x)
 *        |                       ^
 */
export function sourceFrame(source: string | undefined, line: number, column: number): string[] {
  const text = source?.split(/\r?\n/)[line - 1];
  if (text === undefined) return [];
  const gutter = String(line);
  const pad = ' '.repeat(gutter.length);
  // Keep tabs so that the caret lines up however the terminal shows them.
  const indent = text.slice(0, Math.max(0, column - 1)).replace(/[^\t]/g, ' ');
  return [`  ${gutter} | ${text}`, `  ${pad} | ${indent}^`];
}

function stacksOf(error: unknown): string[] {
  const stacks: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    stacks.push(`${depth === 0 ? '' : 'caused by: '}${current instanceof Error ? current.stack : String(current)}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return stacks;
}
