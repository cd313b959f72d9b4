// Window join (Flink's DataStream.join): records of two streams with equal keys that fall in
// the same window are paired when the window fires. Built as Flink builds it: both sides are
// tagged, unioned, keyed and windowed, and the window function emits the cross product. As in
// Flink, the window keeps all its elements (accumulating), so a late firing within the allowed
// lateness pairs the late element with everything already in the window, and repeats old pairs.

import type { Key } from '../runtime/record-batch.ts';
import type { Trigger } from '../windows/triggers/trigger.ts';
import type { WindowAssigner } from '../windows/window-assigner.ts';
import type { DataStream } from './data-stream.ts';

type Tagged<A, B> = { readonly side: 0; readonly value: A } | { readonly side: 1; readonly value: B };

/** Starts a window join: `a.join(b).where(ka).equalTo(kb).window(w).apply(f)`. */
export class JoinBuilder<A, B> {
  /** @internal */
  constructor(
    private readonly left: DataStream<A>,
    private readonly right: DataStream<B>,
  ) {}

  /** The key of the left stream. */
  where<K extends Key>(keyOfLeft: (a: A) => K): { equalTo: (keyOfRight: (b: B) => K) => JoinWhere<A, B, K> } {
    return { equalTo: (keyOfRight) => new JoinWhere(this.left, this.right, keyOfLeft, keyOfRight) };
  }
}

/** A window join with both keys chosen. */
export class JoinWhere<A, B, K extends Key> {
  /** @internal */
  constructor(
    private readonly left: DataStream<A>,
    private readonly right: DataStream<B>,
    private readonly keyOfLeft: (a: A) => K,
    private readonly keyOfRight: (b: B) => K,
  ) {}

  /** The windows pairs must share. */
  window(assigner: WindowAssigner): JoinWindowed<A, B, K> {
    return new JoinWindowed(this.left, this.right, this.keyOfLeft, this.keyOfRight, assigner);
  }
}

/** A windowed join, waiting for its join function. */
export class JoinWindowed<A, B, K extends Key> {
  private triggerSpec: Trigger | undefined;
  private lateness = 0;

  /** @internal */
  constructor(
    private readonly left: DataStream<A>,
    private readonly right: DataStream<B>,
    private readonly keyOfLeft: (a: A) => K,
    private readonly keyOfRight: (b: B) => K,
    private readonly assigner: WindowAssigner,
  ) {}

  trigger(t: Trigger): this {
    this.triggerSpec = t;
    return this;
  }

  allowedLateness(ms: number): this {
    this.lateness = ms;
    return this;
  }

  /**
   * Emits `fn(left, right)` for every pair with equal keys in the same window, when the window fires.
   * @example
   * rides.join(prices).where((r) => r.geohash).equalTo((p) => p.geohash)
   *   .window(tumblingWindows(minutes(1)))
   *   .apply((ride, price) => ({ ride: ride.id, fare: ride.km * price.perKm }))
   */
  apply<R>(fn: (left: A, right: B) => R): DataStream<R> {
    const l = this.left.map((value): Tagged<A, B> => ({ side: 0, value }), 'join-left');
    const r = this.right.map((value): Tagged<A, B> => ({ side: 1, value }), 'join-right');
    const kl = this.keyOfLeft;
    const kr = this.keyOfRight;
    let windowed = l
      .union(r)
      .keyBy((t) => (t.side === 0 ? kl(t.value) : kr(t.value)))
      .window(this.assigner, { name: 'windowJoin' })
      .allowedLateness(this.lateness)
      .accumulatingFiredPanes();
    if (this.triggerSpec) windowed = windowed.trigger(this.triggerSpec);
    return windowed.process<R>((_key, elements, ctx) => {
      for (const a of elements) {
        if (a.side !== 0) continue;
        for (const b of elements) if (b.side === 1) ctx.output(fn(a.value, b.value));
      }
    });
  }
}
