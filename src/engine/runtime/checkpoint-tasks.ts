// Joins a job's subtasks to its checkpoint coordinator, as Flink's tasks join the
// CheckpointCoordinator: each operator subtask gets a task number for its barrier aligner, and
// each source a trigger that records its position, injects a barrier and acknowledges. Kept out
// of job.ts so the job only decides when checkpoints happen, not how tasks take part. With
// incremental checkpoints, every subtask's keyed state starts tracking its changes here, and the
// coordinator learns from it which parts are deltas.

import { CheckpointCoordinator, type CoordinatorEnv } from '../checkpoint/checkpoint-coordinator.ts';
import { encodePart } from '../checkpoint/part-data.ts';
import type { OperatorSubtask } from './operator-subtask.ts';
import type { SourceSubtask } from './source-subtask.ts';
import type { TestStreamSubtask } from './test-stream-subtask.ts';

/** A task and the name of its part in a snapshot. */
export interface CheckpointTaskEntry<T> {
  readonly part: string;
  readonly index: number;
  readonly task: T;
}

/**
 * A coordinator with every task registered: operator subtasks first, then sources, in the given
 * order, which is the order of the snapshot's parts.
 */
export function connectCheckpoints(
  env: CoordinatorEnv,
  subtasks: readonly CheckpointTaskEntry<OperatorSubtask>[],
  sources: readonly CheckpointTaskEntry<SourceSubtask | TestStreamSubtask>[],
): CheckpointCoordinator {
  const c = new CheckpointCoordinator(env);
  const policy = env.incremental;
  for (const { part, index, task: s } of subtasks) {
    const state = s.state;
    if (policy !== undefined) state.trackChanges?.(policy);
    const deltaBase = policy === undefined ? undefined : (id: number) => state.deltaBase?.(id);
    const task = c.register(part, s.operatorName, index, (id) => s.checkpointTriggered(id), (id) => s.checkpointAborted(id), deltaBase);
    s.attachCheckpoints(c, task);
  }
  for (const { part, index, task: s } of sources) {
    const task = c.register(part, s.sourceName, index, (id) => {
      // Its position now, then the barrier after everything it sent (none after end of input).
      const data = encodePart(s.snapshot());
      if (!s.isFinished) {
        env.trace?.({ type: 'barrierInjected', pt: env.now(), source: s.sourceName, subtask: index, checkpointId: id });
        s.output.emitBarrier(id);
      }
      c.acknowledge(task, id, data);
    });
  }
  return c;
}
