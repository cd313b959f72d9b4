// Runs process functions: one or two inputs, keyed (state, timers) or not. The current key
// is set before every callback, so state handles and timers always act for that key. State
// writes are traced per key when tracing is on, for the state inspector. A state name keeps the
// kind and TTL it was first declared with (as a Flink state name keeps its descriptor):
// declaring it again differently is a PipelineDefinitionError, not a handle of the wrong kind.

import { PipelineDefinitionError, UserCodeError } from '../errors.ts';
import type { KeyedProcessContext, OnTimerContext, StateAccess, TimerServiceApi } from '../api/process-function.ts';
import {
  aggregatingState,
  listState,
  mapState,
  reducingState,
  valueState,
  type StateScope,
  type StateTtl,
} from '../state/keyed-state.ts';
import type { StateTable } from '../state/state-backend.ts';
import type { Timer } from '../time/timer-service.ts';
import type { Operator, OperatorContext } from './operator.ts';
import type { Key, RecordBatch } from './record-batch.ts';

/** The callbacks of any process function, with inputs numbered. */
export interface ProcessCallbacks {
  readonly element: readonly ((value: unknown, ctx: KeyedProcessContext<Key, unknown>) => void)[];
  readonly onTimer?: (timestamp: number, ctx: OnTimerContext<Key, unknown>) => void;
  readonly keyed: boolean;
}

/** The kinds of keyed state a process function can declare. */
type StateKind = 'value' | 'list' | 'map' | 'reducing' | 'aggregating';

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

export class ProcessOperator implements Operator {
  private ctx!: OperatorContext;
  private key: Key | undefined = undefined;
  private timestamp = 0;
  private domain: 'eventTime' | 'processingTime' = 'eventTime';
  private readonly handles = new Map<string, Declared>();
  private readonly context: OnTimerContext<Key, unknown>;

  constructor(private readonly cb: ProcessCallbacks) {
    const self = this;
    const timers: TimerServiceApi = {
      currentWatermark: () => self.ctx.watermark(),
      currentProcessingTime: () => self.ctx.processingTime(),
      registerEventTimeTimer: (t) => self.timer('register', 'eventTime', t),
      registerProcessingTimeTimer: (t) => self.timer('register', 'processingTime', t),
      deleteEventTimeTimer: (t) => self.timer('delete', 'eventTime', t),
      deleteProcessingTimeTimer: (t) => self.timer('delete', 'processingTime', t),
    };
    const state: StateAccess = {
      value: (name, o) => self.handle(name, 'value', o?.ttl, (t, s) => valueState(t, s, o?.ttl)),
      list: (name, o) => self.handle(name, 'list', o?.ttl, (t, s) => listState(t, s, o?.ttl)),
      map: (name, o) => self.handle(name, 'map', o?.ttl, (t, s) => mapState(t, s, o?.ttl)),
      reducing: (name, fn, o) => self.handle(name, 'reducing', o?.ttl, (t, s) => reducingState(t, s, fn, o?.ttl)),
      aggregating: (name, fn, o) => self.handle(name, 'aggregating', o?.ttl, (t, s) => aggregatingState(t, s, fn, o?.ttl)),
    };
    this.context = {
      get key() {
        if (!self.cb.keyed) throw new PipelineDefinitionError('ctx.key is only available on a keyed stream; call keyBy first');
        return self.key!;
      },
      get timestamp() {
        return self.timestamp;
      },
      get timeDomain() {
        return self.domain;
      },
      timerService: timers,
      state,
      output: (value, ts) => self.ctx.output.emit(value, ts ?? self.timestamp, self.key),
      outputTo: (tag, value, ts) => self.ctx.output.emitSide(tag, value, ts ?? self.timestamp, self.key),
    };
  }

  open(ctx: OperatorContext): void {
    this.ctx = ctx;
  }

  private requireKeyed(what: string): void {
    if (!this.cb.keyed) throw new PipelineDefinitionError(`${what} needs a keyed stream: call keyBy before process()`);
  }

  private timer(op: 'register' | 'delete', domain: 'eventTime' | 'processingTime', time: number): void {
    this.requireKeyed('timers');
    if (!Number.isFinite(time)) throw new RangeError(`timer time must be a finite number of ms, got ${time}`);
    const ctx = this.ctx;
    if (op === 'register') {
      ctx.timers.register(domain, time, this.key);
      if (ctx.tracing) ctx.trace({ type: 'timerSet', pt: ctx.processingTime(), operator: ctx.operatorName, subtask: ctx.subtask, key: this.key, domain, time });
    } else ctx.timers.delete(domain, time, this.key);
  }

  /**
   * The handle of state `name`, made on first use. Later declarations must ask for the same kind
   * and TTL (Flink checks a state name's descriptor against the registered one).
   */
  private handle<T>(name: string, kind: StateKind, ttl: StateTtl | undefined, make: (table: StateTable<unknown>, scope: StateScope) => T): T {
    this.requireKeyed('keyed state');
    const known = this.handles.get(name);
    if (known !== undefined) {
      if (known.kind !== kind) {
        throw new PipelineDefinitionError(
          `state "${name}" in operator "${this.ctx.operatorName}" is declared as ${known.kind} state and as ${kind} state: give each state its own name`,
        );
      }
      if (!sameTtl(known.ttl, ttl)) {
        throw new PipelineDefinitionError(
          `state "${name}" in operator "${this.ctx.operatorName}" is declared with ${describeTtl(known.ttl)} and with ${describeTtl(ttl)}: declare it with the same options everywhere`,
        );
      }
      return known.handle as T;
    }
    const self = this;
    const scope: StateScope = {
      currentKey: () => self.key!,
      currentNamespace: () => undefined,
      processingTime: () => self.ctx.processingTime(),
    };
    const h = make(this.traced(this.ctx.state.table(name)), scope);
    this.handles.set(name, { kind, ttl, handle: h });
    return h;
  }

  /** Wraps a table so writes show up in the trace as stateUpdated events. */
  private traced(table: StateTable<unknown>): StateTable<unknown> {
    const ctx = this.ctx;
    if (!ctx.tracing) return table;
    const note = (key: Key): void =>
      ctx.trace({ type: 'stateUpdated', pt: ctx.processingTime(), operator: ctx.operatorName, subtask: ctx.subtask, key, state: table.name, entries: table.size });
    return {
      name: table.name,
      get: (k, ns) => table.get(k, ns),
      set: (k, ns, v) => {
        table.set(k, ns, v);
        note(k);
      },
      delete: (k, ns) => {
        table.delete(k, ns);
        note(k);
      },
      entries: () => table.entries(),
      entriesOf: (k) => table.entriesOf(k),
      get size() {
        return table.size;
      },
    };
  }

  processBatch(batch: RecordBatch, input: number): void {
    const fn = this.cb.element[input]!;
    const { values, timestamps, keys } = batch;
    if (this.cb.keyed && keys === null) throw new Error(`keyed process operator "${this.ctx.operatorName}" got records without keys`);
    this.domain = 'eventTime';
    for (let i = 0; i < values.length; i++) {
      this.key = keys?.[i];
      this.timestamp = timestamps[i]!;
      try {
        fn(values[i], this.context);
      } catch (e) {
        if (e instanceof PipelineDefinitionError) throw e;
        throw new UserCodeError(this.ctx.operatorName, input === 0 ? 'processElement' : 'processElement2', e);
      }
    }
  }

  onTimer(timer: Timer): void {
    if (this.cb.onTimer === undefined) return;
    this.key = timer.key;
    this.timestamp = timer.time;
    this.domain = timer.domain;
    try {
      this.cb.onTimer(timer.time, this.context);
    } catch (e) {
      if (e instanceof PipelineDefinitionError) throw e;
      throw new UserCodeError(this.ctx.operatorName, 'onTimer', e);
    }
  }
}
