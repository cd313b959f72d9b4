// A durable job driven from outside, a step at a time (docs/durability.md): the sandbox's worker
// runs it, pauses it, steps one event, runs it to a processing time, checkpoints now, takes
// savepoints, and kills the worker for real, after which a new session (a new process) resumes
// from what is in the store. runDurable (job-driver.ts) drives one session to the end.
//
// Invariants: between two calls no I/O request of the job is pending (each step's requests are
// fulfilled, in order, before the call returns); the virtual clock never moves while the store
// is awaited; so the trace and the output do not depend on how the steps are cut into calls.
//
// Strategy of one attempt:
//   1. Build a job; start it, or restore the newest complete checkpoint (rewinding the clock).
//   2. Step it; after each step, fulfil the requests it raised (a planned crash may strike).
//   3. At the end of the input, take the final checkpoint, then finish.
//   4. On a crash or a failure, throw the job away and go to 1, as the restart strategy allows.

import type { SubtaskMetrics, TraceEvent } from '../trace/trace-event.ts';
import { buildPipeline, type PipelineBuilder } from '../api/run-pipeline.ts';
import type { Pipeline } from '../api/pipeline.ts';
import type { SinkRecord } from '../connectors/collecting-sink.ts';
import type { Job } from '../runtime/job.ts';
import type { StateView } from '../runtime/state-view.ts';
import type { IoRequest } from './io-request.ts';
import type { JobSnapshot } from './job-snapshot.ts';
import { DEFAULT_RESTART, nextRestart, type RestartStrategy } from './restart-strategy.ts';
import { toSavepointFile, type SavepointFile } from './savepoint.ts';
import type { AdvanceLimit, AdvanceResult, SessionFailure, SessionOptions } from './session-options.ts';
import { beginAttempt, buildAttemptJob } from './attempt-start.ts';
import { CheckpointWriter } from './checkpoint-writer.ts';
import { SinkIo } from './sink-io.ts';
import { CrashSchedule, InjectedCrash } from './crash-schedule.ts';
export type { AdvanceLimit, AdvanceResult, CrashPhase, CrashPlan, RecoveryMode, SessionFailure, SessionOptions } from './session-options.ts';

type Phase = 'running' | 'final' | 'finished' | 'failed' | 'stopped';

/** Outcome of stepping once: a scheduler step, another move (no step), or the limit was reached. */
type Move = 'stepped' | 'moved' | 'limit';

/** A durable job stepped from outside. Open one with `DurableSession.open`. */
export class DurableSession {
  private readonly restart: RestartStrategy;
  private readonly trace: ((e: TraceEvent) => void) | undefined;
  private readonly crashes: CrashSchedule;
  /** Records of the attempts before the current one (a crash cannot take printed records back). */
  private readonly past: SinkRecord[] = [];
  private readonly failureList: SessionFailure[] = [];
  private readonly failureWallTimes: number[] = [];
  private wall = 0;
  private downtimeMs = 0;
  private completed = 0;
  private attemptNo: number;
  /** skipAhead recovery: the crashed job's state, whose source positions the next attempt takes. */
  private skipTo: JobSnapshot | undefined;
  /** Writes, lists and prunes the job's checkpoints (incremental chains included). */
  private readonly writer: CheckpointWriter;
  /** The first attempt starts plainly when the store has no checkpoint; later ones trace a restore. */
  private plainStart: boolean;
  private phase: Phase = 'running';
  /** Checkpoints completed when the final checkpoint was triggered. */
  private finalFrom = 0;
  private failure: { readonly reason: string; readonly error: unknown } | undefined;
  /** stopWithSavepoint: the id of the stop's checkpoint, and its savepoint once complete. */
  private stopId = -1;
  private stopSavepoint: SavepointFile | undefined;
  /** checkpointNow / savepoint: the checkpoint awaited, and how it ended. */
  private awaited: { readonly id: number; outcome?: 'completed' | 'failed'; snapshot?: JobSnapshot } | undefined;
  /** Sink and topic requests, with the trace of two-phase commits. */
  private readonly sinks: SinkIo;
  private restored: number | null = null;
  private job!: Job;
  private pipeline!: Pipeline;
  private startedAt = 0;

  private constructor(
    private readonly build: PipelineBuilder,
    private readonly options: SessionOptions,
  ) {
    this.writer = new CheckpointWriter(options.store, options.jobId, options.keepCheckpoints ?? 3);
    this.restart = options.restart ?? DEFAULT_RESTART;
    this.trace = options.onTrace;
    this.crashes = new CrashSchedule(options.crashes);
    this.sinks = new SinkIo(options.store, options.onTrace, this.crashes);
    this.attemptNo = (options.attempt ?? 1) - 1;
    this.plainStart = options.resume !== true;
  }

  /**
   * Builds the pipeline and starts its job, or restores it (see `SessionOptions.resume`).
   * @example
   * const s = await DurableSession.open(build, { store, jobId: 'j', checkpointInterval: 1000, resume: false });
   * while (!s.finished && !s.failed) await s.advance({ maxSteps: 1000 });
   */
  static async open(build: PipelineBuilder, options: SessionOptions): Promise<DurableSession> {
    const s = new DurableSession(build, options);
    if (options.resume === false) {
      const sinks = buildPipeline(build, options.input).plan.nodes.filter((n) => n.kind === 'sink').map((n) => n.name);
      await options.store.deleteJob(options.jobId, sinks);
    }
    await s.startAttempt();
    return s;
  }

  /** The processing clock. */
  get now(): number {
    return this.job.scheduler.now;
  }

  /** True once the job ran to the end of its input (final checkpoint included). */
  get finished(): boolean {
    return this.phase === 'finished';
  }

  /** Set once the job failed and its restart strategy gave up. */
  get failed(): { readonly reason: string; readonly error: unknown } | undefined {
    return this.failure;
  }

  /** True once stopWithSavepoint stopped the job. */
  get stopped(): boolean {
    return this.phase === 'stopped';
  }

  /** The attempt running now (1 for the first). */
  get attempt(): number {
    return this.attemptNo;
  }

  /** The checkpoint (or savepoint) the current attempt was restored from; null when it started from the beginning. */
  get restoredFrom(): number | null {
    return this.restored;
  }

  /** Every failure so far, injected crashes included. */
  get failures(): readonly SessionFailure[] {
    return this.failureList;
  }

  get completedCheckpoints(): number {
    return this.completed;
  }

  /** Wall time spent restarting (the sum of restart delays). */
  get downtime(): number {
    return this.downtimeMs;
  }

  /** Records of plain `.sink()` sinks so far, from every attempt of this session. */
  get records(): SinkRecord[] {
    return this.phase === 'running' || this.phase === 'final' ? [...this.past, ...this.pipeline.records] : [...this.past];
  }

  /** The job's operators, as the `jobStarted` trace event gives them. */
  describe(): TraceEvent & { type: 'jobStarted' } {
    return this.job.describe();
  }

  /** Counters of every subtask now. */
  metrics(): SubtaskMetrics[] {
    return this.job.metrics();
  }

  /** Keyed state and pending timers per operator subtask, as plain data (at most `limit` entries per subtask). */
  inspectState(limit?: number): StateView {
    return this.job.inspectState(limit);
  }

  /**
   * Steps the job until the limit, the end (final checkpoint included), or a failure the restart
   * strategy gives up on. Failures inside restart the job from the newest complete checkpoint.
   */
  async advance(limit: AdvanceLimit = {}): Promise<AdvanceResult> {
    const max = limit.maxSteps ?? Number.POSITIVE_INFINITY;
    const until = limit.untilTime ?? Number.POSITIVE_INFINITY;
    let steps = 0;
    while (this.isLive && steps < max) {
      const move = await this.guarded(() => this.move(until, true));
      if (move === 'limit') break;
      if (move === 'stepped') steps++;
    }
    return { pt: this.now, finished: this.finished, steps };
  }

  /**
   * Triggers a checkpoint now and runs until it completes (its id) or fails, is aborted, or the
   * job crashes first (null). The job runs on afterwards.
   */
  async checkpointNow(): Promise<number | null> {
    const done = await this.awaitCheckpoint();
    return done?.checkpointId ?? null;
  }

  /** Takes a savepoint now: a checkpoint, also handed back as a savepoint file. The job runs on. */
  async savepoint(): Promise<SavepointFile> {
    const done = await this.awaitCheckpoint();
    if (done === undefined) throw new Error(`the savepoint could not be taken: ${this.failure?.reason ?? 'its checkpoint failed or the job restarted meanwhile'}`);
    return toSavepointFile(this.options.jobId, done);
  }

  /**
   * Flink's stop-with-savepoint: runs until the next event would pass `time`, takes a savepoint
   * and stops the job there. Returns the savepoint; undefined when the job finished, failed, or
   * its checkpoint could not be completed (the job is then stopped without one).
   */
  async stopWithSavepointAt(time: number): Promise<SavepointFile | undefined> {
    while (this.isLive) {
      while (this.isLive) {
        // Once a savepoint of the stop completed (a crash struck just after), no new stop is taken.
        const limit = this.stopSavepoint === undefined ? time : Number.POSITIVE_INFINITY;
        const move = await this.guarded(() => this.move(limit, false));
        if (move === 'limit') break;
      }
      if (!this.isLive) break;
      if (this.phase === 'running') await this.guarded(() => this.stop());
    }
    return this.phase === 'stopped' ? this.stopSavepoint : undefined;
  }

  private get isLive(): boolean {
    return this.phase === 'running' || this.phase === 'final';
  }

  /** Runs `work`; a failure goes to the restart strategy. */
  private async guarded<T>(work: () => Promise<T>): Promise<T | 'moved'> {
    try {
      return await work();
    } catch (e) {
      await this.onFailure(e);
      return 'moved';
    }
  }

  /** One move of the state machine: a step (with its I/O), entering or leaving the final checkpoint. */
  private async move(until: number, limitFinal: boolean): Promise<Move> {
    const job = this.job;
    const s = job.scheduler;
    if (this.phase === 'running') {
      if (job.isFinished) return this.enterFinal();
      if (s.nextEventTime > until) return 'limit';
      this.crashes.strikeBefore(s.nextEventTime);
      if (!s.step()) return this.enterFinal();
      await this.fulfil();
      return 'stepped';
    }
    // The final checkpoint (Flink's, FLIP-147): exactly-once sinks pre-commit their last records
    // at its barrier and commit when it completes, so a crash during the end of the input replays
    // it without committing anything twice.
    if (this.completed === this.finalFrom && (job.ioRequests.length > 0 || job.checkpointsInProgress > 0)) {
      if (job.ioRequests.length > 0) {
        await this.fulfil();
        return 'moved';
      }
      if (limitFinal && s.nextEventTime > until) return 'limit';
      if (s.step()) {
        await this.fulfil();
        return 'stepped';
      }
    }
    await this.fulfil();
    job.runToEnd();
    await this.fulfil();
    this.endAttempt('finished');
    return 'moved';
  }

  private enterFinal(): Move {
    this.phase = 'final';
    this.finalFrom = this.completed;
    this.job.triggerCheckpoint();
    return 'moved';
  }

  /** Takes the stop's savepoint and stops, whether or not it could be completed. */
  private async stop(): Promise<'moved'> {
    const job = this.job;
    this.stopId = job.triggerCheckpoint();
    while (this.stopSavepoint === undefined && (job.ioRequests.length > 0 || job.scheduler.step())) await this.fulfil();
    this.endAttempt('stopped');
    return 'moved';
  }

  /** Triggers a checkpoint and runs until it is settled; the snapshot if it completed. */
  private async awaitCheckpoint(): Promise<JobSnapshot | undefined> {
    if (!this.isLive) return undefined;
    const attempt = this.attemptNo;
    const awaited: { readonly id: number; outcome?: 'completed' | 'failed'; snapshot?: JobSnapshot } = { id: this.job.triggerCheckpoint() };
    this.awaited = awaited;
    try {
      await this.guarded(async () => {
        const job = this.job;
        while (awaited.outcome === undefined) {
          if (job.ioRequests.length > 0) await this.fulfil();
          else if (!job.isCheckpointPending(awaited.id) || !job.scheduler.step()) break;
        }
      });
    } finally {
      this.awaited = undefined;
    }
    return attempt === this.attemptNo && awaited.outcome === 'completed' ? awaited.snapshot : undefined;
  }

  /** Builds and starts (or restores) the next attempt's job (attempt-start.ts). */
  private async startAttempt(): Promise<void> {
    const o = this.options;
    const attempt = ++this.attemptNo;
    const { job, pipeline } = await buildAttemptJob(this.build, o, this.trace);
    this.job = job;
    this.pipeline = pipeline;
    this.phase = 'running';
    const latest = (await this.writer.list())[0];
    const skipTo = o.recovery === 'skipAhead' ? this.skipTo : undefined;
    const plain = this.plainStart;
    this.plainStart = false;
    this.restored = await beginAttempt(job, o, { attempt, latest, skipTo, plain }, this.trace);
    this.startedAt = job.scheduler.now;
  }

  /** The attempt ended without a failure: its records are kept. */
  private endAttempt(phase: 'finished' | 'stopped'): void {
    this.keepRecordsOfAttempt();
    this.phase = phase;
  }

  /** Keeps what the ending attempt's sinks collected (a loop: spreading millions of records overflows the stack). */
  private keepRecordsOfAttempt(): void {
    for (const record of this.pipeline.records) this.past.push(record);
  }

  /** A failure: traced, recorded, and the job restarted as the strategy (or the crash) says. */
  private async onFailure(e: unknown): Promise<void> {
    const job = this.job;
    const attempt = this.attemptNo;
    const reason = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    const pt = job.scheduler.now;
    this.trace?.({ type: 'jobCrashed', pt, attempt, reason });
    this.failureList.push({ attempt, reason, pt, error: e });
    this.keepRecordsOfAttempt();
    // The stop's savepoint completed before the crash: the stop succeeded (Flink reports the
    // savepoint); the job does not run on past the stop.
    if (this.stopSavepoint !== undefined) {
      this.phase = 'stopped';
      return;
    }
    if (this.options.recovery === 'skipAhead') this.skipTo = job.snapshot(0);
    this.wall += pt - this.startedAt;
    this.failureWallTimes.push(this.wall);
    const decision = e instanceof InjectedCrash ? { restart: true, delay: 0 } : nextRestart(this.restart, this.failureWallTimes);
    if (!decision.restart) {
      this.phase = 'failed';
      this.failure = { reason, error: e };
      return;
    }
    this.wall += decision.delay;
    this.downtimeMs += decision.delay;
    await this.startAttempt();
  }

  /** Fulfils the job's I/O requests in order; a crash may strike between any two. */
  private async fulfil(): Promise<void> {
    const job = this.job;
    while (job.ioRequests.length > 0) await this.perform(job, job.ioRequests.shift()!);
  }

  private async perform(job: Job, r: IoRequest): Promise<void> {
    switch (r.kind) {
      case 'persistCheckpoint': {
        let written: Awaited<ReturnType<CheckpointWriter['write']>>;
        // A savepoint is made of a stop's or an awaited checkpoint: it keeps its bytes. Any other
        // hands them over (the store worker's RPC transfers binary chunks instead of copying them).
        const keepsBytes = r.snapshot.checkpointId === this.stopId || this.awaited?.id === r.snapshot.checkpointId;
        try {
          written = await this.writer.write(r.snapshot, () => this.crashes.reach('midSnapshotWrite'), !keepsBytes);
        } catch (e) {
          if (e instanceof InjectedCrash) throw e;
          job.failCheckpoint(r.snapshot.checkpointId, e instanceof Error ? `${e.name}: ${e.message}` : String(e));
          if (this.awaited?.id === r.snapshot.checkpointId) this.awaited.outcome = 'failed';
          return;
        }
        const s = written.snapshot;
        this.completed++;
        // Savepoints are full and self-contained: an incremental checkpoint is folded first.
        const isStop = s.checkpointId === this.stopId;
        const isAwaited = this.awaited?.id === s.checkpointId;
        const full = isStop || isAwaited ? await this.writer.fullSnapshot(s, written.manifest) : s;
        if (isStop) this.stopSavepoint = toSavepointFile(this.options.jobId, full);
        if (isAwaited) Object.assign(this.awaited!, { outcome: 'completed', snapshot: full });
        await this.writer.prune();
        job.completeCheckpoint(s);
        this.crashes.reach('afterCheckpointComplete');
        return;
      }
      default:
        return this.sinks.perform(r, job.scheduler.now);
    }
  }
}
