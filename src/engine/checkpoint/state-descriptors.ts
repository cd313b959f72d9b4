// State descriptors: what kind of operator or function keeps each named keyed state ("window
// sum", "value state", ...), recorded in every operator subtask's snapshot part and compared when
// a savepoint is restored into a changed pipeline, so state one function wrote is never handed
// to another that cannot read it (a window sum's number read as an aggregate's accumulator gave
// NaN). Invariant: same kinds restore as before; a part without descriptors (older files) is
// not checked.
//
// This is Flink's serializer compatibility check, in miniature. Flink stores a meta-info snapshot
// per state (its type VALUE/LIST/MAP/... and a serializer snapshot) in every savepoint; when the
// restored job registers a state of that name, RegisteredKeyValueStateBackendMetaInfo
// .checkStateMetaInfo refuses another type ("Incompatible key/value state types. Was [VALUE],
// registered with [LIST].") and HeapKeyedStateBackend.tryRegisterStateTable refuses an
// incompatible serializer with a StateMigrationException ("For heap backends, the new state
// serializer (...) must not be incompatible with the old state serializer (...)."); a serializer
// "compatible after migration" has its values rewritten (RocksDBKeyedStateBackend
// .migrateStateValues). Brook has no serializers: the kind stands for the type, and a migration
// function (state-migrations.ts) is how the user says "compatible after migration".
//
// When: kinds an operator knows when it is built (a window's function) are checked before
// anything is restored (`checkStateCompatibility`, from fitSavepoint); keyed state a function
// declares as it runs (`ctx.state.value('n')`) is checked when it is first declared after the
// restore, as Flink does on registration (`checkDeclaredKind`).
//
// Where Brook is stricter: a uid that now names another kind of operator (an interval join's
// uid given to a window or a process function) is refused (`changedOperators`). Flink matches
// state by name only, so there the old operator's state would be restored, never read, and kept
// (HeapRestoreOperation registers every state of the snapshot); its timers would sit in a timer
// service of their own name ("CLEANUP_TIMER", "window-timers", "user-timers") and never fire.
// A Brook subtask has one timer service, so the old operator's timers would fire into the new
// one: it is refused like state of a removed operator, and allowNonRestoredState starts it empty.

import { InputError } from '../errors.ts';
import { INTERVAL_JOIN_LEFT, INTERVAL_JOIN_RIGHT, WINDOW_KIND, WINDOW_PANES } from './state-migrations.ts';
import { decodePart, type PartData } from './part-data.ts';

/** Per state name, the kind of operator or function that keeps it, e.g. `{ "window-panes": "window sum" }`. */
export type StateDescriptors = Readonly<Record<string, string>>;

/** A restore refused because a state's kind changed (Flink's StateMigrationException); `path` is "savepoint". */
export class StateMigrationError extends InputError {
  /** The operator uid and the state whose kind changed. */
  readonly operator: string;
  readonly state: string;
  constructor(operator: string, state: string, message: string) {
    super('savepoint', message);
    this.operator = operator;
    this.state = state;
  }
}

/** The message of a refused restore: the operator uid, the state, old and new kind, and the two ways out. */
export function incompatibleStateMessage(operator: string, state: string, was: string, now: string): string {
  return (
    `operator "${operator}": state "${state}" was kept by a ${was} and the new pipeline keeps it with a ${now}, which cannot read it. ` +
    `Either migrate it (export const migrations = { '${operator}': { '${state}': (old, ctx) => newValue } } in the pipeline file), ` +
    `or give the operator a new .uid(...) so it starts empty (and allowNonRestoredState / --allow-non-restored-state to drop the old state)`
  );
}

/** The descriptors an operator subtask's part recorded (none in parts written before descriptors existed). */
export function partDescriptors(data: PartData): StateDescriptors | undefined {
  return decodePart<{ descriptors?: StateDescriptors }>(data).descriptors;
}

/** Every subtask's descriptors of one operator, merged (subtasks of one operator agree). */
export function mergeDescriptors(list: readonly (StateDescriptors | undefined)[]): StateDescriptors | undefined {
  let out: Record<string, string> | undefined;
  for (const d of list) if (d !== undefined) out = { ...out, ...d };
  return out;
}

/**
 * Refuses a restore when a state of an operator kept in the savepoint is now kept by another kind
 * of function, unless a migration is given for it.
 * @param saved per operator uid, the descriptors the savepoint recorded
 * @param current per operator uid, the descriptors the new pipeline's operators know when built
 * @param migrated whether a migration is given for an operator's state
 */
export function checkStateCompatibility(
  saved: ReadonlyMap<string, StateDescriptors>,
  current: ReadonlyMap<string, StateDescriptors>,
  migrated: (operator: string, state: string) => boolean,
): void {
  for (const [operator, now] of current) {
    const was = saved.get(operator);
    if (was === undefined) continue;
    for (const [state, kind] of Object.entries(now)) {
      const old = was[state];
      if (old === undefined || old === kind) continue;
      // Flink refuses another window serializer (TimeWindow against GlobalWindow); no migration of values helps.
      if (state === WINDOW_KIND) throw new StateMigrationError(operator, state, changedWindowsMessage(operator, old, kind));
      if (migrated(operator, state)) continue;
      throw new StateMigrationError(operator, state, incompatibleStateMessage(operator, state, old, kind));
    }
  }
}

/** The message of a restore refused because a window operator's windows changed kind (time windows, global windows). */
function changedWindowsMessage(operator: string, was: string, now: string): string {
  return (
    `operator "${operator}": its panes were kept for ${was} and the new pipeline's windows are ${now}, which cannot take them over (Flink refuses another window serializer). ` +
    `Give the operator a new .uid(...) so it starts empty (and allowNonRestoredState / --allow-non-restored-state to drop the old state)`
  );
}

/**
 * The check for keyed state declared while the restored job runs: `restored` is the kind the
 * savepoint recorded for `state` (undefined: nothing to compare with).
 */
export function checkDeclaredKind(operator: string, state: string, restored: string | undefined, declared: string): void {
  if (restored === undefined || restored === declared) return;
  throw new StateMigrationError(operator, state, incompatibleStateMessage(operator, state, restored, declared));
}

/**
 * The states that only one kind of operator keeps, always, from when it is built: a savepoint
 * part holding one was written by that kind of operator. Per name, that kind.
 */
const OPERATOR_STATES: Readonly<Record<string, string>> = {
  [WINDOW_PANES]: 'window',
  [INTERVAL_JOIN_LEFT]: 'interval join',
  [INTERVAL_JOIN_RIGHT]: 'interval join',
};

/** An operator uid that names another kind of operator than the one whose state the savepoint holds. */
export interface ChangedOperator {
  readonly operator: string;
  /** A state the old operator kept and the new one never reads. */
  readonly state: string;
  readonly message: string;
}

/**
 * The operators whose uid now names another kind of operator: the savepoint holds state only an
 * operator of one kind keeps (a window's panes, an interval join's buffers) and the new
 * operator, which knows when built every such state it keeps, does not keep it.
 * @param saved per operator uid, the descriptors the savepoint recorded
 * @param current per operator uid, the descriptors of every operator of the new pipeline, when built (operators missing here are not judged)
 */
export function changedOperators(saved: ReadonlyMap<string, StateDescriptors>, current: ReadonlyMap<string, StateDescriptors>): ChangedOperator[] {
  const out: ChangedOperator[] = [];
  for (const [operator, was] of saved) {
    const now = current.get(operator);
    if (now === undefined) continue;
    const state = Object.keys(was).find((name) => OPERATOR_STATES[name] !== undefined && now[name] === undefined);
    if (state === undefined) continue;
    const message =
      `operator "${operator}": state "${state}" was kept by ${article(OPERATOR_STATES[state]!)} (${was[state]}) and the operator now under that uid is ${describeOperator(now)}, which never reads it. ` +
      `Give the operator a new .uid(...) so it starts empty, or allow dropping its old state (allowNonRestoredState / --allow-non-restored-state), which starts it empty`;
    out.push({ operator, state, message });
  }
  return out;
}

/** The kind of operator whose build-time descriptors are `d`, for messages. */
function describeOperator(d: StateDescriptors): string {
  const own = Object.keys(d).find((name) => OPERATOR_STATES[name] !== undefined);
  if (own === undefined) return 'another kind of operator (a process function, a map or a sink)';
  return `${article(OPERATOR_STATES[own]!)} (${d[own]})`;
}

function article(noun: string): string {
  return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}
