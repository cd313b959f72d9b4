// Declared keyed state of one operator: hands out the state primitive for a name on first use
// and the same one afterwards, refusing a name declared again as another kind or with other
// TTL options (Flink checks a state name's descriptor against the registered one). The scope
// decides which key (and window) every handle acts for. After a restore, a state declared with
// its TTL switched on or off has its values converted first (ttl-migration.ts, as Flink 2.2).

import type { StateAccess } from '../api/process-function.ts';
import { checkDeclaredKind, type StateDescriptors } from '../checkpoint/state-descriptors.ts';
import { PipelineDefinitionError } from '../errors.ts';
import { aggregatingState, listState, mapState, reducingState, valueState, type StateScope, type StateTtl } from './keyed-state.ts';
import type { StateTable } from './state-backend.ts';
import { migrateTtl } from './ttl-migration.ts';
import { KIND_NAMES, kindName, migratedFrom, stampedKindOf, type StateKind } from './ttl-stamps.ts';

/** A declared state: its handle, and the kind and TTL it was declared with. */
interface Declared {
  readonly kind: StateKind;
  readonly ttl: StateTtl | undefined;
  readonly handle: unknown;
}

function sameTtl(a: StateTtl | undefined, b: StateTtl | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.ttl === b.ttl && (a.updateOnRead ?? false) === (b.updateOnRead ?? false);
}

function describeTtl(t: StateTtl | undefined): string {
  if (t === undefined) return 'no ttl';
  return `ttl ${t.ttl} ms${t.updateOnRead ? ', updated on read' : ''}`;
}

export class StateRegistry {
  private readonly handles = new Map<string, Declared>();
  /**
   * After a restore: the kinds the snapshot recorded per state name, the operator's uid, and
   * whether those kinds say which states had a TTL (snapshots before that said "value state" either way).
   */
  private restored: { readonly kinds: StateDescriptors; readonly uid: string; readonly ttlRecorded: boolean } | undefined;
  /** What user code calls: ctx.state, ctx.windowState, ctx.globalState. */
  readonly access: StateAccess;

  constructor(
    private readonly operatorName: () => string,
    private readonly tableOf: (name: string) => StateTable<unknown>,
    private readonly scope: StateScope,
    /** Runs before every declaration (a process operator refuses state on a non-keyed stream). */
    private readonly check: () => void = () => {},
  ) {
    this.access = {
      value: (name, o) => this.handle(name, 'value', o?.ttl, (t, s) => valueState(t, s, o?.ttl)),
      list: (name, o) => this.handle(name, 'list', o?.ttl, (t, s) => listState(t, s, o?.ttl)),
      map: (name, o) => this.handle(name, 'map', o?.ttl, (t, s) => mapState(t, s, o?.ttl)),
      reducing: (name, fn, o) => this.handle(name, 'reducing', o?.ttl, (t, s) => reducingState(t, s, fn, o?.ttl)),
      aggregating: (name, fn, o) => this.handle(name, 'aggregating', o?.ttl, (t, s) => aggregatingState(t, s, fn, o?.ttl)),
    };
  }

  /** Per state name, the kind it was declared as (checkpoint/state-descriptors.ts). */
  declared(): StateDescriptors {
    const out: Record<string, string> = {};
    for (const [name, d] of this.handles) out[name] = kindName(d.kind, d.ttl !== undefined);
    return out;
  }

  /**
   * A restore: a state declared from now on as another kind than the snapshot recorded is
   * refused (Flink checks a state's type as it is registered after a restore); one declared with
   * its TTL switched on or off is converted, when `ttlRecorded` says the kinds tell.
   */
  expect(kinds: StateDescriptors, uid: string, ttlRecorded = false): void {
    this.restored = { kinds, uid, ttlRecorded };
  }

  /** Checks a state's first declaration after a restore against what the snapshot recorded, converting its values for a TTL switched on or off. */
  private restoredAs(name: string, kind: StateKind, ttl: StateTtl | undefined, table: StateTable<unknown>): void {
    const { kinds, uid, ttlRecorded } = this.restored!;
    const was = kinds[name];
    if (was === undefined) return;
    const now = () => this.scope.processingTime();
    const migrated = migratedFrom(was);
    if (migrated !== undefined) {
      // A migration reshaped it (accepted whatever its kind): its values keep the stamps of the
      // kind it had, or none; converted when the state now reads them otherwise.
      const stampedAs = migrated.kind;
      if (stampedAs !== (ttl === undefined ? undefined : kind)) migrateTtl(table, { stampedAs }, { kind, ttl: ttl?.ttl }, now());
      return;
    }
    const stampedAs = stampedKindOf(was);
    if ((stampedAs === undefined ? was : KIND_NAMES[stampedAs]) !== KIND_NAMES[kind]) checkDeclaredKind(uid, name, was, kindName(kind, ttl !== undefined));
    // Flink 2.2 restores state across a TTL switched on or off (state_migration.md); before that
    // version it refused it with a StateMigrationException.
    if (ttlRecorded && (stampedAs !== undefined) !== (ttl !== undefined)) migrateTtl(table, { stampedAs }, { kind, ttl: ttl?.ttl }, now());
  }

  private handle<T>(name: string, kind: StateKind, ttl: StateTtl | undefined, make: (table: StateTable<unknown>, scope: StateScope) => T): T {
    this.check();
    const known = this.handles.get(name);
    if (known !== undefined) {
      if (known.kind !== kind) {
        throw new PipelineDefinitionError(
          `state "${name}" in operator "${this.operatorName()}" is declared as ${known.kind} state and as ${kind} state: give each state its own name`,
        );
      }
      if (!sameTtl(known.ttl, ttl)) {
        throw new PipelineDefinitionError(
          `state "${name}" in operator "${this.operatorName()}" is declared with ${describeTtl(known.ttl)} and with ${describeTtl(ttl)}: declare it with the same options everywhere`,
        );
      }
      return known.handle as T;
    }
    const table = this.tableOf(name);
    if (this.restored !== undefined) this.restoredAs(name, kind, ttl, table);
    const h = make(table, this.scope);
    this.handles.set(name, { kind, ttl, handle: h });
    return h;
  }
}
