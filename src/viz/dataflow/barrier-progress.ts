// Barriers in flight: for a checkpoint triggered but not yet completed (or failed) at the
// playhead, how far each subtask has got with it. Invariant: a subtask's status only moves
// forward (waiting → injected/received → aligned → acknowledged) as the playhead does.

import type { CheckpointSpan, RunModel } from '../run-model.ts';
import { attemptAt } from '../metrics/sample-at.ts';
import { subtaskKey } from './graph-model.ts';

export type BarrierStatus = 'waiting' | 'injected' | 'received' | 'aligned' | 'acknowledged';

export interface SubtaskBarrier {
  readonly status: BarrierStatus;
  /** Barriers received so far, one per input channel (aligned once every channel delivered). */
  readonly channels: number;
}

export interface BarrierProgress {
  readonly checkpointId: number;
  readonly triggeredT: number;
  /** By `operatorId#subtask`; every subtask of the job is present. */
  readonly subtasks: ReadonlyMap<string, SubtaskBarrier>;
}

const RANK: Record<BarrierStatus, number> = { waiting: 0, injected: 1, received: 1, aligned: 2, acknowledged: 3 };

/** Checkpoints of the running attempt triggered by `playheadT` and not yet completed or failed then. */
export function checkpointsInFlight(model: RunModel, playheadT: number): CheckpointSpan[] {
  const attempt = attemptAt(model.attempts, playheadT)?.attempt;
  return model.checkpoints.filter(
    (c) =>
      c.attempt === attempt &&
      c.triggeredT <= playheadT &&
      !(c.completedT !== undefined && c.completedT <= playheadT) &&
      !(c.failedT !== undefined && c.failedT <= playheadT),
  );
}

/** Each subtask's progress with checkpoint `c` at `playheadT`. */
export function barrierProgress(model: RunModel, c: CheckpointSpan, playheadT: number): BarrierProgress {
  const idByName = new Map<string, string>();
  for (const o of model.operators) if (!idByName.has(o.name)) idByName.set(o.name, o.id);
  const subtasks = new Map<string, { status: BarrierStatus; channels: number }>();
  for (const o of model.operators) for (let s = 0; s < o.parallelism; s++) subtasks.set(subtaskKey(o.id, s), { status: 'waiting', channels: 0 });
  const raise = (operator: string, subtask: number, status: BarrierStatus) => {
    const id = idByName.get(operator);
    const entry = id === undefined ? undefined : subtasks.get(subtaskKey(id, subtask));
    if (!entry) return;
    if (status === 'received') entry.channels++;
    if (RANK[status] > RANK[entry.status] || (status === 'received' && entry.status === 'waiting')) entry.status = status;
  };
  for (const b of c.barriers) if (b.t <= playheadT) raise(b.operator, b.subtask, b.kind);
  for (const a of c.acks) if (a.t <= playheadT) raise(a.operator, a.subtask, 'acknowledged');
  return { checkpointId: c.id, triggeredT: c.triggeredT, subtasks };
}
