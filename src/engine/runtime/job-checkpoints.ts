// When a job's checkpoints happen, as Flink's CheckpointCoordinator decides it: a periodic
// trigger on processing time, a timeout that aborts a slow one, and the completions and failures
// a driver reports. How tasks take part is checkpoint-tasks.ts. Invariant: ids grow by one per
// trigger, and the next periodic trigger is scheduled before the current one is taken, so a
// snapshot remembers the next one, never itself.

import type { CheckpointCoordinator, CheckpointMode } from '../checkpoint/checkpoint-coordinator.ts';
import { checkpointKind, snapshotSize, type JobSnapshot } from '../checkpoint/job-snapshot.ts';
import type { TraceEvent } from '../trace/trace-event.ts';
import { EventClass, type Scheduler } from './scheduler.ts';

/** What the checkpoint clock needs of its job. */
export interface CheckpointedJob {
  readonly scheduler: Scheduler;
  readonly trace: ((e: TraceEvent) => void) | undefined;
  readonly isFinished: () => boolean;
  /** Makes the coordinator, with every task registered (called at the first checkpoint). */
  readonly connect: () => CheckpointCoordinator;
  /** The parts the job takes itself when a checkpoint starts (alignment groups, its clocks). */
  readonly jobParts: () => { name: string; data: string }[];
  /** Every operator subtask is told of a completed checkpoint (sinks commit). */
  readonly notifyComplete: (checkpointId: number) => void;
}

/** The job's clocks as a snapshot's `job` part keeps them (with the metrics clock beside). */
export interface CheckpointClock {
  readonly nextCheckpointAt: number;
  readonly nextCheckpointId: number;
}

/** A job's checkpoint trigger, timeout and coordinator. */
export class JobCheckpoints {
  private interval = 0;
  private timeout = 0;
  private nextAt = Number.POSITIVE_INFINITY;
  private nextId = 1;
  private coordinator: CheckpointCoordinator | undefined;
  private mode: CheckpointMode = 'aligned';

  constructor(private readonly job: CheckpointedJob) {}

  /** Takes a checkpoint every `interval` ms of processing time. Before start() or restore(). */
  enable(interval: number): void {
    if (!(interval > 0) || !Number.isFinite(interval)) throw new RangeError(`checkpoint interval must be a positive number of ms, got ${interval}`);
    this.interval = interval;
  }

  /** Aborts a checkpoint not complete `timeout` ms after its trigger. Before start() or restore(). */
  expireAfter(timeout: number): void {
    if (!(timeout > 0) || !Number.isFinite(timeout)) throw new RangeError(`checkpoint timeout must be a positive number of ms, got ${timeout}`);
    this.timeout = timeout;
  }

  /** Aligned (the default) or unaligned; not while a checkpoint is in progress. */
  setMode(mode: CheckpointMode): void {
    if (this.coordinator !== undefined && this.coordinator.inProgress > 0) throw new Error('the checkpoint mode cannot change while a checkpoint is in progress');
    this.mode = mode;
    if (this.coordinator !== undefined) this.coordinator.mode = mode;
  }

  /** The first periodic trigger, one interval from now (a fresh start, or a restore without the job's clocks). */
  start(): void {
    if (this.interval > 0) this.schedule(this.job.scheduler.now + this.interval);
  }

  /** Continues the clocks a snapshot kept. */
  resume(clock: CheckpointClock): void {
    this.nextId = clock.nextCheckpointId;
    if (this.interval > 0 && clock.nextCheckpointAt !== Number.POSITIVE_INFINITY) this.schedule(clock.nextCheckpointAt);
  }

  /** The clocks for a snapshot. */
  clock(): CheckpointClock {
    return { nextCheckpointAt: this.nextAt, nextCheckpointId: this.nextId };
  }

  get inProgress(): number {
    return this.coordinator?.inProgress ?? 0;
  }

  isPending(id: number): boolean {
    return this.coordinator?.isPending(id) ?? false;
  }

  /** Starts checkpoint `id` now (see Job.triggerCheckpoint); returns its id. */
  trigger(): number {
    const id = this.nextId++;
    const { scheduler, trace } = this.job;
    trace?.({ type: 'checkpointTriggered', pt: scheduler.now, checkpointId: id });
    this.connected().trigger(id, this.job.jobParts());
    if (this.timeout > 0 && this.connected().isPending(id)) {
      // Entity -1: an expiry runs before a checkpoint triggered at the same time.
      scheduler.at(scheduler.now + this.timeout, () => this.expire(id), EventClass.checkpoints, -1);
    }
    return id;
  }

  /** The driver persisted the checkpoint: it is complete, and operators are told. */
  complete(snapshot: JobSnapshot): void {
    this.job.trace?.({
      type: 'checkpointCompleted',
      pt: this.job.scheduler.now,
      checkpointId: snapshot.checkpointId,
      size: snapshotSize(snapshot),
      subtasks: snapshot.parts.length,
      ...checkpointKind(snapshot),
    });
    this.job.notifyComplete(snapshot.checkpointId);
  }

  /** The driver could not persist checkpoint `id`; the job keeps running on its last good one. */
  fail(id: number, reason: string): void {
    this.job.trace?.({ type: 'checkpointFailed', pt: this.job.scheduler.now, checkpointId: id, reason });
  }

  private connected(): CheckpointCoordinator {
    if (this.coordinator !== undefined) return this.coordinator;
    this.coordinator = this.job.connect();
    this.coordinator.mode = this.mode;
    return this.coordinator;
  }

  private schedule(at: number): void {
    this.nextAt = at;
    this.job.scheduler.at(at, this.tick, EventClass.checkpoints, 0);
  }

  private readonly tick = (): void => {
    if (this.job.isFinished()) return;
    // The next one is scheduled first, so the snapshot remembers it (and not this one).
    this.schedule(this.job.scheduler.now + this.interval);
    this.trigger();
  };

  private expire(id: number): void {
    const c = this.connected();
    if (!c.isPending(id)) return;
    const reason = `Checkpoint expired before completing (timeout after ${this.timeout} ms).`;
    this.job.trace?.({ type: 'checkpointFailed', pt: this.job.scheduler.now, checkpointId: id, reason, expired: true });
    c.abort(id);
  }
}
