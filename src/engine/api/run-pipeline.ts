// Runs a pipeline headless from start to end: builds it with a fresh Pipeline, expands it
// into a job with the given seed, runs the scheduler to completion, and returns what the
// sinks collected and, if asked, the trace. The same builder, input and seed always give
// the same records and the same trace.

import type { SinkRecord } from '../connectors/collecting-sink.ts';
import type { TestStreamSpec } from '../connectors/test-stream.ts';
import { seededRandom } from '../random/random.ts';
import { Job } from '../runtime/job.ts';
import type { SubtaskMetrics, TraceEvent } from '../trace/trace-event.ts';
import { InputError, PipelineDefinitionError } from '../errors.ts';
import type { DeliveryGuarantee } from '../connectors/delivery-sink.ts';
import { Pipeline, type PipelineOptions } from './pipeline.ts';

export type { SinkRecord } from '../connectors/collecting-sink.ts';

/** What a pipeline file exports by default: a function that wires the pipeline. */
export type PipelineBuilder = (p: Pipeline) => void;

export interface RunOptions {
  /** Seeds every random choice (generators, …). Default 0. */
  readonly seed?: number;
  /** Feeds the pipeline's `p.input()` instead of its default script. */
  readonly input?: TestStreamSpec<unknown>;
  /** Keep every trace event in the result. */
  readonly collectTrace?: boolean;
  /** Receive every trace event as it happens. */
  readonly onTrace?: (e: TraceEvent) => void;
  /** The delivery guarantee of every `sink(name)` (see PipelineOptions); unset: they only collect. */
  readonly defaultGuarantee?: DeliveryGuarantee;
}

export interface RunResult {
  /** Every record that reached a sink, in the order they arrived. */
  readonly records: SinkRecord[];
  readonly trace: TraceEvent[];
  /** Counters of every subtask at the end of the run. */
  readonly metrics: SubtaskMetrics[];
}

/** Builds the pipeline without running it (to inspect its plan). */
export function buildPipeline(build: PipelineBuilder, input?: TestStreamSpec<unknown>, options: PipelineOptions = {}): Pipeline {
  const p = new Pipeline(input, options);
  const ret: unknown = build(p);
  p.applyDefaultGuarantee();
  if (ret instanceof Promise) throw new PipelineDefinitionError('the pipeline function must build the pipeline synchronously (it returned a Promise)');
  if (input !== undefined && !p.declaresInput) {
    throw new InputError('', 'an input was given, but the pipeline declares no input: read it with `p.input()`');
  }
  if (p.plan.nodes.length === 0) throw new PipelineDefinitionError('the pipeline is empty: create a source on `p` and end in a sink');
  if (!p.plan.nodes.some((n) => n.kind === 'sink')) {
    throw new PipelineDefinitionError('the pipeline has no sink, so it would produce nothing: end a stream with `.sink("name")`');
  }
  return p;
}

/**
 * Runs a pipeline to the end of its input.
 * @example
 * const { records } = runPipeline((p) => {
 *   p.input<number>({ default: testStream<number>().addElements({ value: 1, timestamp: 0 }).advanceWatermarkToInfinity() })
 *     .map((x) => x * 2)
 *     .sink('out');
 * });
 */
export function runPipeline(build: PipelineBuilder, options: RunOptions = {}): RunResult {
  const seed = options.seed ?? 0;
  const p = buildPipeline(build, options.input, options.defaultGuarantee !== undefined ? { defaultGuarantee: options.defaultGuarantee } : {});
  const trace: TraceEvent[] = [];
  const collect = options.collectTrace === true;
  const onTrace = options.onTrace;
  const sink = collect || onTrace ? (e: TraceEvent) => {
    if (collect) trace.push(e);
    onTrace?.(e);
  } : undefined;
  const job = new Job(p.plan, { random: seededRandom(seed), seed, trace: sink });
  job.start();
  job.runToEnd();
  return { records: p.records, trace, metrics: job.metrics() };
}

/**
 * The builder with every `sink(name)` made a delivery sink with `guarantee` (PipelineOptions'
 * defaultGuarantee), for drivers that build the pipeline themselves, such as `runDurable`.
 * @example
 * await runDurable(withDefaultGuarantee(build, 'atLeastOnce'), { store, jobId: 'j', checkpointInterval: 1000 });
 */
export function withDefaultGuarantee(build: PipelineBuilder, guarantee: DeliveryGuarantee | undefined): PipelineBuilder {
  if (guarantee === undefined) return build;
  return (p) => {
    const ret = build(p);
    p.applyDefaultGuarantee(guarantee);
    // Handed back so the driver can refuse an async builder.
    return ret;
  };
}
