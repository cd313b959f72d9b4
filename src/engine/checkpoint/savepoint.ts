// Savepoints: a checkpoint a person takes on purpose, exported as one JSON file and restored
// into a possibly changed pipeline. Operators are matched by their stable uid (set `.uid()` on
// operators whose state must survive a change); a new operator starts empty; state of an
// operator the new pipeline no longer has is refused unless allowed (Flink's
// --allowNonRestoredState); a migration function can reshape old state values. An operator whose
// parallelism changed is rescaled when the job restores (checkpoint/rescale.ts).

import { InputError } from '../errors.ts';
import type { Key } from '../runtime/record-batch.ts';
import type { StateSnapshot } from '../state/state-backend.ts';
import { checksum } from './checksum.ts';
import type { JobSnapshot } from './job-snapshot.ts';
import { decodeSnapshot, encodeSnapshot } from './snapshot-codec.ts';

/** The JSON file a savepoint is exported to. */
export interface SavepointFile {
  readonly format: 'brook-savepoint';
  readonly version: 1;
  readonly jobId: string;
  readonly savepointId: number;
  readonly time: number;
  readonly seed: number;
  readonly parts: readonly { readonly name: string; readonly data: string }[];
  /** Over everything above, so a damaged or edited file is recognised. */
  readonly checksum: string;
}

function fileChecksum(f: Omit<SavepointFile, 'checksum'>): string {
  return checksum(JSON.stringify([f.format, f.version, f.jobId, f.savepointId, f.time, f.seed, f.parts.map((p) => [p.name, p.data])]));
}

/** Wraps a snapshot as a savepoint file. */
export function toSavepointFile(jobId: string, s: JobSnapshot): SavepointFile {
  const body = { format: 'brook-savepoint' as const, version: 1 as const, jobId, savepointId: s.checkpointId, time: s.time, seed: s.seed, parts: s.parts };
  return { ...body, checksum: fileChecksum(body) };
}

/** Reads a savepoint file's text, with a clear error for anything that is not an intact Brook savepoint. */
export function parseSavepointFile(text: string, fileName = 'savepoint'): SavepointFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(fileName, `not a savepoint: the file is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const o = raw as Partial<SavepointFile> | null;
  if (o === null || typeof o !== 'object' || o.format !== 'brook-savepoint') {
    throw new InputError(fileName, 'not a Brook savepoint: it has no "format": "brook-savepoint" (is it a checkpoint, a trace or another tool\'s file?)');
  }
  if (o.version !== 1) throw new InputError(`${fileName}.version`, `this Brook reads savepoint version 1, the file is version ${String(o.version)}`);
  if (!Array.isArray(o.parts) || o.parts.some((p) => typeof p?.name !== 'string' || typeof p?.data !== 'string')) {
    throw new InputError(`${fileName}.parts`, 'expected a list of { "name", "data" } parts');
  }
  for (const k of ['jobId', 'savepointId', 'time', 'seed', 'checksum'] as const) {
    if (o[k] === undefined) throw new InputError(`${fileName}.${k}`, 'missing');
  }
  const file = o as SavepointFile;
  const { checksum: stated, ...body } = file;
  if (fileChecksum(body) !== stated) throw new InputError(fileName, 'the savepoint is damaged or was edited: its checksum does not match its contents');
  return file;
}

/** The snapshot inside a savepoint file. */
export function snapshotOf(f: SavepointFile): JobSnapshot {
  return { version: 1, checkpointId: f.savepointId, time: f.time, seed: f.seed, parts: f.parts };
}

/** Reshapes old state values when a pipeline's state changed shape. */
export type StateMigration = (value: unknown, context: { readonly operator: string; readonly state: string; readonly key: Key }) => unknown;

export interface RestoreOptions {
  /** Drop state of operators the new pipeline no longer has, instead of refusing (Flink's --allowNonRestoredState). */
  readonly allowNonRestoredState?: boolean;
  /** Per operator uid, per state name: a function from the old value to the new one. */
  readonly migrations?: Readonly<Record<string, Readonly<Record<string, StateMigration>>>>;
}

/** The operator uid of a part name (`uid#subtask`), or undefined for job-level parts. */
export function operatorOfPart(name: string): string | undefined {
  const i = name.lastIndexOf('#');
  return i < 0 ? undefined : name.slice(0, i);
}

/**
 * Fits a savepoint to a new pipeline's parts: keeps the parts of operators (by uid) the new job
 * has, whatever their parallelism (the job rescales them: checkpoint/rescale.ts), applies
 * migrations, and refuses (or, if allowed, drops) state of operators that are gone. Returns the
 * snapshot to restore and the names of new parts that start empty (those of new operators).
 */
export function fitSavepoint(s: JobSnapshot, newParts: readonly string[], options: RestoreOptions = {}): { snapshot: JobSnapshot; fresh: string[] } {
  const wanted = new Set(newParts.map(operatorOfPart).filter((uid) => uid !== undefined));
  const have = new Set(s.parts.map((p) => p.name));
  const haveOperators = new Set(s.parts.map((p) => operatorOfPart(p.name)).filter((uid) => uid !== undefined));
  const kept = (name: string): boolean => {
    const uid = operatorOfPart(name);
    return uid === undefined || wanted.has(uid);
  };
  // Only parts that hold something count: a stateless operator that is gone loses nothing.
  const orphans = s.parts.filter((p) => !kept(p.name) && holdsState(p.data));
  if (orphans.length > 0 && !options.allowNonRestoredState) {
    const ops = [...new Set(orphans.map((p) => operatorOfPart(p.name)))].join('", "');
    throw new InputError(
      'savepoint',
      `the savepoint has state for operator(s) "${ops}" that the pipeline no longer has; give the operators their old .uid(...), or allow dropping that state (allowNonRestoredState / --allow-non-restored-state)`,
    );
  }
  const parts = s.parts.filter((p) => kept(p.name)).map((p) => migratePart(p, options.migrations));
  const fresh = newParts.filter((n) => {
    const uid = operatorOfPart(n);
    return uid === undefined ? !have.has(n) : !haveOperators.has(uid);
  });
  return { snapshot: { ...s, parts }, fresh };
}

/** Whether an operator subtask's part has keyed state, timers or operator state. */
function holdsState(data: string): boolean {
  const d = decodeSnapshot<{ state?: StateSnapshot; timers?: unknown[]; operator?: unknown }>(data);
  return (d.state?.length ?? 0) > 0 || (d.timers?.length ?? 0) > 0 || (d.operator !== undefined && d.operator !== null);
}

function migratePart(p: { name: string; data: string }, migrations: RestoreOptions['migrations']): { name: string; data: string } {
  const uid = operatorOfPart(p.name);
  const m = uid === undefined ? undefined : migrations?.[uid];
  if (m === undefined) return p;
  const decoded = decodeSnapshot<{ state?: StateSnapshot }>(p.data);
  if (decoded.state === undefined) return p;
  const state = decoded.state.map((t) => {
    const f = m[t.table];
    if (f === undefined) return t;
    return { table: t.table, entries: t.entries.map(([key, ns, value]) => [key, ns, f(value, { operator: uid!, state: t.table, key })] as [Key, [number, number] | null, unknown]) };
  });
  return { name: p.name, data: encodeSnapshot({ ...decoded, state }) };
}
