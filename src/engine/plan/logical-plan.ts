// The logical plan: the graph of operators the pipeline API builds, before parallelism is
// expanded into subtasks. Each node has a stable id (used later to match savepoint state)
// and says how each input is partitioned.

import type { PartitionReader } from '../connectors/partition-reader.ts';
import type { TopicContents } from '../connectors/topic-source.ts';
import type { TestStreamSpec } from '../connectors/test-stream.ts';
import type { Random } from '../random/random.ts';
import type { Operator } from '../runtime/operator.ts';
import type { Partitioning } from '../runtime/partitioner.ts';
import type { WatermarkStrategy } from '../time/watermark-strategy.ts';

/** The topics a driver loaded for a job, by name. */
export type TopicLookup = (topic: string) => TopicContents | undefined;

/** Where a source's records come from. */
export type SourceDefinition =
  | { readonly kind: 'testStream'; readonly spec: TestStreamSpec<unknown> | undefined; readonly isInput: boolean }
  | {
      readonly kind: 'partitions';
      readonly create: (random: Random, topics: TopicLookup) => PartitionReader<unknown>[];
      /** The log topic this source reads, which a driver loads before the job runs. */
      readonly topic?: string;
      readonly watermarks: WatermarkStrategy;
      /** Ingestion time: each record's timestamp is the processing time it arrived at. */
      readonly ingestionTime?: boolean;
    };

/** An input edge of a node. */
export interface LogicalEdge {
  readonly from: LogicalNode;
  /** Read a side output of `from` instead of its main output. */
  readonly sideOutput?: string;
  readonly partitioning: Partitioning;
  /** 0, or 1 for the second input of a two-input operator. */
  readonly inputIndex: 0 | 1;
}

/** An operator of the logical plan. */
export interface LogicalNode {
  /** Stable operator id (Flink's uid): given by the user or derived from the position in the plan. */
  uid: string;
  name: string;
  readonly kind: 'source' | 'operator' | 'sink';
  parallelism: number;
  readonly inputs: LogicalEdge[];
  readonly source?: SourceDefinition;
  readonly createOperator?: () => Operator;
  readonly sinkName?: string;
}

/** The whole pipeline as built. */
export class LogicalPlan {
  readonly nodes: LogicalNode[] = [];
  private counter = 0;
  defaultParallelism = 1;

  add(node: Omit<LogicalNode, 'uid' | 'parallelism'> & { uid?: string; parallelism?: number }): LogicalNode {
    const n = this.counter++;
    const full: LogicalNode = {
      ...node,
      uid: node.uid ?? `${node.name.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}-${n}`,
      parallelism: node.parallelism ?? this.defaultParallelism,
    };
    this.nodes.push(full);
    return full;
  }
}
