// Expands a logical plan into the physical job: one subtask per operator and degree of
// parallelism, one channel per (sender, receiver) pair of every edge, and the source subtasks
// with their partitions and alignment groups. Entity numbers are handed out in plan order
// (operator subtasks first, then sources), so they are the same for every build of a plan.

import type { IoQueue } from '../checkpoint/io-request.ts';
import type { PartitionReader } from '../connectors/partition-reader.ts';
import { UserCodeError } from '../errors.ts';
import type { LogicalNode, LogicalPlan } from '../plan/logical-plan.ts';
import type { Random } from '../random/random.ts';
import { HeapKeyedStateBackend } from '../state/state-backend.ts';
import type { TraceEvent } from '../trace/trace-event.ts';
import type { ChannelTarget } from './channel.ts';
import { OperatorSubtask } from './operator-subtask.ts';
import type { Scheduler } from './scheduler.ts';
import { SourceSubtask } from './source-subtask.ts';
import { TaskOutput, type Route } from './task-output.ts';
import { TestStreamSubtask } from './test-stream-subtask.ts';
import { AlignmentGroup } from './watermark-alignment.ts';

export type SourceHost = SourceSubtask | TestStreamSubtask;

/** The physical job a plan expands to. */
export interface JobGraph {
  readonly subtasks: Map<LogicalNode, OperatorSubtask[]>;
  readonly sinks: OperatorSubtask[];
  readonly sources: SourceHost[];
  /** The operator uid and subtask index of each entry of `sources`. */
  readonly sourceIds: { uid: string; index: number }[];
  readonly alignmentGroups: AlignmentGroup[];
}

export interface JobGraphDeps {
  readonly scheduler: Scheduler;
  readonly io: IoQueue;
  readonly random: Random;
  readonly trace: ((e: TraceEvent) => void) | undefined;
  /** Virtual ms of processing time per record at each operator (0: none). */
  readonly processingCost?: (node: LogicalNode) => number;
}

/** Builds and opens every subtask of `plan` and wires their channels. */
export function buildJobGraph(plan: LogicalPlan, readers: ReadonlyMap<LogicalNode, PartitionReader<unknown>[]>, deps: JobGraphDeps): JobGraph {
  const { random, trace } = deps;
  const g: JobGraph = { subtasks: new Map(), sinks: [], sources: [], sourceIds: [], alignmentGroups: [] };
  let entities = 0;

  // Operator subtasks first, so routes can point at them.
  for (const node of plan.nodes) {
    if (node.kind === 'source') continue;
    const list: OperatorSubtask[] = [];
    for (let i = 0; i < node.parallelism; i++) {
      const output = new TaskOutput([], userKeyError(node.name));
      const host = new OperatorSubtask(node.name, i, node.parallelism, node.createOperator!(), output, {
        entity: entities++,
        io: deps.io,
        scheduler: deps.scheduler,
        trace,
        random: random.fork(`${node.uid}#${i}`),
        state: new HeapKeyedStateBackend(),
        processingCost: deps.processingCost?.(node) ?? 0,
      });
      list.push(host);
      if (node.kind === 'sink') g.sinks.push(host);
    }
    g.subtasks.set(node, list);
  }
  // Channels: one per (upstream subtask, downstream subtask) pair of every edge.
  const outputs = new Map<LogicalNode, TaskOutput[]>();
  const outputsOf = (n: LogicalNode): TaskOutput[] => {
    let o = outputs.get(n);
    if (o === undefined) {
      o = g.subtasks.get(n)?.map((s) => s.output) ?? [];
      if (o.length === 0) for (let i = 0; i < n.parallelism; i++) o.push(new TaskOutput([], userKeyError(n.name)));
      outputs.set(n, o);
    }
    return o;
  };
  for (const node of plan.nodes) {
    const receivers = g.subtasks.get(node);
    if (receivers === undefined) continue;
    for (const edge of node.inputs) {
      const senders = outputsOf(edge.from);
      const partitioning =
        edge.partitioning.kind === 'forward' && senders.length !== receivers.length ? ({ kind: 'rebalance' } as const) : edge.partitioning;
      senders.forEach((out, s) => {
        const targets: ChannelTarget[] = receivers.map((r) => ({ receiver: r, channel: r.addChannel(edge.inputIndex) }));
        const route: Route = { sideOutput: edge.sideOutput, partitioning, targets, senderIndex: s };
        out.routes.push(route);
      });
    }
  }
  for (const list of g.subtasks.values()) for (const s of list) s.open();
  // Sources.
  const groups = new Map<string, AlignmentGroup>();
  for (const node of plan.nodes) {
    const src = node.source;
    if (src === undefined) continue;
    const outs = outputsOf(node);
    if (src.kind === 'testStream') {
      g.sources.push(new TestStreamSubtask(node.name, src.spec ?? { steps: [] }, outs[0]!, deps.scheduler, trace, entities++));
      g.sourceIds.push({ uid: node.uid, index: 0 });
      continue;
    }
    const all = readers.get(node)!;
    const align = src.watermarks.alignment;
    let group: AlignmentGroup | undefined;
    if (align !== undefined) {
      group = groups.get(align.group);
      if (group === undefined) {
        group = new AlignmentGroup(align.group, align.maxDrift, align.updateInterval, groups.size);
        groups.set(align.group, group);
        g.alignmentGroups.push(group);
      }
    }
    for (let i = 0; i < node.parallelism; i++) {
      const mine = all.filter((_, p) => p % node.parallelism === i);
      g.sources.push(new SourceSubtask(node.name, i, mine, src.watermarks, outs[i]!, deps.scheduler, trace, group, src.ingestionTime === true, entities++));
      g.sourceIds.push({ uid: node.uid, index: i });
    }
  }

  return g;
}

function userKeyError(operator: string): (e: unknown, value: unknown) => never {
  return (e) => {
    throw new UserCodeError(operator, 'the key selector', e);
  };
}
