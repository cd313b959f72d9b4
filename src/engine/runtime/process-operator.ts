// Runs process functions: one or two inputs, keyed (state, timers) or not. The current key
// is set before every callback, so state handles and timers always act for that key. State
// writes are traced per key when tracing is on, for the state inspector. A state name keeps the
// kind and TTL it was first declared with (as a Flink state name keeps its descriptor):
// declaring it again differently is a PipelineDefinitionError, not a handle of the wrong kind.

import { PipelineDefinitionError, UserCodeError } from '../errors.ts';
import type { KeyedProcessContext, OnTimerContext, StateAccess, TimerServiceApi } from '../api/process-function.ts';
import type { StateDescriptors } from '../checkpoint/state-descriptors.ts';
import { StateRegistry } from '../state/state-registry.ts';
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

export class ProcessOperator implements Operator {
  private ctx!: OperatorContext;
  private key: Key | undefined = undefined;
  private timestamp = 0;
  private domain: 'eventTime' | 'processingTime' = 'eventTime';
  private readonly registry: StateRegistry;
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
    this.registry = new StateRegistry(
      () => self.ctx.operatorName,
      (name) => self.traced(self.ctx.state.table(name)),
      { currentKey: () => self.key!, currentNamespace: () => undefined, processingTime: () => self.ctx.processingTime() },
      () => self.requireKeyed('keyed state'),
    );
    const state: StateAccess = this.registry.access;
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

  stateDescriptors(): StateDescriptors {
    return this.registry.declared();
  }

  restoreStateDescriptors(restored: StateDescriptors, uid: string, ttlRecorded: boolean): void {
    this.registry.expect(restored, uid, ttlRecorded);
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
