// Savepoints: a checkpoint a person takes on purpose, exported as one JSON file and restored
// into a possibly changed pipeline. Operators are matched by their stable uid (set `.uid()` on
// operators whose state must survive a change); a new operator starts empty; state of an
// operator the new pipeline no longer has is refused unless allowed (Flink's
// --allowNonRestoredState); state now kept by another kind of function is refused unless a
// migration function reshapes it (state-descriptors.ts, state-migrations.ts); a uid that now names
// another kind of operator is refused, or with allowNonRestoredState starts empty. An operator
// whose parallelism changed is rescaled when the job restores (checkpoint/rescale.ts).

import { InputError } from '../errors.ts';
import type { StateSnapshot } from '../state/state-backend.ts';
import { checksum } from './checksum.ts';
import type { JobSnapshot } from './job-snapshot.ts';
import { decodePart, partText, type PartData } from './part-data.ts';
import { changedOperators, checkStateCompatibility, mergeDescriptors, partDescriptors, StateMigrationError, type StateDescriptors } from './state-descriptors.ts';
import { migratePart, type StateMigrations } from './state-migrations.ts';

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

/** Wraps a snapshot as a savepoint file (its parts as JSON text, whatever form they were stored in). */
export function toSavepointFile(jobId: string, s: JobSnapshot): SavepointFile {
  const parts = s.parts.map((p) => ({ name: p.name, data: partText(p.data) }));
  const body = { format: 'brook-savepoint' as const, version: 1 as const, jobId, savepointId: s.checkpointId, time: s.time, seed: s.seed, parts };
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

export type { StateMigration, StateMigrationContext, StateMigrations } from './state-migrations.ts';

export interface RestoreOptions {
  /** Drop state of operators the new pipeline no longer has, instead of refusing (Flink's --allowNonRestoredState). */
  readonly allowNonRestoredState?: boolean;
  /** Per operator uid, per state name: a function from the old value to the new one (state-migrations.ts). */
  readonly migrations?: StateMigrations;
}

/** The operator uid of a part name (`uid#subtask`), or undefined for job-level parts. */
export function operatorOfPart(name: string): string | undefined {
  const i = name.lastIndexOf('#');
  return i < 0 ? undefined : name.slice(0, i);
}

/**
 * Fits a savepoint to a new pipeline's parts: keeps the parts of operators (by uid) the new job
 * has, whatever their parallelism (the job rescales them: checkpoint/rescale.ts), refuses state
 * whose kind changed without a migration (state-descriptors.ts), applies migrations, and refuses
 * (or, if allowed, drops) state of operators that are gone or whose uid now names another kind of
 * operator (those then start empty). Returns the snapshot to restore and
 * the names of new parts that start empty (those of new operators). Throws before returning
 * anything, so a refused or failed restore restores nothing; `s` itself is never changed.
 * @param descriptors per operator uid, the state kinds the new job's operators know when built (Job.stateDescriptors; every operator, even one that knows none)
 */
export function fitSavepoint(
  s: JobSnapshot,
  newParts: readonly string[],
  options: RestoreOptions = {},
  descriptors: ReadonlyMap<string, StateDescriptors> = new Map(),
): { snapshot: JobSnapshot; fresh: string[] } {
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
  let keptParts = s.parts.filter((p) => kept(p.name));
  const saved = savedDescriptors(keptParts);
  const changed = changedOperators(saved, descriptors);
  if (changed.length > 0 && !options.allowNonRestoredState) throw new StateMigrationError(changed[0]!.operator, changed[0]!.state, changed[0]!.message);
  // Allowed: the old operator's state is dropped and the new one starts empty, as under a new uid.
  const replaced = new Set(changed.map((c) => c.operator));
  keptParts = keptParts.filter((p) => !replaced.has(operatorOfPart(p.name) ?? ''));
  for (const uid of replaced) saved.delete(uid);
  const migrations = options.migrations ?? {};
  checkStateCompatibility(saved, descriptors, (uid, state) => migrations[uid]?.[state] !== undefined);
  const parts = keptParts.map((p) => {
    const uid = operatorOfPart(p.name);
    const m = uid === undefined ? undefined : migrations[uid];
    return m === undefined ? p : migratePart(p, uid!, m, descriptors.get(uid!));
  });
  const fresh = newParts.filter((n) => {
    const uid = operatorOfPart(n);
    return uid === undefined ? !have.has(n) : !haveOperators.has(uid) || replaced.has(uid);
  });
  return { snapshot: { ...s, parts }, fresh };
}

/** Whether an operator subtask's part has keyed state, timers or operator state. */
function holdsState(data: PartData): boolean {
  const d = decodePart<{ state?: StateSnapshot; timers?: unknown[]; operator?: unknown }>(data);
  return (d.state?.length ?? 0) > 0 || (d.timers?.length ?? 0) > 0 || (d.operator !== undefined && d.operator !== null);
}

/** Per operator uid, the state descriptors its parts recorded (operators whose parts have none are left out). */
function savedDescriptors(parts: readonly { readonly name: string; readonly data: PartData }[]): Map<string, StateDescriptors> {
  const byOperator = new Map<string, (StateDescriptors | undefined)[]>();
  for (const p of parts) {
    const uid = operatorOfPart(p.name);
    if (uid !== undefined) byOperator.set(uid, [...(byOperator.get(uid) ?? []), partDescriptors(p.data)]);
  }
  const out = new Map<string, StateDescriptors>();
  for (const [uid, list] of byOperator) {
    const merged = mergeDescriptors(list);
    if (merged !== undefined) out.set(uid, merged);
  }
  return out;
}
