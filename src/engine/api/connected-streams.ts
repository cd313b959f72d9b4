// Two streams connected for one co-process function (Flink's ConnectedStreams): the function
// sees the elements of both, and when both sides are keyed the same way it shares keyed state
// and timers between them, as for enrichment or a custom join.

import { ProcessOperator } from '../runtime/process-operator.ts';
import type { Key } from '../runtime/record-batch.ts';
import { addOperator, DataStream } from './data-stream.ts';
import type { OperatorOptions } from './operator-options.ts';
import type { CoProcessFunction, KeyedCoProcessFunction, OnTimerContext } from './process-function.ts';

/** Two connected streams. */
export class ConnectedStreams<A, B> {
  /** @internal */
  constructor(
    readonly first: DataStream<A>,
    readonly second: DataStream<B>,
  ) {}

  /** Keys both streams, so the co-process function gets keyed state and timers. */
  keyBy<K extends Key>(keyOfFirst: (a: A) => K, keyOfSecond: (b: B) => K): ConnectedKeyedStreams<A, B, K> {
    return new ConnectedKeyedStreams(this, keyOfFirst, keyOfSecond);
  }

  /** Processes both streams without keyed state. */
  process<R>(fn: CoProcessFunction<A, B, R>, options: OperatorOptions = {}): DataStream<R> {
    const node = addOperator(
      this.first.pipeline,
      'coProcess',
      [this.first.edge({ kind: 'rebalance' }, 0), this.second.edge({ kind: 'rebalance' }, 1)],
      () =>
        new ProcessOperator({
          element: [(v, ctx) => fn.processElement1(v as A, ctx as never), (v, ctx) => fn.processElement2(v as B, ctx as never)],
          keyed: false,
        }),
      options,
    );
    return new DataStream<R>(this.first.pipeline, node);
  }
}

/** Two connected streams keyed the same way. */
export class ConnectedKeyedStreams<A, B, K extends Key> {
  /** @internal */
  constructor(
    private readonly streams: ConnectedStreams<A, B>,
    private readonly keyOfFirst: (a: A) => K,
    private readonly keyOfSecond: (b: B) => K,
  ) {}

  /** Processes both streams with shared keyed state and timers. */
  process<R>(fn: KeyedCoProcessFunction<K, A, B, R>, options: OperatorOptions = {}): DataStream<R> {
    const { first, second } = this.streams;
    const onTimer = fn.onTimer;
    const node = addOperator(
      first.pipeline,
      'coProcess',
      [
        first.edge({ kind: 'hash', keyOf: this.keyOfFirst as (v: never) => Key }, 0),
        second.edge({ kind: 'hash', keyOf: this.keyOfSecond as (v: never) => Key }, 1),
      ],
      () =>
        new ProcessOperator({
          element: [(v, ctx) => fn.processElement1(v as A, ctx as never), (v, ctx) => fn.processElement2(v as B, ctx as never)],
          keyed: true,
          ...(onTimer ? { onTimer: (t: number, ctx: OnTimerContext<Key, unknown>) => onTimer.call(fn, t, ctx as never) } : {}),
        }),
      options,
    );
    return new DataStream<R>(first.pipeline, node);
  }
}
