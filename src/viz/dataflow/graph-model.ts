// The dataflow graph as data, before any drawing: operators with their subtasks, channels with
// their partitioning, and each subtask's counters, rates, watermark and queue at a playhead.
// Invariant: pure functions of (operators, RunModel, playhead); nothing later than the playhead.

import type { OperatorInfo, SubtaskMetrics } from '../../engine/trace/trace-event.ts';
import type { MetricsSample, RunModel } from '../run-model.ts';
import { attemptAt, samplesAt, watermarkAt } from '../metrics/sample-at.ts';

export interface GraphNode {
  readonly id: string;
  readonly name: string;
  readonly kind: OperatorInfo['kind'];
  readonly parallelism: number;
}

export interface GraphEdge {
  /** `from->to`, plus `:sideOutput` for a side output. */
  readonly id: string;
  readonly from: string;
  readonly to: string;
  /** forward, hash, rebalance or broadcast, as on Flink's job graph. */
  readonly partitioning: string;
  readonly sideOutput?: string;
}

export interface DataflowGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** The nodes and channels of a job, from its `jobStarted` operator list. */
export function graphOf(operators: readonly OperatorInfo[]): DataflowGraph {
  const ids = new Set(operators.map((o) => o.id));
  const nodes = operators.map(({ id, name, kind, parallelism }) => ({ id, name, kind, parallelism }));
  const edges: GraphEdge[] = [];
  for (const o of operators) {
    for (const input of o.inputs) {
      if (!ids.has(input.from)) continue;
      edges.push({
        id: `${input.from}->${o.id}${input.sideOutput !== undefined ? `:${input.sideOutput}` : ''}`,
        from: input.from,
        to: o.id,
        partitioning: input.partitioning.toLowerCase(),
        ...(input.sideOutput !== undefined ? { sideOutput: input.sideOutput } : {}),
      });
    }
  }
  return { nodes, edges };
}

/** A stable key for an operator list: the layout is cached under it. */
export function graphSignature(operators: readonly OperatorInfo[]): string {
  return JSON.stringify(operators.map((o) => [o.id, o.name, o.kind, o.parallelism, o.inputs]));
}

/** One subtask's numbers at the playhead. */
export interface SubtaskStats {
  readonly operator: string;
  readonly subtask: number;
  readonly recordsIn: number;
  readonly recordsOut: number;
  /** Records per second of processing time since the previous sample; undefined without one. */
  readonly inRate?: number;
  readonly outRate?: number;
  /** The subtask's watermark: the minimum over its input channels (sources: their own). */
  readonly watermark?: number;
  readonly queued: number;
  readonly dropped: number;
  readonly stateEntries: number;
  readonly timers: number;
}

/** `operatorId#subtask`. */
export function subtaskKey(operatorId: string, subtask: number): string {
  return `${operatorId}#${subtask}`;
}

/**
 * A sample's counters by `operatorId#subtask`. The trace names operators by display name, which
 * need not be unique; a sample lists subtasks in plan order, so match by position when the
 * names line up and by name otherwise.
 */
export function metricsByOperatorId(operators: readonly OperatorInfo[], sample: MetricsSample): Map<string, SubtaskMetrics> {
  const out = new Map<string, SubtaskMetrics>();
  const positional: [string, number][] = operators.flatMap((o) => Array.from({ length: o.parallelism }, (_, s): [string, number] => [o.id, s]));
  const lined = positional.length === sample.subtasks.length && sample.subtasks.every((m, i) => {
    const op = operators.find((o) => o.id === positional[i]![0])!;
    return m.operator === op.name && m.subtask === positional[i]![1];
  });
  sample.subtasks.forEach((m, i) => {
    const id = lined ? positional[i]![0] : operators.find((o) => o.name === m.operator)?.id;
    if (id !== undefined) out.set(subtaskKey(id, m.subtask), m);
  });
  return out;
}

/** The same attempt took both samples, and no counter went backwards (a restart resets them). */
function comparable(model: RunModel, a: MetricsSample, b: MetricsSample): boolean {
  const attemptOf = (s: MetricsSample) => s.attempt ?? attemptAt(model.attempts, s.t)?.attempt;
  return attemptOf(a) === attemptOf(b) && b.t > a.t;
}

function rate(now: number, before: number | undefined, dt: number): number | undefined {
  if (before === undefined || now < before || dt <= 0) return undefined;
  return ((now - before) / dt) * 1000;
}

/**
 * Every subtask's counters from the latest metrics sample at or before `playheadT`, its rates
 * from the sample before, and its watermark from the watermark trace (finer than the samples).
 */
export function subtaskStatsAt(model: RunModel, playheadT: number): Map<string, SubtaskStats> {
  const out = new Map<string, SubtaskStats>();
  const { latest, previous } = samplesAt(model.metrics, playheadT);
  const now = latest ? metricsByOperatorId(model.operators, latest) : new Map<string, SubtaskMetrics>();
  const before = latest && previous && comparable(model, previous, latest) ? metricsByOperatorId(model.operators, previous) : undefined;
  const dt = latest && previous ? latest.t - previous.t : 0;
  for (const o of model.operators) {
    for (let s = 0; s < o.parallelism; s++) {
      const key = subtaskKey(o.id, s);
      const m = now.get(key);
      const b = before?.get(key);
      // Sources trace watermarks per partition under the same map; only operators' are per subtask.
      const traced = o.kind === 'source' ? undefined : watermarkAt(model.watermarks.get(`${o.name}#${s}`), playheadT);
      const watermark = traced ?? m?.watermark;
      const inRate = m ? rate(m.recordsIn, b?.recordsIn, dt) : undefined;
      const outRate = m ? rate(m.recordsOut, b?.recordsOut, dt) : undefined;
      out.set(key, {
        operator: o.id,
        subtask: s,
        recordsIn: m?.recordsIn ?? 0,
        recordsOut: m?.recordsOut ?? 0,
        queued: m?.queued ?? 0,
        dropped: m?.recordsDropped ?? 0,
        stateEntries: m?.stateEntries ?? 0,
        timers: m?.timers ?? 0,
        ...(inRate !== undefined ? { inRate } : {}),
        ...(outRate !== undefined ? { outRate } : {}),
        ...(watermark !== undefined ? { watermark } : {}),
      });
    }
  }
  return out;
}

/**
 * The watermark an edge carries: the least watermark among the sending operator's subtasks
 * (each channel carries its sender's; a receiver takes the minimum over its channels).
 */
export function edgeWatermark(edge: GraphEdge, from: GraphNode, stats: ReadonlyMap<string, SubtaskStats>): number | undefined {
  let min: number | undefined;
  for (let s = 0; s < from.parallelism; s++) {
    const w = stats.get(subtaskKey(edge.from, s))?.watermark;
    if (w === undefined) return undefined;
    min = min === undefined ? w : Math.min(min, w);
  }
  return min;
}
