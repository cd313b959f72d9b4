// Flink's trigger model: callbacks that return a TriggerResult (CONTINUE, FIRE, PURGE,
// FIRE_AND_PURGE). A FlinkTrigger node stores the pending result until the window operator
// acts on it; Flink triggers never finish, and windows using them never fire on expiry.
// Named values (getState/setState) are registered with the pane's context as they are used, as
// Flink's getPartitionedState registers a state descriptor, so a restore can check who kept them.

import { maxTimestamp, type Window } from '../window.ts';
import { Trigger, type MergeContext, type TimeDomain, type TriggerContext, type TriggerState } from './trigger.ts';

/** What a Flink trigger asks the window operator to do (Flink's TriggerResult). */
export type TriggerResult = 'CONTINUE' | 'FIRE' | 'PURGE' | 'FIRE_AND_PURGE';

const FIRE = 1;
const PURGE = 2;
const CODE: Record<TriggerResult, number> = { CONTINUE: 0, FIRE: FIRE, PURGE: PURGE, FIRE_AND_PURGE: FIRE | PURGE };

/** The door a Flink-style trigger has to timers, clocks and its own per-window state. */
export interface FlinkTriggerContext {
  readonly currentWatermark: number;
  readonly currentProcessingTime: number;
  registerEventTimeTimer(time: number): void;
  registerProcessingTimeTimer(time: number): void;
  /** Reads this trigger's state for the current key and window. */
  getState<T>(name: string): T | undefined;
  /** Writes this trigger's state for the current key and window (JSON-compatible values). */
  setState(name: string, value: unknown): void;
  clearState(name: string): void;
}

/** What `onMerge` gets: the merged window's context, plus Flink's `mergePartitionedState`. */
export interface FlinkOnMergeContext extends FlinkTriggerContext {
  /**
   * Writes into the merged window the state `name` of every window being merged, combined with
   * `reduce` (Flink's `mergePartitionedState` for a ReducingState). A merged window that did not
   * exist before starts with empty trigger state, as in Flink.
   */
  mergePartitionedState<T>(name: string, reduce: (a: T, b: T) => T): void;
}

/**
 * A trigger written against Flink's Trigger API.
 *
 * @example
 * // Fire whenever an element above 100 arrives, and at the end of the window.
 * const bigValue = flinkTrigger<{ amount: number }>({
 *   name: 'BigValueTrigger',
 *   onElement: (e, _ts, w, ctx) => {
 *     ctx.registerEventTimeTimer(w.end - 1);
 *     return e.amount > 100 ? 'FIRE' : 'CONTINUE';
 *   },
 *   onEventTime: (t, w) => (t === w.end - 1 ? 'FIRE' : 'CONTINUE'),
 *   onProcessingTime: () => 'CONTINUE',
 * });
 */
export interface FlinkTriggerFunctions<T = unknown> {
  readonly name?: string;
  onElement(element: T, timestamp: number, window: Window, ctx: FlinkTriggerContext): TriggerResult;
  onEventTime(time: number, window: Window, ctx: FlinkTriggerContext): TriggerResult;
  onProcessingTime(time: number, window: Window, ctx: FlinkTriggerContext): TriggerResult;
  /** Needed for session windows: re-register timers and merge state for the merged window. */
  onMerge?(window: Window, ctx: FlinkOnMergeContext): void;
  clear?(window: Window, ctx: FlinkTriggerContext): void;
}

class FlinkContext implements FlinkOnMergeContext {
  constructor(
    private readonly c: TriggerContext,
    private readonly id: number,
    /** The trigger that keeps the named values (FlinkTrigger.stateOwner). */
    private readonly owner: string,
    private readonly merging: readonly TriggerState[] = [],
  ) {}
  private declare(name: string): void {
    this.c.declareState?.(this.id, name, this.owner);
  }
  get currentWatermark(): number {
    return this.c.watermark;
  }
  get currentProcessingTime(): number {
    return this.c.processingTime;
  }
  registerEventTimeTimer(time: number): void {
    this.c.setTimer(time, 'eventTime');
  }
  registerProcessingTimeTimer(time: number): void {
    this.c.setTimer(time, 'processingTime');
  }
  private record(): Record<string, unknown> {
    const s = this.c.state;
    s.user ??= [];
    let r = s.user[this.id];
    if (r === undefined || r === null) {
      r = {};
      s.user[this.id] = r;
    }
    return r;
  }
  getState<T>(name: string): T | undefined {
    this.declare(name);
    return this.c.state.user?.[this.id]?.[name] as T | undefined;
  }
  setState(name: string, value: unknown): void {
    this.declare(name);
    this.record()[name] = value;
  }
  clearState(name: string): void {
    this.declare(name);
    const r = this.c.state.user?.[this.id];
    if (r) delete r[name];
  }
  mergePartitionedState<T>(name: string, reduce: (a: T, b: T) => T): void {
    this.declare(name);
    let acc: T | undefined;
    for (const s of this.merging) {
      const v = s.user?.[this.id]?.[name] as T | undefined;
      if (v !== undefined) acc = acc === undefined ? v : reduce(acc, v);
    }
    if (acc === undefined) this.clearState(name);
    else this.setState(name, acc);
  }
}

/** Adapts Flink trigger callbacks to the engine's trigger tree. */
export class FlinkTrigger<T = unknown> extends Trigger {
  override readonly isFlinkModel = true;
  override readonly waitsForWatermarkOnly: boolean;
  /** Its data slot holds the result it asked for until the window operator acts on it. */
  override readonly stateKind = 'Flink-style trigger';
  /**
   * Who keeps its named values, as savepoints record it: its name without parameters
   * ("CountTrigger" for CountTrigger(5)), so the same trigger with other parameters reads them.
   */
  readonly stateOwner: string;
  readonly fns: FlinkTriggerFunctions<T>;
  constructor(fns: FlinkTriggerFunctions<T>, waitsForWatermarkOnly = false, stateOwner?: string) {
    super();
    this.fns = fns;
    this.waitsForWatermarkOnly = waitsForWatermarkOnly;
    this.stateOwner = stateOwner ?? (fns.name ?? 'FlinkTrigger').replace(/\(.*$/s, '');
  }
  private ctx(c: TriggerContext): FlinkContext {
    return new FlinkContext(c, this.id, this.stateOwner);
  }
  private pend(c: TriggerContext, r: TriggerResult): void {
    c.state.data[this.id] = (c.state.data[this.id] ?? 0) | CODE[r];
  }
  onElement(c: TriggerContext): void {
    this.pend(c, this.fns.onElement(c.element as T, c.elementTimestamp ?? 0, c.window, this.ctx(c)));
  }
  override onTimer(c: TriggerContext, time: number, domain: TimeDomain): void {
    const r =
      domain === 'eventTime'
        ? this.fns.onEventTime(time, c.window, this.ctx(c))
        : this.fns.onProcessingTime(time, c.window, this.ctx(c));
    this.pend(c, r);
  }
  shouldFire(c: TriggerContext): boolean {
    return ((c.state.data[this.id] ?? 0) & FIRE) !== 0;
  }
  override purgesOnFire(c: TriggerContext): boolean {
    return ((c.state.data[this.id] ?? 0) & PURGE) !== 0;
  }
  override shouldPurge(c: TriggerContext): boolean {
    return c.state.data[this.id] === PURGE;
  }
  onFire(c: TriggerContext): void {
    c.state.data[this.id] = null;
  }
  override onMerge(c: MergeContext): void {
    c.state.data[this.id] = null;
    this.fns.onMerge?.(c.window, new FlinkContext(c, this.id, this.stateOwner, c.merging));
  }
  override clear(c: TriggerContext): void {
    this.fns.clear?.(c.window, this.ctx(c));
    c.state.data[this.id] = null;
    if (c.state.user) c.state.user[this.id] = null;
  }
  toString(): string {
    return this.fns.name ?? 'FlinkTrigger';
  }
}

/** Flink's EventTimeTrigger: fires when the watermark passes the window's end, and for each late element. */
export function eventTimeTrigger(): FlinkTrigger {
  return new FlinkTrigger({
    name: 'EventTimeTrigger',
    onElement: (_e, _ts, w, ctx) => {
      if (maxTimestamp(w) <= ctx.currentWatermark) return 'FIRE';
      ctx.registerEventTimeTimer(maxTimestamp(w));
      return 'CONTINUE';
    },
    onEventTime: (t, w) => (t === maxTimestamp(w) ? 'FIRE' : 'CONTINUE'),
    onProcessingTime: () => 'CONTINUE',
    onMerge: (w, ctx) => {
      if (maxTimestamp(w) > ctx.currentWatermark) ctx.registerEventTimeTimer(maxTimestamp(w));
    },
  }, true);
}

/**
 * Flink's ProcessingTimeTrigger: fires when the processing clock reaches the window's end (its
 * timer is for the max timestamp, `end - 1`, and fires 1 ms later, as every processing-time timer).
 */
export function processingTimeTrigger(): FlinkTrigger {
  return new FlinkTrigger({
    name: 'ProcessingTimeTrigger',
    onElement: (_e, _ts, w, ctx) => {
      ctx.registerProcessingTimeTimer(maxTimestamp(w));
      return 'CONTINUE';
    },
    onEventTime: () => 'CONTINUE',
    onProcessingTime: () => 'FIRE',
    onMerge: (w, ctx) => ctx.registerProcessingTimeTimer(maxTimestamp(w)),
  });
}

/** Flink's CountTrigger: fires every `count` elements (the count restarts after each firing; merged windows add their counts). */
export function countTrigger(count: number): FlinkTrigger {
  return new FlinkTrigger({
    name: `CountTrigger(${count})`,
    onElement: (_e, _ts, _w, ctx) => {
      const n = (ctx.getState<number>('count') ?? 0) + 1;
      if (n >= count) {
        ctx.clearState('count');
        return 'FIRE';
      }
      ctx.setState('count', n);
      return 'CONTINUE';
    },
    onEventTime: () => 'CONTINUE',
    onProcessingTime: () => 'CONTINUE',
    onMerge: (_w, ctx) => ctx.mergePartitionedState<number>('count', (a, b) => a + b),
  });
}

/** Flink's PurgingTrigger: turns every FIRE of the wrapped trigger into FIRE_AND_PURGE. */
export function purgingTrigger(inner: FlinkTrigger): FlinkTrigger {
  const purge = (r: TriggerResult): TriggerResult => (r === 'FIRE' ? 'FIRE_AND_PURGE' : r);
  const f = inner.fns;
  return new FlinkTrigger({
    name: `PurgingTrigger(${f.name ?? 'FlinkTrigger'})`,
    onElement: (e, ts, w, ctx) => purge(f.onElement(e, ts, w, ctx)),
    onEventTime: (t, w, ctx) => purge(f.onEventTime(t, w, ctx)),
    onProcessingTime: (t, w, ctx) => purge(f.onProcessingTime(t, w, ctx)),
    ...(f.onMerge ? { onMerge: f.onMerge } : {}),
    ...(f.clear ? { clear: f.clear } : {}),
  }, false, inner.stateOwner);
}

/** Wraps Flink-style trigger callbacks as a trigger. */
export function flinkTrigger<T>(fns: FlinkTriggerFunctions<T>): FlinkTrigger<T> {
  return new FlinkTrigger(fns);
}
