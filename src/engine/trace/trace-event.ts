// The trace: a typed record of everything the engine did and when. Visualizations, lesson
// checks, tests and the command line all read it, so every event carries the processing time
// `pt` at which it happened and names the operator and subtask involved.

import type { Key } from '../runtime/record-batch.ts';
import type { PaneInfo } from '../windows/pane-info.ts';
import type { Window } from '../windows/window.ts';

interface At {
  /** Processing time at which this happened. */
  readonly pt: number;
}

interface AtSubtask extends At {
  readonly operator: string;
  readonly subtask: number;
}

/** Why a record was not put into a window. */
export type DropReason =
  /** Every window of the record had expired: end + allowed lateness <= watermark. */
  | 'windowExpired'
  /** The window's trigger had finished (Beam closes the window after a final pane). */
  | 'windowClosed'
  /** Behind the watermark in an operator without windows (an interval join drops timestamp < W). */
  | 'late';

export type TraceEvent =
  | (At & { readonly type: 'jobStarted'; readonly seed: number; readonly operators: readonly OperatorInfo[] })
  | (At & {
      readonly type: 'recordArrived';
      readonly source: string;
      readonly partition: number;
      readonly offset: number;
      readonly eventTime: number;
      readonly arrival: number;
    })
  | (At & { readonly type: 'sourceWatermark'; readonly source: string; readonly partition: number; readonly watermark: number })
  | (At & { readonly type: 'partitionIdle'; readonly source: string; readonly partition: number })
  | (At & { readonly type: 'partitionActive'; readonly source: string; readonly partition: number })
  | (At & {
      readonly type: 'partitionPaused';
      readonly source: string;
      readonly partition: number;
      readonly watermark: number;
      readonly groupMin: number;
    })
  | (At & { readonly type: 'partitionResumed'; readonly source: string; readonly partition: number })
  | (AtSubtask & { readonly type: 'channelWatermark'; readonly channel: number; readonly watermark: number })
  | (AtSubtask & { readonly type: 'watermarkAdvanced'; readonly watermark: number })
  | (AtSubtask & {
      readonly type: 'recordDropped';
      readonly reason: DropReason;
      readonly key: Key | undefined;
      readonly eventTime: number;
      readonly watermark: number;
      readonly windows: readonly Window[];
    })
  | (AtSubtask & {
      readonly type: 'recordLate';
      readonly key: Key | undefined;
      readonly eventTime: number;
      readonly watermark: number;
      readonly sideOutput: string;
    })
  | (AtSubtask & {
      readonly type: 'paneFired';
      readonly key: Key | undefined;
      readonly window: Window;
      readonly pane: PaneInfo;
      readonly value: unknown;
      readonly timestamp: number;
      readonly watermark: number;
      readonly retraction: boolean;
      readonly elements: number;
    })
  | (AtSubtask & { readonly type: 'windowMerged'; readonly key: Key | undefined; readonly merged: readonly Window[]; readonly into: Window })
  | (AtSubtask & { readonly type: 'windowExpired'; readonly key: Key | undefined; readonly window: Window })
  | (AtSubtask & {
      readonly type: 'timerSet';
      readonly key: Key | undefined;
      readonly domain: 'eventTime' | 'processingTime';
      readonly time: number;
      readonly window?: Window;
    })
  | (AtSubtask & {
      readonly type: 'timerFired';
      readonly key: Key | undefined;
      readonly domain: 'eventTime' | 'processingTime';
      readonly time: number;
      readonly window?: Window;
    })
  | (AtSubtask & { readonly type: 'stateUpdated'; readonly key: Key | undefined; readonly state: string; readonly entries: number })
  | (At & {
      readonly type: 'sinkRecord';
      readonly sink: string;
      /** The sink subtask that wrote it (an exactly-once sink's transactions are per subtask). */
      readonly subtask?: number;
      readonly key?: Key;
      readonly value: unknown;
      readonly timestamp: number;
      readonly window?: Window;
      readonly pane?: PaneInfo;
    })
  /**
   * An exactly-once sink pre-committed (staged) a transaction, phase one of two-phase commit, at
   * a checkpoint's barrier: its records are in the external store, invisible to readers.
   */
  | (At & { readonly type: 'sinkPreCommitted'; readonly sink: string; readonly transaction: string; readonly records: number })
  /**
   * An exactly-once sink committed a transaction (its checkpoint completed): its records became
   * visible to readers. `records` is left out when this process did not stage it (a restored job
   * commits what its checkpoint lists; the store ignores a commit of what it already committed).
   */
  | (At & { readonly type: 'sinkCommitted'; readonly sink: string; readonly transaction: string; readonly records?: number })
  | (At & { readonly type: 'metrics'; readonly subtasks: readonly SubtaskMetrics[] })
  | (At & { readonly type: 'checkpointTriggered'; readonly checkpointId: number })
  /** A source subtask recorded its position and sent `barrier(checkpointId)` on every output channel. */
  | (At & { readonly type: 'barrierInjected'; readonly source: string; readonly subtask: number; readonly checkpointId: number })
  /**
   * A barrier reached an operator subtask on input `channel`: when it was taken from the inbox
   * (aligned checkpoints), or as it arrived, ahead of the queued input (unaligned ones).
   */
  | (AtSubtask & { readonly type: 'barrierReceived'; readonly channel: number; readonly checkpointId: number })
  | (AtSubtask & {
      /** Every input channel that has not ended has delivered `barrier(checkpointId)`. */
      readonly type: 'barrierAligned';
      readonly checkpointId: number;
      /** Records that arrived behind a barrier and waited, unprocessed, for the others (aligned). */
      readonly blockedRecords: number;
      /** Unaligned: in-flight records stored with the snapshot as channel state. */
      readonly channelStateRecords?: number;
    })
  /** A subtask (or source) took part in a checkpoint: its state of `size` characters is with the coordinator. */
  | (AtSubtask & { readonly type: 'checkpointAcknowledged'; readonly checkpointId: number; readonly size: number })
  | (At & {
      readonly type: 'checkpointCompleted';
      readonly checkpointId: number;
      /** Characters of JSON written. */
      readonly size: number;
      readonly subtasks: number;
      /** Incremental checkpoints: `incremental` when some part was written as a delta on an earlier checkpoint. */
      readonly kind?: 'full' | 'incremental';
      /** Incremental checkpoints: characters a restore of it reads (its own parts and the earlier parts its deltas build on). */
      readonly fullSize?: number;
    })
  | (At & {
      readonly type: 'checkpointFailed';
      readonly checkpointId: number;
      readonly reason: string;
      /**
       * Set when the coordinator aborted it because it did not complete within the checkpoint
       * timeout (Flink's CHECKPOINT_EXPIRED); its partial state was discarded. Absent when the
       * store could not persist it.
       */
      readonly expired?: true;
    })
  | (At & {
      readonly type: 'jobCrashed';
      readonly attempt: number;
      readonly reason: string;
    })
  | (At & {
      readonly type: 'jobRestored';
      readonly attempt: number;
      /** The checkpoint restored, or null when no checkpoint had completed (the job starts over). */
      readonly checkpointId: number | null;
      /** Operators restored at another parallelism than the checkpoint's (their state redistributed by key group). */
      readonly rescaled?: readonly { readonly operator: string; readonly operatorId: string; readonly from: number; readonly to: number }[];
    })
  | (At & {
      readonly type: 'jobFinished';
      readonly watermark: number;
      /** Processing-time timers still pending: bounded input ends without firing them, as in Flink. */
      readonly abandonedProcessingTimers: number;
    });

export type TraceEventType = TraceEvent['type'];

/** An operator of the physical plan, as the trace and the dataflow graph show it. */
export interface OperatorInfo {
  readonly id: string;
  readonly name: string;
  readonly kind: 'source' | 'operator' | 'sink';
  readonly parallelism: number;
  readonly inputs: readonly { readonly from: string; readonly partitioning: string; readonly sideOutput?: string }[];
}

/** Counters of one subtask. */
export interface SubtaskMetrics {
  readonly operator: string;
  readonly subtask: number;
  readonly recordsIn: number;
  readonly recordsOut: number;
  readonly watermark: number;
  /** Records waiting in the subtask's input queue (back-pressure). */
  readonly queued: number;
  /** Records dropped so far (late data, closed windows); each is also traced as recordDropped. */
  readonly recordsDropped: number;
  readonly stateEntries: number;
  readonly timers: number;
}

/** Receives trace events as they happen. */
export interface TraceSink {
  emit(event: TraceEvent): void;
}
