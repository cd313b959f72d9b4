// `brook savepoint inspect FILE`: reads a savepoint file (parseSavepointFile refuses damaged and
// foreign files with a message naming the file) and prints what it holds: its id, job, time and
// seed, then per operator uid the keyed state it keeps (through the StateProcessor): each
// state's entries, windows and a few keys; then the operators that keep other state.
// `brook savepoint rewrite IN FIX.ts --out OUT`: the state processor API from the command line:
// runs FIX.ts's default export on a StateProcessor of IN, prints what it changed and writes OUT.
// IN is read once and never written unless --out names it.

import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { operatorOfPart, parseSavepointFile, type SavepointFile } from '../engine/checkpoint/savepoint.ts';
import { StateProcessor, type StateChange, type StateEntryView } from '../engine/checkpoint/state-processor.ts';
import { UsageError, type SavepointInspectArgs, type SavepointRewriteArgs } from './args.ts';
import { BuildError, FileError, fileErrorReason } from './errors.ts';
import { NoDefaultExportError, type PipelineLoader } from './load-pipeline.ts';
import { LineWriter } from './output.ts';

/** How many keys of each state the listing shows. */
const KEYS_SHOWN = 3;

/** Prints the savepoint's contents; throws FileError or the InputError of a file that is not an intact savepoint. */
export function inspectSavepointCommand(args: SavepointInspectArgs, context: { readonly cwd: string; readonly stdoutFd: number }): void {
  const file = readSavepointFile(args.file, context.cwd);
  const out = new LineWriter(context.stdoutFd);
  for (const line of describeSavepoint(file)) out.write(line);
  out.flush();
}

function readSavepointFile(path: string, cwd: string): SavepointFile {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch (error) {
    throw new FileError(`cannot read savepoint file ${path}: ${fileErrorReason(error)}`);
  }
  return parseSavepointFile(text, path);
}

/**
 * Rewrites a savepoint with a fix: reads IN (refusing damaged and foreign files as inspect
 * does), loads FIX.ts, runs its default export on a StateProcessor, prints per operator and
 * state what changed, and writes OUT. Nothing is written when anything before fails.
 */
export function rewriteSavepointCommand(args: SavepointRewriteArgs, context: { readonly cwd: string; readonly stdoutFd: number; readonly loader: PipelineLoader }): void {
  const file = readSavepointFile(args.file, context.cwd);
  const fixFile = resolve(context.cwd, args.fix);
  if (!existsSync(fixFile)) throw new UsageError(`fix file not found: ${args.fix}`, 'savepoint');
  if (!statSync(fixFile).isFile()) throw new UsageError(`not a file: ${args.fix}`, 'savepoint');
  let fix: (sp: StateProcessor) => unknown;
  try {
    fix = context.loader.loadFunction(fixFile) as (sp: StateProcessor) => unknown;
  } catch (error) {
    if (!(error instanceof NoDefaultExportError)) throw error;
    throw new FileError(`${args.fix} must \`export default\` a function that fixes the savepoint, e.g. \`export default (sp: StateProcessor) => { sp.update(...) }\` (${error.message})`);
  }
  const sp = new StateProcessor(file);
  // Reported as "building the pipeline threw" would mislead: say it was the fix, at its line.
  let result: unknown;
  try {
    result = fix(sp);
  } catch (error) {
    throw new FixError(args.fix, error);
  }
  if (result instanceof Promise) throw new FileError(`${args.fix}: the fix must run synchronously (its default export returned a Promise)`);
  const before = new StateProcessor(file);
  const out = new LineWriter(context.stdoutFd);
  out.write(`rewrote savepoint ${file.savepointId} of job ${JSON.stringify(file.jobId)} with ${args.fix}:`);
  for (const line of describeChanges(sp.changes(), before)) out.write(`  ${line}`);
  const rewritten = sp.write();
  try {
    writeFileSync(resolve(context.cwd, args.out), JSON.stringify(rewritten, null, 2) + '\n');
  } catch (error) {
    throw new FileError(`cannot write savepoint file ${args.out}: ${fileErrorReason(error)}`);
  }
  out.write(`written to ${args.out}`);
  out.flush();
}

/** The fix threw: reported at the fix's own line (formatError finds the user frame of `cause`). */
class FixError extends BuildError {
  constructor(fix: string, cause: unknown) {
    super(cause);
    this.message = `the fix ${fix} threw ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}; nothing was written`;
  }
}

/** One line per operator and state the fix touched, e.g. `"totals" state "window-panes": 1 of 4 entries updated, 0 removed`. */
export function describeChanges(changes: readonly StateChange[], before: StateProcessor): string[] {
  if (changes.length === 0) return ['nothing changed (the fix updated no state)'];
  return changes.map((c) => {
    const total = before.entries(c.operator, c.state).length;
    if (total === 0) return `${JSON.stringify(c.operator)} state ${JSON.stringify(c.state)}: no such state in the savepoint (is the uid or state name right?)`;
    return `${JSON.stringify(c.operator)} state ${JSON.stringify(c.state)}: ${c.updated} of ${total} entr${total === 1 ? 'y' : 'ies'} updated, ${c.removed} removed`;
  });
}

/**
 * The listing, e.g.
 *
 *     savepoint 7 of job "exactly-once", taken at processing time 6000 (seed 0)
 *     9 parts, 4 KB
 *     keyed state, by operator uid:
 *       "meter-totals" (1 subtask)
 *         state "window-contents" (window sum): 6 entries in 2 windows; keys "m0", "m1", "m2"
 *     other state (source positions, sink transactions, operator state): "readings", "billing"
 */
export function describeSavepoint(file: SavepointFile): string[] {
  const bytes = file.parts.reduce((n, p) => n + p.name.length + p.data.length, 0);
  const lines = [
    `savepoint ${file.savepointId} of job ${JSON.stringify(file.jobId)}, taken at processing time ${file.time} (seed ${file.seed})`,
    `${file.parts.length} parts, ${formatBytes(bytes)}`,
  ];
  const sp = new StateProcessor(file);
  const operators = sp.operators();
  if (operators.length === 0) {
    lines.push('keyed state: none');
  } else {
    lines.push('keyed state, by operator uid:');
    for (const operator of operators) {
      const entries = sp.entries(operator);
      const subtasks = new Set(file.parts.filter((p) => operatorOfPart(p.name) === operator).map((p) => p.name)).size;
      lines.push(`  ${JSON.stringify(operator)} (${subtasks} subtask${subtasks === 1 ? '' : 's'})`);
      const states = new Map<string, StateEntryView[]>();
      for (const e of entries) states.set(e.state, [...(states.get(e.state) ?? []), e]);
      for (const [state, list] of states) {
        const kind = sp.kindOf(operator, state);
        lines.push(`    state ${JSON.stringify(state)}${kind === undefined ? '' : ` (${kind})`}: ${describeEntries(list)}`);
      }
    }
  }
  const keyed = new Set(operators);
  const others = [...new Set(file.parts.map((p) => operatorOfPart(p.name)).filter((o): o is string => o !== undefined && !keyed.has(o)))];
  if (others.length > 0) {
    lines.push(`other operators (source positions, sink transactions, operator state or nothing): ${others.map((o) => JSON.stringify(o)).join(', ')}`);
  }
  return lines;
}

function describeEntries(list: readonly StateEntryView[]): string {
  const keys = [...new Set(list.map((e) => e.key))];
  const windows = new Set(list.filter((e) => e.window !== null).map((e) => `${e.window!.start},${e.window!.end}`));
  const shown = keys.slice(0, KEYS_SHOWN).map((k) => JSON.stringify(k)).join(', ');
  const more = keys.length > KEYS_SHOWN ? ` and ${keys.length - KEYS_SHOWN} more` : '';
  const inWindows = windows.size > 0 ? ` in ${windows.size} window${windows.size === 1 ? '' : 's'}` : '';
  const expiries = list.flatMap((e) => (e.expiresAt === undefined ? [] : [e.expiresAt]));
  const [first, last] = [Math.min(...expiries), Math.max(...expiries)];
  const expiring = expiries.length === 0 ? '' : `; expiring at processing time ${first}${last > first ? `–${last}` : ''} (TTL)`;
  return `${list.length} entr${list.length === 1 ? 'y' : 'ies'}${inWindows}; ${keys.length === 1 ? 'key' : 'keys'} ${shown}${more}${expiring}`;
}

function formatBytes(n: number): string {
  return n < 1024 ? `${n} bytes` : `${(n / 1024).toFixed(1)} KB`;
}
