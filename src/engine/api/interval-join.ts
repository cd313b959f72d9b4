// Builder for the interval join: `a.keyBy(k).intervalJoin(b.keyBy(k)).between(lo, hi).process(f)`.

import { IntervalJoinOperator, type IntervalJoinFunction } from '../joins/interval-join-operator.ts';
import type { Key } from '../runtime/record-batch.ts';
import { addOperator, DataStream, type KeyedStream } from './data-stream.ts';
import type { OperatorOptions } from './operator-options.ts';

export type { IntervalJoinContext, IntervalJoinFunction } from '../joins/interval-join-operator.ts';

/** An interval join waiting for its bounds. */
export class IntervalJoinBuilder<A, B, K extends Key> {
  /** @internal */
  constructor(
    private readonly left: KeyedStream<A, K>,
    private readonly right: KeyedStream<B, K>,
  ) {}

  /**
   * Joins a left record at time t with right records of the same key whose time lies in
   * [t + lower, t + upper] (both inclusive, as Flink's between()).
   * @example
   * orders.keyBy((o) => o.id).intervalJoin(payments.keyBy((p) => p.order))
   *   .between(0, minutes(30))
   *   .process((order, payment, ctx) => ctx.output({ order: order.id, paidAfter: ctx.rightTimestamp - ctx.leftTimestamp }))
   */
  between(lower: number, upper: number): { process: <R>(fn: IntervalJoinFunction<A, B, R>, options?: OperatorOptions) => DataStream<R> } {
    if (!(lower <= upper)) throw new RangeError(`interval join bounds must satisfy lower <= upper, got ${lower} > ${upper}`);
    return {
      process: <R>(fn: IntervalJoinFunction<A, B, R>, options: OperatorOptions = {}) => {
        const node = addOperator(
          this.left.pipeline,
          'intervalJoin',
          [this.left.edge(0), this.right.edge(1)],
          () => new IntervalJoinOperator(lower, upper, fn as IntervalJoinFunction<unknown, unknown, unknown>),
          options,
        );
        return new DataStream<R>(this.left.pipeline, node);
      },
    };
  }
}
