// The entry point of the pipeline API: a Pipeline creates sources, and every stream built
// from them adds operators to its logical plan. A pipeline file's default export receives
// one and wires the job; the engine then runs it.

import { fromArray, fromArrayRecords, type ArrayRecord } from '../connectors/array-source.ts';
import { CollectingSink, type SinkRecord } from '../connectors/collecting-sink.ts';
import { DeliverySink, type DeliveryGuarantee, type SinkRecordInfo } from '../connectors/delivery-sink.ts';
import { generatorPartitions } from '../connectors/generator-source.ts';
import type { GeneratorSpec } from '../connectors/generator/spec.ts';
import type { PartitionReader } from '../connectors/partition-reader.ts';
import type { TestStreamSpec } from '../connectors/test-stream.ts';
import type { Random } from '../random/random.ts';
import { LogicalPlan, type SourceDefinition, type TopicLookup } from '../plan/logical-plan.ts';
import type { Key } from '../runtime/record-batch.ts';
import { TopicPartitionReader } from '../connectors/topic-source.ts';
import { monotonousTimestamps, type WatermarkStrategy } from '../time/watermark-strategy.ts';
import { PipelineDefinitionError } from '../errors.ts';
import { DataStream } from './data-stream.ts';
import { checkParallelism, type OperatorOptions } from './operator-options.ts';

/** Options of a source that reads partitions. */
export interface SourceOptions extends OperatorOptions {
  /** How watermarks are derived from timestamps; default: bounded out-of-orderness of 0 (monotonous). */
  readonly watermarks?: WatermarkStrategy;
  /** Ingestion time: stamp each record with the processing time it arrives at, instead of its event time. */
  readonly ingestionTime?: boolean;
}

/** Options of `Pipeline.fromArray`. */
export interface ArraySourceOptions<T> extends SourceOptions {
  /** The event time of a value, in ms. */
  readonly timestampOf: (value: T, index: number) => number;
  /** When a value arrives (processing time); default: the largest event time seen so far. */
  readonly arrivalOf?: (value: T, index: number) => number | undefined;
  /** Spread the values over this many partitions (round-robin unless `partitionOf` says otherwise). */
  readonly partitions?: number;
  /** Which partition a value goes to (0 to partitions − 1); default `index % partitions`. */
  readonly partitionOf?: (value: T, index: number) => number;
}

/** Options of `Pipeline.fromRecords`. */
export interface RecordsSourceOptions<T> extends SourceOptions {
  /** Spread the records over this many partitions (round-robin unless `partitionOf` says otherwise). */
  readonly partitions?: number;
  /** Which partition a record's value goes to (0 to partitions − 1); default `index % partitions`. */
  readonly partitionOf?: (value: T, index: number) => number;
}

/** Options of `Pipeline.input`. */
export interface InputOptions<T> {
  readonly name?: string;
  /** The script used when no input is given (`brook run` without `--input`, or the editor). */
  readonly default?: TestStreamSpec<T>;
}

/** Options of a Pipeline (given by whoever runs it: `runPipeline`, the command line). */
export interface PipelineOptions {
  /**
   * The delivery guarantee of every `sink(name)`, which then writes to the external store as a
   * `sinkTo(name, { guarantee })` would (`brook run --guarantee`). Sinks made with `sinkTo`
   * keep their own. An `upsert` sink made this way writes each record under `defaultPrimaryKey`.
   * Unset (the default): `sink(name)` only collects its records.
   */
  readonly defaultGuarantee?: DeliveryGuarantee;
}

/**
 * The primary key a `sink(name)` upserts under when the default guarantee is `upsert`: the
 * record's key, with the window's start and end for window results (`"fox@[0,10000)"`); a
 * record without a key (and window) is keyed by its value's JSON, so equal values share a row.
 */
export function defaultPrimaryKey(value: unknown, record: SinkRecordInfo): Key {
  const base = record.key !== undefined ? record.key : JSON.stringify(value) ?? 'undefined';
  const w = record.window;
  if (w === undefined || w === 'global') return base;
  return `${typeof base === 'string' ? base : String(base)}@[${w.start},${w.end})`;
}

/**
 * A pipeline under construction. Create sources on it, transform them, and end in sinks.
 * @example
 * export default (p: Pipeline) => {
 *   p.input<{ user: string; score: number }>()
 *     .keyBy((e) => e.user)
 *     .window(tumblingWindows(minutes(1)))
 *     .sum((e) => e.score)
 *     .sink('scores');
 * };
 */
export class Pipeline {
  /** @internal The logical plan being built. */
  readonly plan = new LogicalPlan();
  /** @internal Records collected by the sinks when the job runs. */
  readonly records: SinkRecord[] = [];
  private hasInput = false;
  private readonly sinkNames = new Set<string>();

  /** @internal See PipelineOptions. */
  readonly defaultGuarantee: DeliveryGuarantee | undefined;

  /** @internal */
  constructor(
    private readonly inputOverride?: TestStreamSpec<unknown>,
    options: PipelineOptions = {},
  ) {
    this.defaultGuarantee = options.defaultGuarantee;
  }

  /** Sets the default parallelism of operators created from now on. */
  setParallelism(n: number): this {
    checkParallelism(n);
    this.plan.defaultParallelism = n;
    return this;
  }

  /**
   * The pipeline's input: a TestStream script, fed by `brook run --input FILE.json`, or by the
   * lesson or editor. Records carry the elements' `key`, which `keyBy()` without arguments uses.
   */
  input<T>(options: InputOptions<T> = {}): DataStream<T> {
    if (this.hasInput) throw new PipelineDefinitionError('a pipeline can declare only one input(); use testStream() for more scripted sources');
    this.hasInput = true;
    const spec = (this.inputOverride ?? options.default) as TestStreamSpec<unknown> | undefined;
    return this.source<T>(options.name ?? 'input', { kind: 'testStream', spec, isInput: true }, {});
  }

  /** A scripted source, as Beam's TestStream. */
  testStream<T>(spec: TestStreamSpec<T>, options: OperatorOptions = {}): DataStream<T> {
    return this.source<T>(options.name ?? 'testStream', { kind: 'testStream', spec: spec as TestStreamSpec<unknown>, isInput: false }, options);
  }

  /**
   * A source over values in memory, with event times from `timestampOf`.
   * @example
   * p.fromArray(readings, { timestampOf: (r) => r.at, watermarks: boundedOutOfOrderness(seconds(30)) })
   */
  fromArray<T>(values: readonly T[], options: ArraySourceOptions<T>): DataStream<T> {
    const readers = (): PartitionReader<unknown>[] => fromArray(values, options) as PartitionReader<unknown>[];
    return this.partitioned<T>(options.name ?? 'array', readers, options);
  }

  /** A source over records that carry their own timestamp (and, optionally, arrival time). */
  fromRecords<T>(records: readonly ArrayRecord<T>[], options: RecordsSourceOptions<T> = {}): DataStream<T> {
    const layout = {
      ...(options.partitions !== undefined ? { partitions: options.partitions } : {}),
      ...(options.partitionOf !== undefined ? { partitionOf: options.partitionOf } : {}),
    };
    const readers = (): PartitionReader<unknown>[] => fromArrayRecords(records, layout) as PartitionReader<unknown>[];
    return this.partitioned<T>(options.name ?? 'records', readers, options);
  }

  /**
   * A source reading a log topic's partitions from their start (or from `startOffsets`), as a
   * Kafka consumer does. Runs where a durable store is available (the sandbox, or `brook run`
   * with checkpointing), which loads the topic before the job starts.
   * @example
   * p.fromTopic<Reading>('meter-readings', { watermarks: boundedOutOfOrderness(minutes(1)) })
   */
  fromTopic<T>(topic: string, options: SourceOptions & { readonly startOffsets?: readonly number[] } = {}): DataStream<T> {
    const create = (_random: Random, topics: TopicLookup): PartitionReader<unknown>[] => {
      const contents = topics(topic);
      if (contents === undefined) {
        throw new PipelineDefinitionError(`fromTopic("${topic}") needs a durable store that holds the topic: run it with checkpointing (brook run --checkpoint-interval) or in the sandbox, after producing to the topic`);
      }
      return contents.map((records, partition) => {
        const reader = new TopicPartitionReader(partition, records);
        const start = options.startOffsets?.[partition];
        if (start !== undefined) reader.seek(start);
        return reader;
      });
    };
    const def: SourceDefinition = {
      kind: 'partitions',
      create,
      topic,
      watermarks: options.watermarks ?? monotonousTimestamps(),
      ...(options.ingestionTime ? { ingestionTime: true } : {}),
    };
    return this.source<T>(options.name ?? topic, def, options);
  }

  /**
   * A seeded generator of realistic data: rates over time, key skew, out-of-order and late
   * events, several partitions that can lag or go idle.
   */
  generator<T>(spec: GeneratorSpec<T>, options: SourceOptions = {}): DataStream<T> {
    return this.partitioned<T>(options.name ?? 'generator', (random) => generatorPartitions(spec, random) as PartitionReader<unknown>[], options);
  }

  private partitioned<T>(name: string, create: (random: Random) => PartitionReader<unknown>[], options: SourceOptions): DataStream<T> {
    const def: SourceDefinition = {
      kind: 'partitions',
      create,
      watermarks: options.watermarks ?? monotonousTimestamps(),
      ...(options.ingestionTime ? { ingestionTime: true } : {}),
    };
    return this.source<T>(name, def, options);
  }

  private source<T>(name: string, source: SourceDefinition, options: OperatorOptions): DataStream<T> {
    checkParallelism(options.parallelism);
    const node = this.plan.add({
      name,
      kind: 'source',
      inputs: [],
      source,
      ...(options.uid !== undefined ? { uid: options.uid } : {}),
      ...(options.parallelism !== undefined ? { parallelism: options.parallelism } : {}),
    });
    return new DataStream<T>(this, node);
  }

  /** @internal Registers a sink name; names are unique. */
  claimSinkName(name: string): void {
    if (this.sinkNames.has(name)) throw new PipelineDefinitionError(`two sinks are called "${name}"; give each sink its own name`);
    this.sinkNames.add(name);
  }

  /**
   * @internal Once the pipeline is built: every plain `sink(name)` becomes a delivery sink with
   * `guarantee` (default: the pipeline's `defaultGuarantee`; nothing changes without one). Sinks
   * made with `sinkTo` keep their own guarantee. Calling it again changes nothing more.
   */
  applyDefaultGuarantee(guarantee: DeliveryGuarantee | undefined = this.defaultGuarantee): void {
    if (guarantee === undefined) return;
    const nodes = this.plan.nodes;
    nodes.forEach((node, i) => {
      const create = node.createOperator;
      if (node.kind !== 'sink' || create === undefined) return;
      const name = node.name;
      const into = this.records;
      const options =
        guarantee === 'upsert' ? { guarantee, primaryKey: defaultPrimaryKey } : { guarantee };
      // No edge leads out of a sink, so the node can be replaced in place.
      nodes[i] = {
        ...node,
        createOperator: () => {
          const operator = create();
          return operator instanceof CollectingSink ? new DeliverySink(name, options, into) : operator;
        },
      };
    });
  }

  /** @internal */
  get declaresInput(): boolean {
    return this.hasInput;
  }
}
