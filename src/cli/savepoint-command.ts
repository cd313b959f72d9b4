// `brook savepoint inspect FILE`: reads a savepoint file (parseSavepointFile refuses damaged and
// foreign files with a message naming the file) and prints what it holds: its id, job, time and
// seed, then per operator uid the keyed state it keeps (through the StateProcessor): each
// state's entries, windows and a few keys; then the operators that keep other state.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { operatorOfPart, parseSavepointFile, type SavepointFile } from '../engine/checkpoint/savepoint.ts';
import { StateProcessor, type StateEntryView } from '../engine/checkpoint/state-processor.ts';
import type { SavepointInspectArgs } from './args.ts';
import { FileError, fileErrorReason } from './errors.ts';
import { LineWriter } from './output.ts';

/** How many keys of each state the listing shows. */
const KEYS_SHOWN = 3;

/** Prints the savepoint's contents; throws FileError or the InputError of a file that is not an intact savepoint. */
export function inspectSavepointCommand(args: SavepointInspectArgs, context: { readonly cwd: string; readonly stdoutFd: number }): void {
  let text: string;
  try {
    text = readFileSync(resolve(context.cwd, args.file), 'utf8');
  } catch (error) {
    throw new FileError(`cannot read savepoint file ${args.file}: ${fileErrorReason(error)}`);
  }
  const file = parseSavepointFile(text, args.file);
  const out = new LineWriter(context.stdoutFd);
  for (const line of describeSavepoint(file)) out.write(line);
  out.flush();
}

/**
 * The listing, e.g.
 *
 *     savepoint 7 of job "exactly-once", taken at processing time 6000 (seed 0)
 *     9 parts, 4 KB
 *     keyed state, by operator uid:
 *       "meter-totals" (1 subtask)
 *         state "window-contents": 6 entries in 2 windows; keys "m0", "m1", "m2"
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
      for (const [state, list] of states) lines.push(`    state ${JSON.stringify(state)}: ${describeEntries(list)}`);
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
  return `${list.length} entr${list.length === 1 ? 'y' : 'ies'}${inWindows}; ${keys.length === 1 ? 'key' : 'keys'} ${shown}${more}`;
}

function formatBytes(n: number): string {
  return n < 1024 ? `${n} bytes` : `${(n / 1024).toFixed(1)} KB`;
}
