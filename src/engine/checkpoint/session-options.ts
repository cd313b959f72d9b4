// What a durable session is opened with and reports (durable-session.ts): its options, crash
// plans, recovery modes, the limits of one `advance` and its result. Plain data only, so the
// worker host can pass these across its boundary as they are.

import type { TraceEvent } from '../trace/trace-event.ts';
import type { TestStreamSpec } from '../connectors/test-stream.ts';
import type { CheckpointMode } from './checkpoint-coordinator.ts';
import type { DurableStore } from './durable-store.ts';
import type { IncrementalPolicy } from '../state/incremental-policy.ts';
import type { RestartStrategy } from './restart-strategy.ts';
import type { RestoreOptions, SavepointFile } from './savepoint.ts';

/** Where crashes strike. Each listed crash strikes once. */
export interface CrashPlan {
  /** When the processing clock first reaches each of these times. */
  readonly atProcessingTimes?: readonly number[];
  /** At the n-th time a named phase is reached (1 = the first time). */
  readonly phases?: readonly { readonly phase: CrashPhase; readonly occurrence: number }[];
}

/**
 * Named moments: `midSnapshotWrite` (checkpoint parts written, manifest not yet: a torn
 * checkpoint), `afterPreCommit` (a sink staged a transaction, its commit has not happened),
 * `afterCheckpointComplete` (just after a checkpoint became complete).
 */
export type CrashPhase = 'midSnapshotWrite' | 'afterPreCommit' | 'afterCheckpointComplete';

/**
 * How a job recovers: `replay` restores the newest complete checkpoint (state and source
 * offsets) and replays from there; `skipAhead` is at-most-once, as a job without checkpoints
 * whose sources commit their read offsets: state starts empty and sources continue from where
 * they had read at the crash, so what was in flight is lost and nothing is repeated. Skipping
 * ahead needs the crashed job's positions, so it applies to restarts inside a session; a
 * session resumed in a new process replays.
 */
export type RecoveryMode = 'replay' | 'skipAhead';

export interface SessionOptions {
  readonly store: DurableStore;
  /** Names this job's checkpoints in the store. */
  readonly jobId: string;
  readonly seed?: number;
  readonly input?: TestStreamSpec<unknown>;
  /** Processing time between periodic checkpoints; null takes none (checkpointNow, savepoints and the final checkpoint still work). */
  readonly checkpointInterval: number | null;
  /** Aligned (default) or unaligned barriers. */
  readonly checkpointMode?: CheckpointMode;
  /**
   * Abort a checkpoint not complete this many ms of processing time after its trigger (Flink's
   * checkpoint timeout; none by default). The job runs on; later checkpoints are taken as usual.
   */
  readonly checkpointTimeout?: number;
  /** Virtual ms of processing time per record, by operator uid or name (see JobOptions.processingCost). */
  readonly processingCost?: Readonly<Record<string, number>>;
  /**
   * Incremental checkpoints (docs/durability.md): each subtask's keyed state is written as a
   * delta on the previous completed checkpoint when that pays, full again under the compaction
   * rule (`true`: DEFAULT_INCREMENTAL_POLICY, up to 7 deltas per full part, full when half the
   * entries changed). Savepoints stay full. Default false, as Flink's: every checkpoint is then
   * self-contained, and the small state of a lesson gains little.
   */
  readonly incremental?: boolean | IncrementalPolicy;
  /** How many completed checkpoints to keep. Default 3. */
  readonly keepCheckpoints?: number;
  readonly recovery?: RecoveryMode;
  /** Crashes the session injects itself (the job object is thrown away and rebuilt from the store). */
  readonly crashes?: CrashPlan;
  readonly restart?: RestartStrategy;
  readonly onTrace?: (e: TraceEvent) => void;
  /** Start from a savepoint instead of from the beginning (the pipeline may have changed). */
  readonly fromSavepoint?: { readonly file: SavepointFile; readonly options?: RestoreOptions };
  /**
   * - `false`: a fresh start. What the store holds of an earlier run of this job id (its
   *   checkpoints, and its sinks' records) is deleted first, so nothing stale is restored or shown.
   * - `true`: a previous process running this job was killed: restore the newest complete
   *   checkpoint (traced `jobRestored` with `attempt`), or the savepoint, or start over (traced
   *   `jobRestored` with checkpoint null).
   * - `'continue'`: restore the newest complete checkpoint if there is one, else start as new,
   *   deleting nothing (runDurable's start: a run continued in segments on one store).
   */
  readonly resume: boolean | 'continue';
  /** The attempt number this session starts with (a resumed one: the killed process's + 1). Default 1. */
  readonly attempt?: number;
}

/** How far `advance` may go. */
export interface AdvanceLimit {
  /** At most this many scheduler steps (one queued element or one timed event each). */
  readonly maxSteps?: number;
  /** Run no event whose processing time is after this; the clock stays at the last event run. */
  readonly untilTime?: number;
}

export interface AdvanceResult {
  /** The processing clock. */
  readonly pt: number;
  readonly finished: boolean;
  /** Scheduler steps taken by this call (over restarts, if any). */
  readonly steps: number;
}

/** One failure of an attempt, with the error itself (a UserCodeError keeps the user's stack). */
export interface SessionFailure {
  readonly attempt: number;
  readonly reason: string;
  readonly pt: number;
  readonly error: unknown;
}
