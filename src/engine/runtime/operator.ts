// The contract between the runtime and an operator, after Arroyo's ArrowOperator and Flink's
// StreamOperator: lifecycle callbacks driven by one subtask host, which owns the clocks,
// timers, state and output. An operator never sees channels, queues or other subtasks.

import type { IoQueue } from '../checkpoint/io-request.ts';
import type { StateDescriptors } from '../checkpoint/state-descriptors.ts';
import type { JsonValue } from '../connectors/partition-reader.ts';
import type { Random } from '../random/random.ts';
import type { KeyedStateBackend } from '../state/state-backend.ts';
import type { Timer, TimerService } from '../time/timer-service.ts';
import type { TraceEvent } from '../trace/trace-event.ts';
import type { Key, RecordBatch, WindowedMeta } from './record-batch.ts';

/** Where an operator's results go. Records are batched and routed after each callback. */
export interface Output {
  emit(value: unknown, timestamp: number, key?: Key, meta?: WindowedMeta): void;
  /** Emits a whole batch (after anything emitted before it). The batch must not be changed afterwards. */
  emitBatch(batch: RecordBatch): void;
  /** Emits to a side output, read downstream with `getSideOutput(tag)`. */
  emitSide(tag: string, value: unknown, timestamp: number, key?: Key): void;
}

/** What the host gives an operator. */
export interface OperatorContext {
  readonly operatorName: string;
  readonly subtask: number;
  readonly parallelism: number;
  readonly output: Output;
  readonly timers: TimerService;
  readonly state: KeyedStateBackend;
  readonly random: Random;
  /** The combined input watermark (minimum over input channels). */
  watermark(): number;
  /** The last watermark this subtask forwarded downstream. */
  outputWatermark(): number;
  processingTime(): number;
  /** Counts a record the operator dropped (late, or for a closed window); shown in the metrics. */
  countDropped(): void;
  /** Asks durable storage for something (sinks' writes and transactions); see checkpoint/io-request.ts. */
  readonly io: IoQueue;
  /** True when tracing is on; check before building a trace event on a hot path. */
  readonly tracing: boolean;
  trace(event: TraceEvent): void;
}

/** A streaming operator, hosted by one subtask. */
export interface Operator {
  open(ctx: OperatorContext): void;
  /** A batch arrived on logical input `input` (0, or 1 for the second input of a two-input operator). */
  processBatch(batch: RecordBatch, input: number): void;
  /** A timer of this subtask fired. */
  onTimer(timer: Timer): void;
  /**
   * For operators that leave timers of discarded state queued (window panes): false for such a
   * stale timer, which is then neither traced nor delivered.
   */
  isTimerLive?(timer: Timer): boolean;
  /** The input watermark advanced to `watermark`; due event-time timers have already fired. */
  onWatermark?(watermark: number): void;
  /** Every input ended (after the final watermark). */
  finish?(): void;
  /**
   * Called when this subtask takes part in checkpoint `checkpointId`, after its keyed state and
   * timers were captured by the host: returns whatever else the operator must remember (a sink's
   * pre-committed transactions, say), as JSON-compatible data.
   */
  snapshotState?(checkpointId: number): JsonValue;
  /** Called on a fresh operator before it runs again, with what snapshotState returned. */
  restoreState?(state: JsonValue, checkpointId: number): void;
  /**
   * Per state name, the kind of function that keeps it (checkpoint/state-descriptors.ts): what
   * it knows when built and what was declared since. Recorded in snapshots; a savepoint restore
   * compares them.
   */
  stateDescriptors?(): StateDescriptors;
  /**
   * A restore: the kinds the snapshot recorded for operator `uid`, to check state declared later
   * against; `ttlRecorded`: the kinds say which keyed states had a TTL (subtask-snapshot.ts).
   */
  restoreStateDescriptors?(restored: StateDescriptors, uid: string, ttlRecorded: boolean): void;
  /** Checkpoint `checkpointId` completed: everything before its barrier is durable (two-phase commit commits here). */
  notifyCheckpointComplete?(checkpointId: number): void;
}
