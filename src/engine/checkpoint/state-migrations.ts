// State migrations: functions a pipeline file exports (`export const migrations`) to reshape the
// values of a savepoint's keyed state when the code that keeps them changed. Applied to a copy of
// the savepoint's parts before anything is restored, so a migration that throws fails the restore
// (naming the operator uid, the state and the key) with nothing restored and the file untouched.
// A window's "window-panes" state is migrated by its contents (the accumulator, or the elements
// a process function keeps), never by the engine's pane bookkeeping; its trigger's state
// ("trigger[0]", "trigger[0].count") by the values the trigger keeps in each pane; an interval
// join's buffers record by record.

import { InputError } from '../errors.ts';
import type { Key } from '../runtime/record-batch.ts';
import type { StateSnapshot } from '../state/state-backend.ts';
import { decodePart, encodePart, type PartData } from './part-data.ts';
import type { StateDescriptors } from './state-descriptors.ts';
import { parseTriggerStateName } from '../windows/triggers/trigger-state-names.ts';
import { KIND_NAMES, migratedKind, restamp, stampedKindOf, unstamp, type StateKind } from '../state/ttl-stamps.ts';

/** What a migration is told about the value it reshapes. */
export interface StateMigrationContext {
  /** The operator's uid. */
  readonly operator: string;
  /** The state's name (a window's contents are "window-panes"). */
  readonly state: string;
  readonly key: Key;
  /** The window, for window state; null for state kept per key. */
  readonly window: { readonly start: number; readonly end: number } | null;
  /** An interval join buffer's record: its timestamp (the migration gets one record at a time). */
  readonly timestamp?: number;
  /** The kind of function that kept the state when the savepoint was taken, e.g. "window sum"; undefined in older savepoints. */
  readonly from: string | undefined;
  /** The kind that keeps it now, when known before the job runs (window functions); undefined for state declared as it runs. */
  readonly to: string | undefined;
}

/**
 * Reshapes one old state value into the new pipeline's shape. It runs on every restore from a
 * savepoint, so leave values already in the new shape as they are.
 * @example
 * const toAverage: StateMigration = (old) => (typeof old === 'number' ? { sum: old, count: 1 } : old);
 */
export type StateMigration = (value: unknown, context: StateMigrationContext) => unknown;

/**
 * Per operator uid, per state name, how its values are migrated. A pipeline file exports it
 * beside its default export; `brook run --from-savepoint`, the browser's "Resume from this" and
 * lessons then apply it when they restore a savepoint into the pipeline.
 * @example
 * // The window kept a sum; it now keeps { sum, count } for an average.
 * export const migrations: StateMigrations = {
 *   totals: { 'window-panes': (old) => (typeof old === 'number' ? { sum: old, count: 1 } : old) },
 * };
 */
export type StateMigrations = Readonly<Record<string, Readonly<Record<string, StateMigration>>>>;

/** The name of a window operator's state (its panes), whose migrations see the pane's contents. */
export const WINDOW_PANES = 'window-panes';
/** Not a state: what a window operator's windows are (WindowKind), recorded beside its panes' kind. */
export const WINDOW_KIND = 'window-kind';
/** The names of an interval join's buffers (Flink's LEFT_BUFFER, RIGHT_BUFFER), whose migrations see one record at a time. */
export const INTERVAL_JOIN_LEFT = 'interval-join-left';
export const INTERVAL_JOIN_RIGHT = 'interval-join-right';

/**
 * Checks that `value` (a module's `migrations` export) is a StateMigrations object; returns it,
 * or throws InputError naming `where` and what is wrong.
 */
export function validateMigrations(value: unknown, where: string): StateMigrations {
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const shape = "{ 'operator-uid': { 'state-name': (old, ctx) => newValue } }";
  if (!isRecord(value)) throw new InputError(where, `migrations must be an object ${shape}, got ${describe(value)}`);
  for (const [uid, states] of Object.entries(value)) {
    if (!isRecord(states)) throw new InputError(`${where}.${uid}`, `expected an object of state names to migration functions ${shape}, got ${describe(states)}`);
    for (const [state, fn] of Object.entries(states)) {
      if (typeof fn !== 'function') throw new InputError(`${where}.${uid}.${state}`, `expected a migration function (old, ctx) => newValue, got ${describe(fn)}`);
    }
  }
  return value as StateMigrations;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

/** A migration threw: the restore is refused naming the operator uid, the state and the key. */
export class MigrationFailedError extends InputError {
  override readonly cause: unknown;
  constructor(c: StateMigrationContext, cause: unknown) {
    const thrown = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    const where = c.window === null ? '' : ` in window [${c.window.start}, ${c.window.end})`;
    super('savepoint', `the migration of state "${c.state}" of operator "${c.operator}" threw for key ${JSON.stringify(c.key)}${where}: ${thrown}; nothing was restored`);
    this.cause = cause;
  }
}

/**
 * Migrates one operator subtask's part (a copy; the given text is not changed). Migrated states
 * lose their recorded kind (the new pipeline's is recorded at its next snapshot); a state a
 * function declared, in a part whose kinds tell TTLs apart, records instead how its values are
 * stored now (`migratedKind`), so a TTL it has now stamps or unstamps them as it is declared.
 */
export function migratePart(
  part: { readonly name: string; readonly data: PartData },
  operator: string,
  migrations: Readonly<Record<string, StateMigration>>,
  now: StateDescriptors | undefined,
): { name: string; data: PartData } {
  const decoded = decodePart<{ state?: StateSnapshot; descriptors?: Record<string, string>; ttlRecorded?: true }>(part.data);
  if (decoded.state === undefined) return { ...part };
  const was = decoded.descriptors ?? {};
  const triggerStates = Object.keys(migrations).filter((name) => parseTriggerStateName(name) !== undefined);
  /** What the migrated declared states' descriptors become (how their values are stored now). */
  const migratedKinds: Record<string, string> = {};
  const state = decoded.state.map((t) => {
    const f = migrations[t.table];
    // "value state" in a part whose kinds do not tell TTLs apart may be stamped or not: as before, raw.
    const declared = declaredKindOf(was[t.table]);
    if (f !== undefined && declared !== undefined && (decoded.ttlRecorded === true || declared.stampedAs !== undefined)) {
      const migrated = migrateDeclared(t, f, declared.stampedAs, (key, ns) => ({ operator, state: t.table, key, window: ns === null ? null : { start: ns[0], end: ns[1] }, from: was[t.table], to: now?.[t.table] }));
      migratedKinds[t.table] = migratedKind(migrated.stampedAs);
      return { ...t, entries: migrated.entries };
    }
    const isPanes = t.table === WINDOW_PANES;
    if (f === undefined && !(isPanes && triggerStates.length > 0)) return t;
    const entries = t.entries.map(([key, ns, value]): [Key, [number, number] | null, unknown] => {
      const context = (name: string): StateMigrationContext => ({ operator, state: name, key, window: ns === null ? null : { start: ns[0], end: ns[1] }, from: was[name], to: now?.[name] });
      if (isPanes && Array.isArray(value)) {
        let pane = f === undefined ? value : migratePane(value, f, context(t.table));
        for (const name of triggerStates) pane = migrateTriggerState(pane, name, migrations[name]!, context(name));
        return [key, ns, pane];
      }
      if (f === undefined) return [key, ns, value];
      const c = context(t.table);
      if ((t.table === INTERVAL_JOIN_LEFT || t.table === INTERVAL_JOIN_RIGHT) && Array.isArray(value)) {
        return [key, ns, (value as [number, unknown][]).map(([ts, record]) => [ts, run(f, record, { ...c, timestamp: ts })])];
      }
      return [key, ns, run(f, value, c)];
    });
    return { ...t, entries };
  });
  let descriptors = decoded.descriptors;
  if (descriptors !== undefined) {
    const left = Object.entries(descriptors).filter(([name]) => migrations[name] === undefined);
    descriptors = { ...Object.fromEntries(left), ...migratedKinds };
  }
  return { name: part.name, data: encodePart({ ...decoded, state, ...(descriptors !== undefined && { descriptors }) }) };
}

/**
 * A pane as its codec writes it (windows/pane.ts: `[acc, elements, ...]`): the migration gets the
 * elements when it holds them, else the accumulator; the result goes where the new window
 * function keeps its contents (elements for a process function or one that keeps every element).
 */
function migratePane(encoded: unknown[], f: StateMigration, c: StateMigrationContext): unknown[] {
  const elements = encoded[1];
  const out = run(f, elements !== null && elements !== undefined ? elements : encoded[0], c);
  const keepsElements = c.to === undefined ? elements !== null && elements !== undefined : c.to.endsWith('process') || c.to.endsWith('over elements');
  const pane = [...encoded];
  if (keepsElements) {
    if (!Array.isArray(out)) throw new MigrationFailedError(c, new TypeError(`the new ${c.to ?? 'window'} keeps the pane's elements: return an array`));
    pane[0] = null;
    pane[1] = out;
    pane[2] = out.length;
  } else {
    pane[0] = out;
    pane[1] = null;
  }
  return pane;
}

/**
 * A trigger's state in an encoded pane (windows/pane.ts: data slots at 4, Flink-style triggers'
 * named values at 6): the migration gets the value a node keeps, if it keeps one; a named value
 * migrated to undefined is removed. The pane is copied, never changed in place.
 */
function migrateTriggerState(encoded: unknown[], name: string, f: StateMigration, c: StateMigrationContext): unknown[] {
  const at = parseTriggerStateName(name)!;
  const pane = [...encoded];
  if (at.value === undefined) {
    const data = Array.isArray(pane[4]) ? [...(pane[4] as unknown[])] : [];
    const old = data[at.node];
    if (old === null || old === undefined) return encoded;
    data[at.node] = run(f, old, c) ?? null;
    pane[4] = data;
    return pane;
  }
  const user = Array.isArray(pane[6]) ? [...(pane[6] as (Record<string, unknown> | null)[])] : [];
  const values = user[at.node];
  if (values === null || values === undefined || values[at.value] === undefined) return encoded;
  const next = { ...values };
  const out = run(f, values[at.value], c);
  if (out === undefined) delete next[at.value];
  else next[at.value] = out;
  user[at.node] = next;
  pane[6] = user;
  return pane;
}

/** For a descriptor of a state a function declares ("list state", "map state with ttl"), whether its values are stamped, and as which kind's. */
function declaredKindOf(descriptor: string | undefined): { readonly stampedAs: StateKind | undefined } | undefined {
  if (descriptor === undefined) return undefined;
  const stampedAs = stampedKindOf(descriptor);
  return stampedAs !== undefined || Object.values(KIND_NAMES).includes(descriptor) ? { stampedAs } : undefined;
}

/**
 * Migrates every entry of a declared state's table. A state kept with a TTL is migrated by its
 * values without their stamps (as Flink migrates the user value inside its TtlValue) and each
 * result keeps the stamp of the value it replaces (ttl-stamps.ts, `restamp`); when a result
 * cannot keep one (a migration that made a list of a value state), every result is stored
 * without stamps and a TTL the state has now stamps them as written at the restore.
 */
function migrateDeclared(
  t: StateSnapshot[number],
  f: StateMigration,
  stampedAs: StateKind | undefined,
  context: (key: Key, ns: [number, number] | null) => StateMigrationContext,
): { entries: [Key, [number, number] | null, unknown][]; stampedAs: StateKind | undefined } {
  const out = t.entries.map(([key, ns, value]): [Key, [number, number] | null, unknown] => [key, ns, run(f, stampedAs === undefined ? value : unstamp(stampedAs, value), context(key, ns))]);
  if (stampedAs === undefined) return { entries: out, stampedAs };
  const kept = out.map(([key, ns, value], i): [Key, [number, number] | null, unknown] => [key, ns, restamp(stampedAs, t.entries[i]![2], value)]);
  return kept.every((e) => e[2] !== undefined) ? { entries: kept, stampedAs } : { entries: out, stampedAs: undefined };
}

function run(f: StateMigration, value: unknown, c: StateMigrationContext): unknown {
  try {
    return f(value, c);
  } catch (e) {
    throw new MigrationFailedError(c, e);
  }
}
