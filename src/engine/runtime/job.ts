// A running job: expands the logical plan into subtasks and channels, starts the sources and
// drives the scheduler until every sink has seen the end of its input. Processing-time timers
// still pending then are abandoned (and counted in the trace), as Flink does at end of input.

import type { LogicalNode, LogicalPlan } from '../plan/logical-plan.ts';
import { type Random } from '../random/random.ts';
import type { SubtaskMetrics, TraceEvent } from '../trace/trace-event.ts';
import { connectCheckpoints } from './checkpoint-tasks.ts';
import { buildJobGraph, type SourceHost } from './job-graph.ts';
import { collectMetrics } from './subtask-metrics.ts';
import type { OperatorSubtask } from './operator-subtask.ts';
import { describePartitioning } from './partitioner.ts';
import { EventClass, Scheduler } from './scheduler.ts';
import type { CheckpointCoordinator, CheckpointMode } from '../checkpoint/checkpoint-coordinator.ts';
import type { IoQueue, IoRequest } from '../checkpoint/io-request.ts';
import type { IncrementalPolicy } from '../state/incremental-policy.ts';
import { subtaskPart, type DeferredSnapshot, type JobSnapshot } from '../checkpoint/job-snapshot.ts';
import { JobCheckpoints, type CheckpointClock } from './job-checkpoints.ts';
import { encodeSnapshot } from '../checkpoint/snapshot-codec.ts';
import { decodePart, encodePart } from '../checkpoint/part-data.ts';
import { rescaledOperators, rescaleParts, type ParallelLayout } from '../checkpoint/rescale.ts';
import type { StateDescriptors } from '../checkpoint/state-descriptors.ts';
import type { SourceSubtaskSnapshot } from './source-subtask.ts';
import { TestStreamSubtask, type TestStreamSnapshot } from './test-stream-subtask.ts';
import type { AlignmentGroup } from './watermark-alignment.ts';
import { subtaskStateView, type StateView } from './state-view.ts';
import { testStreamStartTime } from '../connectors/test-stream.ts';
import type { PartitionReader } from '../connectors/partition-reader.ts';
import type { TopicContents } from '../connectors/topic-source.ts';

/** Processing time between two metrics events in the trace. */
const METRICS_INTERVAL = 1000;

/** What a snapshot's `job` part keeps: the checkpoint clock and the metrics clock. */
type JobClocks = CheckpointClock & { readonly nextMetricsAt: number; readonly lastMetrics: string };

export interface JobOptions {
  readonly random: Random;
  readonly seed: number;
  readonly trace: ((e: TraceEvent) => void) | undefined;
  /** Log topics loaded by a driver, for sources that read topics. */
  readonly topics?: ReadonlyMap<string, TopicContents>;
  /**
   * Virtual ms of processing time each record costs, per operator uid (or name): such an
   * operator is busy that long per record, so input queues behind it and checkpoint barriers
   * take time to align (runtime/operator-subtask.ts). Operators not listed cost nothing.
   */
  readonly processingCost?: Readonly<Record<string, number>>;
  /** Incremental checkpoints: keyed state snapshots deltas under this compaction rule (state/incremental-policy.ts). */
  readonly incremental?: IncrementalPolicy;
}

export class Job {
  readonly scheduler: Scheduler;
  private readonly sources: SourceHost[] = [];
  private readonly subtasks = new Map<LogicalNode, OperatorSubtask[]>();
  private readonly sinks: OperatorSubtask[] = [];
  /**
   * I/O requests raised by operators, in order, for a driver to fulfil against durable storage.
   * Without a driver (runPipeline) nobody reads them, and sinks that need storage are not used.
   */
  readonly ioRequests: IoRequest[] = [];
  private readonly io: IoQueue = { request: (r) => void this.ioRequests.push(r) };
  private readonly alignmentGroups: AlignmentGroup[] = [];
  /** The operator uid and subtask index of each entry of `sources`. */
  private readonly sourceIds: { uid: string; index: number }[] = [];
  private readonly checkpoints: JobCheckpoints;
  private nextMetricsAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly plan: LogicalPlan,
    private readonly options: JobOptions,
  ) {
    const readers = new Map<LogicalNode, PartitionReader<unknown>[]>();
    let start = Number.POSITIVE_INFINITY;
    for (const node of plan.nodes) {
      const src = node.source;
      if (src === undefined) continue;
      if (src.kind === 'testStream') {
        start = Math.min(start, src.spec ? testStreamStartTime(src.spec) : 0);
        node.parallelism = 1;
      } else {
        const rs = src.create(options.random.fork(`source:${node.uid}`), (t) => options.topics?.get(t));
        readers.set(node, rs);
        for (const r of rs) start = Math.min(start, r.nextArrival());
      }
    }
    this.scheduler = new Scheduler(Number.isFinite(start) ? start : 0);
    this.checkpoints = new JobCheckpoints({
      scheduler: this.scheduler,
      trace: options.trace,
      isFinished: () => this.isFinished,
      connect: () => this.connectCoordinator(),
      jobParts: () => this.jobParts(),
      notifyComplete: (id) => {
        for (const list of this.subtasks.values()) for (const s of list) s.notifyCheckpointComplete(id);
      },
    });
    this.build(readers);
  }

  private build(readers: Map<LogicalNode, PartitionReader<unknown>[]>): void {
    const costs = this.options.processingCost;
    for (const [name, ms] of Object.entries(costs ?? {})) {
      if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`the processing cost of "${name}" must be a non-negative number of ms per record, got ${ms}`);
    }
    const g = buildJobGraph(this.plan, readers, {
      scheduler: this.scheduler,
      io: this.io,
      random: this.options.random,
      trace: this.options.trace,
      ...(costs !== undefined ? { processingCost: (n: LogicalNode) => costs[n.uid] ?? costs[n.name] ?? 0 } : {}),
    });
    for (const [node, list] of g.subtasks) this.subtasks.set(node, list);
    this.sinks.push(...g.sinks);
    this.sources.push(...g.sources);
    this.sourceIds.push(...g.sourceIds);
    this.alignmentGroups.push(...g.alignmentGroups);
  }

  /** Operators in plan order, for the trace and the dataflow graph. */
  describe(): TraceEvent & { type: 'jobStarted' } {
    return {
      type: 'jobStarted',
      pt: this.scheduler.now,
      seed: this.options.seed,
      operators: this.plan.nodes.map((n) => ({
        id: n.uid,
        name: n.name,
        kind: n.kind,
        parallelism: n.parallelism,
        inputs: n.inputs.map((e) => ({
          from: e.from.uid,
          partitioning: describePartitioning(e.partitioning),
          ...(e.sideOutput !== undefined ? { sideOutput: e.sideOutput } : {}),
        })),
      })),
    };
  }

  start(): void {
    this.options.trace?.(this.describe());
    for (const s of this.sources) s.start();
    for (const g of this.alignmentGroups) g.start(this.scheduler);
    this.scheduleMetrics(this.scheduler.now + METRICS_INTERVAL);
    this.checkpoints.start();
  }

  private scheduleMetrics(at: number): void {
    if (!this.options.trace) return;
    this.nextMetricsAt = at;
    this.scheduler.at(at, this.metricsTick, EventClass.metrics, 0);
  }

  /**
   * Takes a checkpoint every `interval` ms of processing time; each one raises a
   * `persistCheckpoint` I/O request. Call before start() or restore().
   */
  enableCheckpoints(interval: number): void {
    this.checkpoints.enable(interval);
  }

  /**
   * Aborts a checkpoint not complete `timeout` ms of processing time after its trigger (Flink's
   * checkpoint timeout): traced `checkpointFailed` with `expired`; the job runs on, and later
   * checkpoints are taken as usual. Call before start() or restore().
   */
  setCheckpointTimeout(timeout: number): void {
    this.checkpoints.expireAfter(timeout);
  }

  /**
   * Starts a checkpoint now; returns its id. Every source records its position and sends a
   * barrier after the records it already sent; operator subtasks snapshot as the barriers reach
   * them (runtime/barrier-aligner.ts); when every subtask has acknowledged, a `persistCheckpoint`
   * request is raised (usually a few steps later: the barriers travel through the inboxes).
   * Periodic checkpoints run after everything else due at their time, when no record is in
   * flight; one triggered between any two scheduler steps is consistent as well. Call it
   * between steps, never from inside an operator's callback.
   */
  triggerCheckpoint(): number {
    return this.checkpoints.trigger();
  }

  /** Aligned (the default) or unaligned checkpoints; not while a checkpoint is in progress. */
  setCheckpointMode(mode: CheckpointMode): void {
    this.checkpoints.setMode(mode);
  }

  /** Checkpoints in progress: triggered, not yet acknowledged by every subtask. */
  get checkpointsInProgress(): number {
    return this.checkpoints.inProgress;
  }

  /** Whether checkpoint `id` is in progress: triggered, not yet acknowledged by every subtask (nor aborted). */
  isCheckpointPending(id: number): boolean {
    return this.checkpoints.isPending(id);
  }

  /**
   * The coordinator, made at the first checkpoint. Tasks register in the order of the parts of
   * snapshot(): operator subtasks in plan order, then sources.
   */
  private connectCoordinator(): CheckpointCoordinator {
    const subtasks = [...this.subtasks].flatMap(([node, list]) => list.map((task, index) => ({ part: subtaskPart(node.uid, index), index, task })));
    const sources = this.sources.map((task, i) => ({ part: subtaskPart(this.sourceIds[i]!.uid, this.sourceIds[i]!.index), index: this.sourceIds[i]!.index, task }));
    const persist = (snapshot: JobSnapshot): void => void this.ioRequests.push({ kind: 'persistCheckpoint', snapshot });
    const env = { seed: this.options.seed, trace: this.options.trace, now: () => this.scheduler.now, persist, incremental: this.options.incremental };
    return connectCheckpoints(env, subtasks, sources);
  }

  /** The job's own clocks, as its part of a snapshot keeps them. */
  private clocks(): JobClocks {
    return { ...this.checkpoints.clock(), nextMetricsAt: this.nextMetricsAt, lastMetrics: this.lastMetrics };
  }

  /** The parts the job takes itself when a checkpoint starts: alignment groups and its clocks (as in snapshot()). */
  private jobParts(): { name: string; data: string }[] {
    const parts = this.alignmentGroups.map((g) => ({ name: `alignment:${g.name}`, data: encodeSnapshot(g.snapshot()) }));
    parts.push({ name: 'job', data: encodeSnapshot(this.clocks()) });
    return parts;
  }

  /** The driver persisted checkpoint `id`: it is complete, and operators are told (sinks commit). */
  completeCheckpoint(snapshot: JobSnapshot): void {
    this.checkpoints.complete(snapshot);
  }

  /** The driver could not persist checkpoint `id`; the job keeps running on its last good one. */
  failCheckpoint(id: number, reason: string): void {
    this.checkpoints.fail(id, reason);
  }

  /** The names of every part this job's snapshots have (to fit a savepoint to it). */
  partNames(): string[] {
    const names: string[] = [];
    for (const [node, list] of this.subtasks) list.forEach((_, i) => names.push(subtaskPart(node.uid, i)));
    names.push(...this.sourcePartNames());
    for (const g of this.alignmentGroups) names.push(`alignment:${g.name}`);
    names.push('job');
    return names;
  }

  /** Per operator uid (every operator, even one that knows none), the kinds of state it knows it keeps before running (to check a savepoint against). */
  stateDescriptors(): Map<string, StateDescriptors> {
    const out = new Map<string, StateDescriptors>();
    for (const [node, list] of this.subtasks) out.set(node.uid, list[0]?.stateDescriptors() ?? {});
    return out;
  }

  /** The names of the sources' parts in a snapshot (their positions in the input). */
  sourcePartNames(): string[] {
    return this.sourceIds.map((id) => subtaskPart(id.uid, id.index));
  }

  /** The whole job's state now, as encoded parts (a deep copy: the job may run on). */
  snapshot(checkpointId: number): JobSnapshot {
    const d = this.snapshotDeferred(checkpointId);
    return { ...d, parts: d.parts.map((p) => ({ name: p.name, data: encodePart(p.value) })) };
  }

  /**
   * The parts of snapshot(), not encoded yet (keyed state taken as columns, state/entry-columns.ts;
   * the rest live values), which a store encodes chunk by chunk as it writes them
   * (checkpoint/store-io.ts `persistSnapshot`) before the job steps again.
   */
  snapshotDeferred(checkpointId: number): DeferredSnapshot {
    const parts: { name: string; value: unknown }[] = [];
    for (const [node, list] of this.subtasks) list.forEach((s, i) => parts.push({ name: subtaskPart(node.uid, i), value: s.snapshot(checkpointId) }));
    this.sources.forEach((s, i) => {
      const id = this.sourceIds[i]!;
      parts.push({ name: subtaskPart(id.uid, id.index), value: s.snapshot() });
    });
    for (const g of this.alignmentGroups) parts.push({ name: `alignment:${g.name}`, value: g.snapshot() });
    parts.push({ name: 'job', value: this.clocks() });
    return { version: 1, checkpointId, time: this.scheduler.now, seed: this.options.seed, parts };
  }

  /**
   * Instead of start(): puts every subtask back in the state of a checkpoint, rewinds the
   * sources to its offsets, and continues from its processing time. Operators are matched by uid;
   * one whose parallelism changed since is rescaled (checkpoint/rescale.ts).
   */
  restore(snapshot: JobSnapshot, attempt: number, fresh: ReadonlySet<string> = new Set()): void {
    // Operators whose parallelism changed get their state redistributed (checkpoint/rescale.ts).
    const layout = this.layout();
    const rescaled = rescaledOperators(snapshot.parts.map((p) => p.name), layout);
    const given = new Map(snapshot.parts.map((p) => [p.name, p.data]));
    const parts = rescaled.length === 0 ? given : rescaleParts(given, layout);
    const take = <T>(name: string): T => {
      const data = parts.get(name);
      if (data === undefined) throw new Error(`checkpoint ${snapshot.checkpointId} has no state for "${name}": was the pipeline changed?`);
      return decodePart<T>(data);
    };
    // Parts a savepoint does not have belong to operators added since: they start empty.
    const has = (name: string): boolean => !fresh.has(name);
    this.scheduler.resetClock(snapshot.time);
    this.options.trace?.(this.describe());
    const rescaledTrace = rescaled.length > 0 ? { rescaled: rescaled.map((r) => ({ operator: r.name, operatorId: r.uid, from: r.from, to: r.to })) } : {};
    this.options.trace?.({ type: 'jobRestored', pt: snapshot.time, attempt, checkpointId: snapshot.checkpointId, ...rescaledTrace });
    for (const [node, list] of this.subtasks) {
      list.forEach((s, i) => {
        const name = subtaskPart(node.uid, i);
        if (has(name)) s.restore(take(name), snapshot.checkpointId, fresh.size > 0 || rescaled.length > 0, node.uid);
      });
    }
    this.sources.forEach((s, i) => {
      const id = this.sourceIds[i]!;
      const name = subtaskPart(id.uid, id.index);
      if (!has(name)) s.start();
      else if (s instanceof TestStreamSubtask) s.resume(take<TestStreamSnapshot>(name));
      else s.resume(take<SourceSubtaskSnapshot>(name));
    });
    for (const g of this.alignmentGroups) {
      if (has(`alignment:${g.name}`)) g.resume(this.scheduler, take(`alignment:${g.name}`));
      else g.start(this.scheduler);
    }
    if (!has('job')) {
      // Starting over with empty state (at-most-once recovery): the job's own clocks start now.
      this.checkpoints.start();
      this.scheduleMetrics(this.scheduler.now + METRICS_INTERVAL);
      return;
    }
    const job = take<JobClocks>('job');
    this.checkpoints.resume(job);
    this.lastMetrics = job.lastMetrics;
    if (job.nextMetricsAt !== Number.POSITIVE_INFINITY) this.scheduleMetrics(job.nextMetricsAt);
  }

  /** Every operator with its parallelism and input edges, in plan order (for rescaling). */
  private layout(): ParallelLayout[] {
    return this.plan.nodes.map((n) => ({
      uid: n.uid,
      name: n.name,
      kind: n.source === undefined ? 'operator' : n.source.kind === 'testStream' ? 'testStream' : 'source',
      parallelism: n.parallelism,
      inputs: n.inputs.map((e) => ({ from: e.from.uid, inputIndex: e.inputIndex })),
    }));
  }

  private lastMetrics = '';

  /**
   * While tracing, the subtasks' counters go into the trace every second of processing time
   * (when any of them changed), so charts of throughput, lag and state size can be drawn from
   * the trace alone. Reading counters changes nothing, so output is the same with tracing off.
   */
  private readonly metricsTick = (): void => {
    if (this.isFinished) return;
    const metrics = this.metrics();
    const signature = JSON.stringify(metrics);
    if (signature !== this.lastMetrics) {
      this.lastMetrics = signature;
      this.options.trace?.({ type: 'metrics', pt: this.scheduler.now, subtasks: metrics });
    }
    this.scheduleMetrics(this.scheduler.now + METRICS_INTERVAL);
  };

  /** True once every sink (or, without sinks, every source) has finished. */
  get isFinished(): boolean {
    if (this.sinks.length > 0) return this.sinks.every((s) => s.isFinished);
    return this.sources.every((s) => s.isFinished);
  }

  /** Runs to completion. */
  runToEnd(): void {
    const s = this.scheduler;
    while (!this.isFinished && s.step()) {
      /* each step is one unit of work */
    }
    const trace = this.options.trace;
    trace?.({ type: 'metrics', pt: s.now, subtasks: this.metrics() });
    trace?.({ type: 'jobFinished', pt: s.now, watermark: this.outputWatermark(), abandonedProcessingTimers: this.pendingProcessingTimers() });
  }

  private outputWatermark(): number {
    let min = Number.POSITIVE_INFINITY;
    for (const list of this.subtasks.values()) for (const s of list) min = Math.min(min, s.currentWatermark);
    return min;
  }

  private pendingProcessingTimers(): number {
    let n = 0;
    for (const list of this.subtasks.values()) for (const s of list) n += s.timers.pending().filter((t) => t.domain === 'processingTime').length;
    return n;
  }

  /**
   * Keyed state and pending timers of every operator subtask as plain data, at most `limit`
   * entries and timers per subtask (runtime/state-view.ts). Reads only.
   */
  inspectState(limit = 100): StateView {
    const subtasks = [];
    for (const [node, list] of this.subtasks) {
      for (const s of list) subtasks.push(subtaskStateView({ operator: node.name, operatorId: node.uid, subtask: s.index }, s.state, s.timers, limit));
    }
    return { pt: this.scheduler.now, subtasks };
  }

  /** Counters of every subtask, sources first. */
  metrics(): SubtaskMetrics[] {
    return collectMetrics(this.sources, this.subtasks.values());
  }
}

