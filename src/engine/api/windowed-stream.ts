// A keyed stream cut into windows, with the Dataflow model's knobs: which trigger decides when
// a pane fires, how late data may be, and how successive panes of a window relate. Ends in a
// window function (reduce, aggregate, sum, count, process) that produces the output stream.

import type { Key } from '../runtime/record-batch.ts';
import type { AggregateFunction } from '../state/keyed-state.ts';
import { FlinkTrigger } from '../windows/triggers/flink-triggers.ts';
import type { Trigger } from '../windows/triggers/trigger.ts';
import type { WindowAssigner } from '../windows/window-assigner.ts';
import {
  countAggregate,
  reduceAggregate,
  sumAggregate,
  type ProcessWindowFunction,
  type WindowClearContext,
  type WindowFunction,
} from '../windows/window-function.ts';
import { AllWindowOperator } from '../windows/all-window-operator.ts';
import { WindowOperator, type AccumulationMode } from '../windows/window-operator.ts';
import { addOperator, DataStream, type KeyedStream } from './data-stream.ts';
import { PipelineDefinitionError } from '../errors.ts';
import type { OperatorOptions } from './operator-options.ts';

/** A windowed keyed stream, waiting for its window function. */
export class WindowedStream<T, K extends Key> {
  private triggerSpec: Trigger | undefined;
  private lateness = 0;
  private mode: AccumulationMode | undefined;
  private lateTag: string | undefined;
  private fireEmptyOnTime = true;

  /** @internal `allWindows`: a windowAll, whose results carry no key. */
  constructor(
    private readonly keyed: KeyedStream<T, K>,
    private readonly assigner: WindowAssigner,
    private readonly options: OperatorOptions,
    private readonly allWindows = false,
  ) {}

  /**
   * When panes fire. Default: when the watermark passes the end of the window, and again for
   * each late element within the allowed lateness.
   * @example
   * .trigger(afterWatermark()
   *   .withEarlyFirings(afterProcessingTime().plusDelayOf(minutes(1)))
   *   .withLateFirings(afterCount(1)))
   */
  trigger(trigger: Trigger): this {
    // Flink's WindowedStream.trigger: a merging assigner needs a trigger that can merge.
    if (this.assigner.isMerging && trigger instanceof FlinkTrigger && trigger.fns.onMerge === undefined) {
      throw new PipelineDefinitionError(`${this.assigner.name} merges windows, so the trigger ${String(trigger)} must define onMerge`);
    }
    this.triggerSpec = trigger;
    return this;
  }

  /**
   * Keeps a window's state for `ms` after the watermark passes its end, so late elements still
   * update it (Flink's allowedLateness, Beam's withAllowedLateness, Kafka Streams' grace period).
   */
  allowedLateness(ms: number): this {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`allowed lateness must be a non-negative number of ms, got ${ms}`);
    this.lateness = ms;
    return this;
  }

  /** Each pane holds only the elements since the previous pane (Beam's default). */
  discardingFiredPanes(): this {
    this.mode = 'discarding';
    return this;
  }

  /** Each pane holds everything so far (Flink's behaviour without a purging trigger; Brook's default). */
  accumulatingFiredPanes(): this {
    this.mode = 'accumulating';
    return this;
  }

  /**
   * Each pane holds everything so far, preceded by a retraction of the previous pane's result
   * (the Dataflow model's third mode), so sums downstream stay correct.
   */
  accumulatingAndRetractingFiredPanes(): this {
    this.mode = 'accumulatingAndRetracting';
    return this;
  }

  /** Sends elements that arrive after their windows expired to side output `tag` instead of dropping them. */
  sideOutputLateData(tag: string): this {
    this.lateTag = tag;
    return this;
  }

  /** Beam's OnTimeBehavior: FIRE_ALWAYS (default) emits the ON_TIME pane even if it is empty. */
  withOnTimeBehavior(behavior: 'FIRE_ALWAYS' | 'FIRE_IF_NON_EMPTY'): this {
    this.fireEmptyOnTime = behavior === 'FIRE_ALWAYS';
    return this;
  }

  private build<R>(fn: WindowFunction, defaultName: string): DataStream<R> {
    const cfg = {
      assigner: this.assigner,
      allowedLateness: this.lateness,
      accumulation: this.mode,
      lateDataTag: this.lateTag,
      fn,
      fireEmptyOnTimePane: this.fireEmptyOnTime,
      functionName: defaultName,
    };
    const triggerSpec = this.triggerSpec;
    const assigner = this.assigner;
    const allWindows = this.allWindows;
    const node = addOperator(
      this.keyed.pipeline,
      `${defaultName} ${assigner.name}`,
      [this.keyed.edge()],
      // A fresh trigger tree per subtask: nodes are numbered in place.
      () => {
        const op = new WindowOperator({ ...cfg, trigger: triggerSpec ?? assigner.defaultTrigger() });
        return allWindows ? new AllWindowOperator(op) : op;
      },
      this.options,
    );
    return new DataStream<R>(this.keyed.pipeline, node);
  }

  /** Combines the elements of each pane with a reduce function. */
  reduce(fn: (a: T, b: T) => T): DataStream<T> {
    return this.build<T>({ kind: 'aggregate', fn: reduceAggregate(fn) as never, what: 'the reduce function', hasIdentity: false }, 'reduce');
  }

  /** Computes each pane with an incremental aggregate (createAccumulator, add, getResult, merge). */
  aggregate<ACC, R>(fn: AggregateFunction<T, ACC, R>): DataStream<R> {
    return this.build<R>({ kind: 'aggregate', fn: fn as never, what: 'the aggregate function', hasIdentity: true }, 'aggregate');
  }

  /** The sum of `of(element)` over each pane. */
  sum(of: (value: T) => number): DataStream<number> {
    return this.build<number>({ kind: 'aggregate', fn: sumAggregate(of) as never, what: 'the sum function', hasIdentity: true }, 'sum');
  }

  /** The number of elements in each pane. */
  count(): DataStream<number> {
    return this.build<number>({ kind: 'aggregate', fn: countAggregate() as never, what: 'count', hasIdentity: true }, 'count');
  }

  /**
   * Calls `fn` with all elements of a pane when it fires (Flink's ProcessWindowFunction). The
   * context has `windowState` (per key and window) and `globalState` (per key); window state is
   * cleared only by `options.clear`, called as the window expires, exactly as Flink's
   * ProcessWindowFunction.clear: forget it and that state stays forever.
   * @example
   * .process((key, elements, ctx) => {
   *   const firings = ctx.windowState.value<number>('firings');
   *   firings.update((firings.value() ?? 0) + 1);
   *   ctx.output({ key, n: elements.length, firing: firings.value() });
   * }, { clear: (_key, ctx) => ctx.windowState.value('firings').clear() })
   */
  process<R>(fn: ProcessWindowFunction<T, R, K>, options: { readonly clear?: (key: K, ctx: WindowClearContext) => void } = {}): DataStream<R> {
    return this.build<R>(
      { kind: 'process', fn: fn as never, what: 'the process window function', ...(options.clear ? { clear: options.clear as (key: Key, ctx: WindowClearContext) => void } : {}) },
      'process',
    );
  }
}
