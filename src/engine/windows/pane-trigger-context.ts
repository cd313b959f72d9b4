// The one TriggerContext a window operator reuses for every pane: it points at the current
// key, pane and element, and turns setTimer into a timer-service registration made at most
// once per pane and time. Flink-style triggers' named values are registered with the
// operator's WindowStateKinds, which checks them after a savepoint restore.

import type { OperatorContext } from '../runtime/operator.ts';
import type { Key } from '../runtime/record-batch.ts';
import { appended, type Pane } from './pane.ts';
import type { WindowStateKinds } from './window-state-kinds.ts';
import type { MergeContext, TimeDomain, TriggerState } from './triggers/trigger.ts';
import type { Window } from './window.ts';

export class PaneTriggerContext implements MergeContext {
  private ctx!: OperatorContext;
  private key: Key = 0;
  private pane!: Pane;
  window!: Window;
  state!: TriggerState;
  element: unknown = undefined;
  elementTimestamp: number | undefined = undefined;
  merging: readonly TriggerState[] = [];

  constructor(
    readonly isMerging: boolean,
    private readonly kinds: WindowStateKinds,
  ) {}

  declareState(node: number, name: string, kind: string): void {
    this.kinds.declare(node, name, kind);
  }

  bind(ctx: OperatorContext): void {
    this.ctx = ctx;
  }

  at(key: Key, pane: Pane, element: unknown, timestamp: number | undefined): this {
    this.key = key;
    this.pane = pane;
    this.window = pane.window;
    this.state = pane.trigger;
    this.element = element;
    this.elementTimestamp = timestamp;
    return this;
  }

  get watermark(): number {
    return this.ctx.watermark();
  }

  get processingTime(): number {
    return this.ctx.processingTime();
  }

  setTimer(time: number, domain: TimeDomain): void {
    const pane = this.pane;
    const list = domain === 'eventTime' ? pane.eventTimers : pane.processingTimers;
    if (list.includes(time)) return;
    if (domain === 'eventTime') pane.eventTimers = appended(list, time);
    else pane.processingTimers = appended(list, time);
    this.ctx.timers.registerOwned(domain, time, this.key, this.window);
    const ctx = this.ctx;
    if (ctx.tracing) {
      ctx.trace({ type: 'timerSet', pt: ctx.processingTime(), operator: ctx.operatorName, subtask: ctx.subtask, key: this.key, domain, time, window: this.window });
    }
  }
}
