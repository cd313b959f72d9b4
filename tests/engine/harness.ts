// Helpers shared by the engine tests: run a pipeline with its trace, pick trace events by type,
// follow watermarks per subtask, and sample the job's metrics part-way through a run.
// Shared between test authors: add exports, never change existing ones.

import { buildPipeline, runPipeline, type PipelineBuilder, type RunOptions, type RunResult, type SinkRecord } from '../../src/engine/api/index.ts';
import { seededRandom } from '../../src/engine/random/random.ts';
import { Job } from '../../src/engine/runtime/job.ts';
import type { SubtaskMetrics, TraceEvent } from '../../src/engine/trace/trace-event.ts';

/** The trace event of one type. */
export type EventOf<T extends TraceEvent['type']> = Extract<TraceEvent, { type: T }>;

/** A run with its trace, plus a typed filter over it. */
export interface TracedRun extends RunResult {
  eventsOf<T extends TraceEvent['type']>(type: T): EventOf<T>[];
}

/** Runs a pipeline to the end, collecting the whole trace. */
export function runWithTrace(build: PipelineBuilder, options: Omit<RunOptions, 'collectTrace'> = {}): TracedRun {
  const r = runPipeline(build, { ...options, collectTrace: true });
  return { ...r, eventsOf: (type) => eventsOf(r.trace, type) };
}

/** The events of one type, in trace order. */
export function eventsOf<T extends TraceEvent['type']>(trace: readonly TraceEvent[], type: T): EventOf<T>[] {
  return trace.filter((e): e is EventOf<T> => e.type === type);
}

/** The values that reached `sink` (every sink when omitted), in arrival order. */
export function valuesOf<T = unknown>(records: readonly SinkRecord[], sink?: string): T[] {
  return records.filter((r) => sink === undefined || r.sink === sink).map((r) => r.value as T);
}

/** Every `watermarkAdvanced` value per subtask, keyed `operator#subtask`, in trace order. */
export function watermarksBySubtask(trace: readonly TraceEvent[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const e of eventsOf(trace, 'watermarkAdvanced')) {
    const id = `${e.operator}#${e.subtask}`;
    const list = out.get(id) ?? [];
    list.push(e.watermark);
    out.set(id, list);
  }
  return out;
}

/** Every `channelWatermark` value per input channel, keyed `operator#subtask/channel`, in trace order. */
export function watermarksByChannel(trace: readonly TraceEvent[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const e of eventsOf(trace, 'channelWatermark')) {
    const id = `${e.operator}#${e.subtask}/${e.channel}`;
    const list = out.get(id) ?? [];
    list.push(e.watermark);
    out.set(id, list);
  }
  return out;
}

/** True when every value is larger than the one before it. */
export function strictlyIncreasing(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i++) if (!(values[i]! > values[i - 1]!)) return false;
  return true;
}

/** The total of `stateEntries` over the subtasks of `operator`. */
export function stateEntriesOf(metrics: readonly SubtaskMetrics[], operator: string): number {
  return metrics.filter((m) => m.operator === operator).reduce((n, m) => n + m.stateEntries, 0);
}

/** What a stepped run saw: metrics at the sample times, the peak state per operator, the result. */
export interface SampledRun {
  /** Metrics once everything due at or before each requested processing time has run, in time order. */
  readonly samples: { readonly at: number; readonly metrics: SubtaskMetrics[] }[];
  /** The largest total of `stateEntries` seen per operator, checked after every scheduler step. */
  readonly peakState: Map<string, number>;
  readonly records: SinkRecord[];
  readonly trace: TraceEvent[];
}

/**
 * Runs a pipeline one scheduler step at a time, sampling metrics at the given processing times
 * and tracking each operator's peak state size (the end-of-run metrics only show what is left).
 */
export function runSampled(build: PipelineBuilder, options: { seed?: number; sampleAt?: readonly number[] } = {}): SampledRun {
  const seed = options.seed ?? 0;
  const p = buildPipeline(build);
  const trace: TraceEvent[] = [];
  const job = new Job(p.plan, { random: seededRandom(seed), seed, trace: (e) => trace.push(e) });
  const samples: { at: number; metrics: SubtaskMetrics[] }[] = [];
  const peakState = new Map<string, number>();
  const notePeak = (): void => {
    const totals = new Map<string, number>();
    for (const m of job.metrics()) totals.set(m.operator, (totals.get(m.operator) ?? 0) + m.stateEntries);
    for (const [op, n] of totals) peakState.set(op, Math.max(peakState.get(op) ?? 0, n));
  };
  job.start();
  for (const at of [...(options.sampleAt ?? [])].sort((a, b) => a - b)) {
    while (!job.isFinished && job.scheduler.nextEventTime <= at && job.scheduler.step()) notePeak();
    samples.push({ at, metrics: job.metrics() });
  }
  while (!job.isFinished && job.scheduler.step()) notePeak();
  job.runToEnd();
  return { samples, peakState, records: p.records, trace };
}
