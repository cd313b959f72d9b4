// The checkpoint coordinator (Flink's CheckpointCoordinator, in miniature): starts checkpoint n
// at every task, collects each task's acknowledgement with its state, and once every task has
// acknowledged raises the snapshot for the driver to persist. It never looks at channels: the
// consistent cut comes from the barriers the sources inject and the operator subtasks align
// (runtime/barrier-aligner.ts), so it holds even when records are in flight at the trigger.
//
// A checkpoint that is not complete within the timeout is aborted (Flink's CHECKPOINT_EXPIRED):
// its partial state is dropped, tasks release what waits for its barriers, acknowledgements that
// still come for it are ignored, and later checkpoints go on (Flink tolerates failed checkpoints).
//
// Parts keep a fixed order, the order tasks registered in (the job registers operator subtasks
// in plan order, then sources), followed by the parts the job takes itself at the trigger
// (alignment groups, the job's clocks): the same order as Job.snapshot(), so a checkpoint taken
// with barriers at a quiescent moment is byte for byte the one taken directly.

import type { IncrementalPolicy } from '../state/incremental-policy.ts';
import type { TraceEvent } from '../trace/trace-event.ts';
import type { JobSnapshot } from './job-snapshot.ts';
import { partSize, type PartData } from './part-data.ts';

/**
 * How operator subtasks align barriers. `aligned` (the default): a channel whose barrier
 * arrived is blocked until every channel's has; the snapshot holds no in-flight data.
 * `unaligned`: the first barrier is forwarded at once and the records it overtook are stored
 * with the snapshot as channel state.
 */
export type CheckpointMode = 'aligned' | 'unaligned';

/** What a task sees of the coordinator: the mode, and where to acknowledge. */
export interface CheckpointAcks {
  readonly mode: CheckpointMode;
  /** Task `task` took part in checkpoint `checkpointId`; `data` is its encoded state. */
  acknowledge(task: number, checkpointId: number, data: PartData): void;
  /** Checkpoints in progress that `task` has not acknowledged yet, oldest first. */
  awaiting(task: number): number[];
}

/** Where the coordinator reports to (the job). */
export interface CoordinatorEnv {
  readonly seed: number;
  readonly trace: ((e: TraceEvent) => void) | undefined;
  /** The processing clock. */
  now(): number;
  /** Every task acknowledged: the checkpoint is ready to be persisted. */
  persist(snapshot: JobSnapshot): void;
  /** Incremental checkpoints: subtasks' keyed state may snapshot deltas under this rule. */
  readonly incremental?: IncrementalPolicy | undefined;
}

interface Task {
  readonly part: string;
  readonly operator: string;
  readonly subtask: number;
  readonly onTrigger: (checkpointId: number) => void;
  readonly onAbort: ((checkpointId: number) => void) | undefined;
  /** The checkpoint this task's part of `checkpointId` is a delta on, if it is one. */
  readonly deltaBase: ((checkpointId: number) => number | undefined) | undefined;
}

interface Pending {
  readonly time: number;
  readonly data: (PartData | undefined)[];
  readonly extra: readonly { readonly name: string; readonly data: PartData }[];
  missing: number;
}

/**
 * Tracks checkpoints from trigger to the last acknowledgement.
 * @example
 * const c = new CheckpointCoordinator(env);
 * const t = c.register('map#0', 'map', 0, (id) => subtask.checkpointTriggered(id));
 * c.trigger(1, [{ name: 'job', data: '{}' }]); // the tasks acknowledge; then env.persist(snapshot)
 */
export class CheckpointCoordinator implements CheckpointAcks {
  mode: CheckpointMode = 'aligned';
  private readonly tasks: Task[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly aborted = new Set<number>();

  constructor(private readonly env: CoordinatorEnv) {}

  /**
   * Adds a task; returns its number. `part` names its state in the snapshot; `onTrigger` runs
   * when a checkpoint starts (sources snapshot and inject barriers, finished subtasks acknowledge).
   */
  register(
    part: string,
    operator: string,
    subtask: number,
    onTrigger: (checkpointId: number) => void,
    onAbort?: (checkpointId: number) => void,
    deltaBase?: (checkpointId: number) => number | undefined,
  ): number {
    if (this.pending.size > 0) throw new Error('tasks cannot join while a checkpoint is in progress');
    this.tasks.push({ part, operator, subtask, onTrigger, onAbort, deltaBase });
    return this.tasks.length - 1;
  }

  /** How many checkpoints are in progress (triggered, not every task acknowledged). */
  get inProgress(): number {
    return this.pending.size;
  }

  /** Whether checkpoint `checkpointId` was triggered and not every task has acknowledged it yet. */
  isPending(checkpointId: number): boolean {
    return this.pending.has(checkpointId);
  }

  /**
   * Starts checkpoint `checkpointId` now. `extra` are parts taken by the job itself at this
   * moment; they follow the tasks' parts in the snapshot. Tasks are told in registration order.
   */
  trigger(checkpointId: number, extra: readonly { readonly name: string; readonly data: PartData }[]): void {
    if (this.pending.has(checkpointId)) throw new Error(`checkpoint ${checkpointId} is already in progress`);
    const p: Pending = { time: this.env.now(), data: new Array<string | undefined>(this.tasks.length), extra, missing: this.tasks.length };
    this.pending.set(checkpointId, p);
    if (p.missing === 0) this.complete(checkpointId, p);
    for (const t of this.tasks) t.onTrigger(checkpointId);
  }

  /**
   * Aborts checkpoint `checkpointId` if it is in progress (it expired): its partial state is
   * dropped and every task is told, in registration order. Returns whether it was in progress.
   */
  abort(checkpointId: number): boolean {
    if (!this.pending.delete(checkpointId)) return false;
    this.aborted.add(checkpointId);
    for (const t of this.tasks) t.onAbort?.(checkpointId);
    return true;
  }

  acknowledge(task: number, checkpointId: number, data: PartData): void {
    if (this.aborted.has(checkpointId)) return;
    const p = this.pending.get(checkpointId);
    const t = this.tasks[task];
    if (p === undefined || t === undefined) throw new Error(`task ${task} acknowledged checkpoint ${checkpointId}, which is not in progress`);
    if (p.data[task] !== undefined) throw new Error(`${t.part} acknowledged checkpoint ${checkpointId} twice`);
    p.data[task] = data;
    p.missing--;
    this.env.trace?.({
      type: 'checkpointAcknowledged',
      pt: this.env.now(),
      operator: t.operator,
      subtask: t.subtask,
      checkpointId,
      size: partSize(data),
    });
    if (p.missing === 0) this.complete(checkpointId, p);
  }

  awaiting(task: number): number[] {
    const ids: number[] = [];
    for (const [id, p] of this.pending) if (p.data[task] === undefined) ids.push(id);
    return ids.sort((a, b) => a - b);
  }

  private complete(checkpointId: number, p: Pending): void {
    this.pending.delete(checkpointId);
    const parts = this.tasks.map((t, i) => ({ name: t.part, data: p.data[i]! }));
    parts.push(...p.extra);
    if (this.env.incremental === undefined) {
      this.env.persist({ version: 1, checkpointId, time: p.time, seed: this.env.seed, parts });
      return;
    }
    const deltas: { part: string; base: number }[] = [];
    for (const t of this.tasks) {
      const base = t.deltaBase?.(checkpointId);
      if (base !== undefined) deltas.push({ part: t.part, base });
    }
    this.env.persist({ version: 1, checkpointId, time: p.time, seed: this.env.seed, parts, deltas });
  }
}
