// Streams: a DataStream is one output of one operator of the plan; each transformation adds an
// operator and returns the stream it produces. keyBy returns a KeyedStream, whose operators
// receive hash-partitioned input and may use keyed state, timers and windows.

import { CollectingSink } from '../connectors/collecting-sink.ts';
import { TopicSink, type TopicSinkOptions } from '../connectors/topic-sink.ts';
import { checkDeliveryOptions, DeliverySink, type DeliverySinkOptions } from '../connectors/delivery-sink.ts';
import type { LogicalEdge, LogicalNode } from '../plan/logical-plan.ts';
import type { Operator } from '../runtime/operator.ts';
import type { Partitioning } from '../runtime/partitioner.ts';
import { ProcessOperator } from '../runtime/process-operator.ts';
import type { Key } from '../runtime/record-batch.ts';
import { FilterOperator, FlatMapOperator, IdentityOperator, MapOperator } from '../runtime/stateless-operators.ts';
import type { WindowAssigner } from '../windows/window-assigner.ts';
import { PipelineDefinitionError } from '../errors.ts';
import { checkParallelism, type OperatorOptions } from './operator-options.ts';
import type { Pipeline } from './pipeline.ts';
import type { KeyedProcessContext, KeyedProcessFunction, OnTimerContext, ProcessFunction } from './process-function.ts';
import { ConnectedStreams } from './connected-streams.ts';
import { IntervalJoinBuilder } from './interval-join.ts';
import { JoinBuilder } from './window-join.ts';
import { WindowedStream } from './windowed-stream.ts';

type Options = OperatorOptions | string;

/**
 * Options of `DataStream.sinkTo`: the delivery guarantee (with its primary key for upserts),
 * plus the operator's uid and parallelism.
 */
export type SinkToOptions<T> = DeliverySinkOptions<T> & Omit<OperatorOptions, 'name'>;

function opts(o: Options | undefined): OperatorOptions {
  return typeof o === 'string' ? { name: o } : (o ?? {});
}

/** @internal Adds an operator node reading from `inputs`. */
export function addOperator(
  pipeline: Pipeline,
  defaultName: string,
  inputs: LogicalEdge[],
  create: () => Operator,
  o: OperatorOptions,
  kind: 'operator' | 'sink' = 'operator',
): LogicalNode {
  checkParallelism(o.parallelism);
  return pipeline.plan.add({
    name: o.name ?? defaultName,
    kind,
    inputs,
    createOperator: create,
    ...(o.uid !== undefined ? { uid: o.uid } : {}),
    ...(o.parallelism !== undefined ? { parallelism: o.parallelism } : {}),
  });
}

/** A stream of records of type T. */
export class DataStream<T> {
  /** @internal */
  constructor(
    readonly pipeline: Pipeline,
    readonly node: LogicalNode,
    readonly sideOutputTag?: string,
  ) {}

  /** @internal An edge from this stream into a new operator. */
  edge(partitioning: Partitioning = { kind: 'forward' }, inputIndex: 0 | 1 = 0): LogicalEdge {
    return {
      from: this.node,
      partitioning,
      inputIndex,
      ...(this.sideOutputTag !== undefined ? { sideOutput: this.sideOutputTag } : {}),
    };
  }

  private next<R>(name: string, create: () => Operator, o?: Options): DataStream<R> {
    return new DataStream<R>(this.pipeline, addOperator(this.pipeline, name, [this.edge()], create, opts(o)));
  }

  /** Transforms every record. @example stream.map((r) => ({ ...r, kwh: r.wh / 1000 })) */
  map<R>(fn: (value: T) => R, options?: Options): DataStream<R> {
    return this.next<R>('map', () => new MapOperator(fn as (v: unknown) => unknown), options);
  }

  /** Keeps the records for which `fn` is true. */
  filter(fn: (value: T) => boolean, options?: Options): DataStream<T> {
    return this.next<T>('filter', () => new FilterOperator(fn as (v: unknown) => boolean), options);
  }

  /** Turns each record into zero or more records. @example lines.flatMap((l) => l.split(' ')) */
  flatMap<R>(fn: (value: T) => Iterable<R>, options?: Options): DataStream<R> {
    return this.next<R>('flatMap', () => new FlatMapOperator(fn as (v: unknown) => Iterable<unknown>), options);
  }

  /**
   * Partitions the stream by key: records with the same key go to the same subtask, and keyed
   * state, timers and windows are per key. Without a selector, the keys the records already
   * carry are used (a TestStream element's `key`).
   * @example orders.keyBy((o) => o.customer)
   */
  keyBy<K extends Key>(keyOf?: (value: T) => K): KeyedStream<T, K> {
    return new KeyedStream<T, K>(this, keyOf ?? null);
  }

  /** Merges streams of the same type into one. */
  union(...others: DataStream<T>[]): DataStream<T> {
    const inputs = [this, ...others].map((s) => s.edge({ kind: 'rebalance' }));
    return new DataStream<T>(this.pipeline, addOperator(this.pipeline, 'union', inputs, () => new IdentityOperator(), {}));
  }

  /** Connects two streams (of possibly different types) for a co-process function that sees both. */
  connect<U>(other: DataStream<U>): ConnectedStreams<T, U> {
    return new ConnectedStreams<T, U>(this, other);
  }

  /** Processes each record with a function that may emit any number of results and side outputs. */
  process<R>(fn: ProcessFunction<T, R>, options?: Options): DataStream<R> {
    const element = (v: unknown, ctx: Parameters<ProcessFunction<T, R>['processElement']>[1]) =>
      fn.processElement(v as T, ctx as never);
    return this.next<R>('process', () => new ProcessOperator({ element: [element as never], keyed: false }), options);
  }

  /**
   * All records as one window stream (parallelism 1): Flink's windowAll. Its results carry no
   * key, as in Flink (records are grouped under one internal key that never leaves the window).
   */
  windowAll(assigner: WindowAssigner): WindowedStream<T, string> {
    return new WindowedStream<T, string>(new KeyedStream<T, string>(this, () => 'all'), assigner, { parallelism: 1 }, true);
  }

  /** A window join with another stream: pairs of records with equal keys in the same window. */
  join<U>(other: DataStream<U>): JoinBuilder<T, U> {
    return new JoinBuilder<T, U>(this, other);
  }

  /** The side output `tag` of the operator that produced this stream. */
  getSideOutput<S>(tag: string): DataStream<S> {
    return new DataStream<S>(this.pipeline, this.node, tag);
  }

  /** Sets the parallelism of the operator that produced this stream. */
  setParallelism(n: number): this {
    checkParallelism(n);
    if (this.node.source?.kind === 'testStream' && n !== 1) throw new PipelineDefinitionError('a TestStream source has parallelism 1');
    this.node.parallelism = n;
    return this;
  }

  /** Sets the stable id of the operator that produced this stream (matched by savepoints). */
  uid(id: string): this {
    if (this.pipeline.plan.nodes.some((n) => n !== this.node && n.uid === id)) throw new PipelineDefinitionError(`two operators have the uid "${id}"`);
    this.node.uid = id;
    return this;
  }

  /** Renames the operator that produced this stream. */
  name(name: string): this {
    this.node.name = name;
    return this;
  }

  /**
   * Appends the stream to a log topic (created with `partitions` if missing), keyed by the
   * stream's key or `keyOf`: a later job can replay it with `fromTopic`. At-least-once.
   * @example
   * cleaned.sinkToTopic('clean-readings', { partitions: 4, keyOf: (r) => r.meter })
   */
  sinkToTopic(topic: string, options: TopicSinkOptions<T> & OperatorOptions = {}): void {
    this.pipeline.claimSinkName(`topic:${topic}`);
    addOperator(this.pipeline, `topic ${topic}`, [this.edge()], () => new TopicSink(topic, options as TopicSinkOptions<unknown>), { uid: `topic-${topic}`, ...options, name: `topic ${topic}` }, 'sink');
  }

  /** Sends the stream to a named collecting sink; its records are the job's output. */
  sink(name: string, options: OperatorOptions = {}): void {
    this.pipeline.claimSinkName(name);
    const into = this.pipeline.records;
    // Sink names are unique, so they make a stable default uid (savepoints match operators by uid).
    addOperator(this.pipeline, name, [this.edge()], () => new CollectingSink(name, into), { uid: `sink-${name}`, ...options, name }, 'sink');
  }

  /**
   * Sends the stream to a named sink that also writes to an external store with a delivery
   * guarantee (docs/durability.md): what survives a crash depends on it. Its records are the
   * job's output, as with `sink()`; a job run by a durable driver also writes them to the store.
   * @example
   * // Written at once; after a crash the sources resume where they were: output may be lost.
   * alerts.sinkTo('alerts', { guarantee: 'atMostOnce' });
   * @example
   * // Written at once; after a crash the replay from the checkpoint repeats output.
   * totals.sinkTo('totals', { guarantee: 'atLeastOnce' });
   * @example
   * // Written in a transaction per checkpoint, visible once the checkpoint completed (two-phase commit).
   * payments.sinkTo('ledger', { guarantee: 'exactlyOnce' });
   * @example
   * // Written by primary key: a replay overwrites the same rows, so the final table is exact.
   * perWindow.sinkTo('latest', {
   *   guarantee: 'upsert',
   *   primaryKey: (v, r) => `${r.key}@${r.window === 'global' ? 'global' : r.window?.start}`,
   * });
   */
  sinkTo(name: string, options: SinkToOptions<T>): void {
    checkDeliveryOptions(name, options);
    this.pipeline.claimSinkName(name);
    const into = this.pipeline.records;
    const delivery = options as DeliverySinkOptions;
    const operator: OperatorOptions = {
      name,
      ...(options.uid !== undefined ? { uid: options.uid } : {}),
      ...(options.parallelism !== undefined ? { parallelism: options.parallelism } : {}),
    };
    addOperator(this.pipeline, name, [this.edge()], () => new DeliverySink(name, delivery, into), operator, 'sink');
  }
}

/** A stream partitioned by key. */
export class KeyedStream<T, K extends Key> {
  /** @internal */
  constructor(
    readonly stream: DataStream<T>,
    readonly keyOf: ((value: T) => K) | null,
  ) {}

  /** @internal */
  edge(inputIndex: 0 | 1 = 0): LogicalEdge {
    return this.stream.edge({ kind: 'hash', keyOf: this.keyOf as ((v: never) => Key) | null }, inputIndex);
  }

  /** @internal */
  get pipeline(): Pipeline {
    return this.stream.pipeline;
  }

  /**
   * Groups each key's records into windows.
   * @example readings.keyBy((r) => r.meter).window(tumblingWindows(minutes(15))).sum((r) => r.kwh)
   */
  window(assigner: WindowAssigner, options: OperatorOptions = {}): WindowedStream<T, K> {
    return new WindowedStream<T, K>(this, assigner, options);
  }

  /** Processes each record with keyed state and timers. */
  process<R>(fn: KeyedProcessFunction<K, T, R>, options?: Options): DataStream<R> {
    const element = (v: unknown, ctx: KeyedProcessContext<Key, unknown>) => fn.processElement(v as T, ctx as never);
    const onTimer = fn.onTimer ? (t: number, ctx: OnTimerContext<Key, unknown>) => fn.onTimer!(t, ctx as never) : undefined;
    const node = addOperator(
      this.pipeline,
      'process',
      [this.edge()],
      () => new ProcessOperator({ element: [element], keyed: true, ...(onTimer ? { onTimer } : {}) }),
      opts(options),
    );
    return new DataStream<R>(this.pipeline, node);
  }

  /** A rolling reduce: emits the updated result for the key on every record (Flink's KeyedStream.reduce). */
  reduce(fn: (a: T, b: T) => T, options?: Options): DataStream<T> {
    return this.process<T>(
      {
        processElement(v, ctx) {
          const s = ctx.state.value<T>('reduce');
          const cur = s.value();
          const next = cur === undefined ? v : fn(cur, v);
          s.update(next);
          ctx.output(next);
        },
      },
      opts(options).name ? options : { ...opts(options), name: 'reduce' },
    );
  }

  /** A rolling sum of `of(record)` per key, emitted on every record. */
  sum(of: (value: T) => number, options?: Options): DataStream<{ key: K; sum: number }> {
    return this.process<{ key: K; sum: number }>(
      {
        processElement(v, ctx) {
          const s = ctx.state.value<number>('sum');
          const next = (s.value() ?? 0) + of(v);
          s.update(next);
          ctx.output({ key: ctx.key, sum: next });
        },
      },
      opts(options).name ? options : { ...opts(options), name: 'sum' },
    );
  }

  /** Joins with another keyed stream on records whose timestamps are within bounds of each other. */
  intervalJoin<U>(other: KeyedStream<U, K>): IntervalJoinBuilder<T, U, K> {
    return new IntervalJoinBuilder<T, U, K>(this, other);
  }
}
