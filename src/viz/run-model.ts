// The page's copy of a run: trace deltas from the worker folded into plain arrays every panel
// reads. Panels never see the engine; they read a RunModel and a playhead. Invariant: the
// timeline time `t` only grows, across crashes too; a restored attempt's processing clock
// goes back to its checkpoint, so each attempt is shifted to start where the previous ended.

import type { PaneInfo } from '../engine/windows/pane-info.ts';
import type { Window } from '../engine/windows/window.ts';
import type { Key } from '../engine/runtime/record-batch.ts';
import type { DropReason, OperatorInfo, SubtaskMetrics, TraceEvent } from '../engine/trace/trace-event.ts';
import { RECORD_STRIDE, type TraceDelta } from '../worker/protocol.ts';
import { decodeEvents } from './delta-events.ts';
import { EventTimeIndex } from './event-time-index.ts';
import { GrowableColumns } from './growable-columns.ts';
import { SinkVisibility } from './sink-visibility.ts';

/** How a record fared: in its windows, late (to a side output or a late pane), or dropped. */
export const RecordStatus = { OnTime: 0, Late: 1, Dropped: 2 } as const;
export type RecordStatus = (typeof RecordStatus)[keyof typeof RecordStatus];

/** Columns of `RunModel.records`, one entry per sampled record arrival. */
export const RECORD_FIELDS = ['eventTime', 't', 'pt', 'source', 'partition', 'offset', 'attempt', 'status'] as const;

export interface Attempt {
  readonly attempt: number;
  /** Timeline time at which the attempt began. */
  readonly startT: number;
  /** Processing time the attempt's clock started from (a restored checkpoint's time). */
  readonly startPt: number;
  /** `t = pt + offset` for this attempt's events. */
  readonly offset: number;
  readonly restoredFrom: number | null;
  /** True when `restoredFrom` is a savepoint the run was started from, not one of its checkpoints. */
  readonly fromSavepoint?: boolean;
}

export interface PaneFiring {
  readonly t: number;
  readonly pt: number;
  readonly attempt: number;
  readonly operator: string;
  readonly subtask: number;
  readonly key: Key | undefined;
  readonly window: Window;
  readonly pane: PaneInfo;
  readonly value: unknown;
  readonly timestamp: number;
  readonly watermark: number;
  readonly retraction: boolean;
  readonly elements: number;
}

export interface WatermarkPoint {
  readonly t: number;
  readonly watermark: number;
}

export interface LateOrDropped {
  readonly t: number;
  readonly attempt: number;
  readonly operator: string;
  readonly key: Key | undefined;
  readonly eventTime: number;
  readonly watermark: number;
  /** `late` records went to a side output; dropped ones carry why. */
  readonly kind: 'late' | DropReason;
  readonly windows: readonly Window[];
  readonly sideOutput?: string;
}

export interface CheckpointSpan {
  readonly id: number;
  readonly attempt: number;
  readonly triggeredT: number;
  completedT?: number;
  failedT?: number;
  failure?: string;
  size?: number;
  /** An incremental checkpoint (some part a delta on an earlier one), and what a restore of it reads. */
  incremental?: boolean;
  fullSize?: number;
  readonly acks: { readonly t: number; readonly operator: string; readonly subtask: number; readonly size: number }[];
  readonly barriers: { readonly t: number; readonly operator: string; readonly subtask: number; readonly kind: 'injected' | 'received' | 'aligned' }[];
}

export interface CrashMark {
  readonly t: number;
  readonly attempt: number;
  readonly reason: string;
}

export interface RestoreMark {
  readonly t: number;
  readonly attempt: number;
  readonly checkpointId: number | null;
}

export interface SinkOutput {
  readonly t: number;
  readonly attempt: number;
  readonly sink: string;
  readonly key?: Key;
  readonly value: unknown;
  readonly timestamp: number;
  readonly window?: Window;
  readonly pane?: PaneInfo;
}

export interface MetricsSample {
  readonly t: number;
  /** The attempt that took the sample (counters start again in each attempt). */
  readonly attempt?: number;
  readonly subtasks: readonly SubtaskMetrics[];
}

/** A state or timer change, for the state inspector. */
export interface StateChange {
  readonly t: number;
  /** The attempt it happened in (a restore brings back the checkpoint's state, not this). */
  readonly attempt?: number;
  readonly operator: string;
  readonly subtask: number;
  readonly key: Key | undefined;
  readonly state: string;
  readonly entries: number;
}

export interface TimerChange {
  readonly t: number;
  readonly attempt?: number;
  readonly operator: string;
  readonly subtask: number;
  readonly key: Key | undefined;
  readonly domain: 'eventTime' | 'processingTime';
  readonly time: number;
  readonly window?: Window;
  readonly change: 'set' | 'fired';
}

/** Everything the panels know about one run (all attempts of one job). */
export class RunModel {
  operators: readonly OperatorInfo[] = [];
  /** Source names by the index used in `records.source`. */
  sources: readonly string[] = [];
  readonly attempts: Attempt[] = [];
  readonly records = new GrowableColumns(RECORD_FIELDS);
  /** Arrivals counted but not kept as dots. */
  recordsSkipped = 0;
  eventsCoalesced = 0;
  /** Watermark per `operator#subtask` (operators) and `source#partition` (sources). */
  readonly watermarks = new Map<string, WatermarkPoint[]>();
  readonly panes: PaneFiring[] = [];
  readonly lateAndDropped: LateOrDropped[] = [];
  readonly checkpoints: CheckpointSpan[] = [];
  readonly crashes: CrashMark[] = [];
  readonly restores: RestoreMark[] = [];
  readonly sinkOutput: SinkOutput[] = [];
  /** Which of `sinkOutput` readers of exactly-once sinks see, when (sink-visibility.ts). */
  readonly sinkVisibility = new SinkVisibility();
  readonly metrics: MetricsSample[] = [];
  readonly stateChanges: StateChange[] = [];
  readonly timerChanges: TimerChange[] = [];
  /** Indexes of records whose status was marked after they arrived, in marking order (only grows). */
  readonly markedRecords: number[] = [];
  /** The latest timeline time seen. */
  endT = 0;
  finished = false;
  /** Grows with every applied delta, so views can tell whether to redraw. */
  version = 0;

  private attemptNo = 0;
  private offset = 0;
  /**
   * The current attempt's unmarked record indexes by event time, to mark late and dropped
   * records (only the current attempt's are marked, so a new attempt starts it afresh).
   */
  private readonly byEventTime = new EventTimeIndex();

  /**
   * Starts an attempt: the first, or one restored after a crash. `gap` is the downtime to show
   * between the crash and the restart (the restart strategy's delay).
   */
  beginAttempt(attempt: number, startPt: number, restoredFrom: number | null, gap = 0, fromSavepoint = false): void {
    const startT = this.attempts.length === 0 ? startPt : this.endT + gap;
    this.attemptNo = attempt;
    this.byEventTime.clear();
    this.offset = startT - startPt;
    this.attempts.push({ attempt, startT, startPt, offset: this.offset, restoredFrom, ...(fromSavepoint ? { fromSavepoint } : {}) });
    this.endT = Math.max(this.endT, startT);
    this.version++;
  }

  /** The timeline time of processing time `pt` in the current attempt. */
  timeOf(pt: number): number {
    return pt + this.offset;
  }

  /** Records a crash the page caused or saw (the worker cannot report its own death). */
  markCrash(reason: string, pt?: number): void {
    const t = pt === undefined ? this.endT : this.timeOf(pt);
    this.crashes.push({ t, attempt: this.attemptNo, reason });
    this.sinkVisibility.crashed(t);
    this.endT = Math.max(this.endT, t);
    this.version++;
  }

  apply(delta: TraceDelta): void {
    if (this.attempts.length === 0) this.beginAttempt(delta.attempt, 0, null);
    this.sources = delta.sources;
    this.recordsSkipped += delta.recordsSkipped;
    this.eventsCoalesced += delta.eventsCoalesced;
    this.applyRecords(delta.records);
    for (const e of decodeEvents(delta.events)) this.applyEvent(e);
    this.endT = Math.max(this.endT, this.timeOf(delta.pt));
    if (delta.finished) this.finished = true;
    this.version++;
  }

  /** Appends a delta's record dots as rows (written into the columns directly: no array per dot). */
  private applyRecords(r: Float64Array): void {
    const n = Math.floor(r.length / RECORD_STRIDE);
    if (n === 0) return;
    const cols = this.records;
    const first = cols.appendRows(n);
    const raw = cols.raw();
    const stride = cols.stride;
    const attempt = this.attemptNo;
    const offset = this.offset;
    for (let k = 0; k < n; k++) {
      const i = k * RECORD_STRIDE;
      const row = (first + k) * stride;
      const eventTime = r[i]!;
      const pt = r[i + 1]!;
      // RECORD_FIELDS' order: eventTime, t, pt, source, partition, offset, attempt, status.
      raw[row] = eventTime;
      raw[row + 1] = pt + offset;
      raw[row + 2] = pt;
      raw[row + 3] = r[i + 2]!;
      raw[row + 4] = r[i + 3]!;
      raw[row + 5] = r[i + 4]!;
      raw[row + 6] = attempt;
      raw[row + 7] = RecordStatus.OnTime;
      this.byEventTime.add(eventTime, first + k);
    }
  }

  private applyEvent(e: TraceEvent): void {
    const t = this.timeOf(e.pt);
    const attempt = this.attemptNo;
    switch (e.type) {
      case 'jobStarted':
        this.operators = e.operators;
        return;
      case 'watermarkAdvanced':
        return this.pushWatermark(`${e.operator}#${e.subtask}`, t, e.watermark);
      case 'sourceWatermark':
        return this.pushWatermark(`${e.source}#${e.partition}`, t, e.watermark);
      case 'paneFired': {
        const { type: _type, pt, ...rest } = e;
        this.panes.push({ ...rest, t, pt, attempt });
        return;
      }
      case 'recordLate':
        this.markRecord(e.eventTime, RecordStatus.Late);
        this.lateAndDropped.push({ t, attempt, operator: e.operator, key: e.key, eventTime: e.eventTime, watermark: e.watermark, kind: 'late', windows: [], sideOutput: e.sideOutput });
        return;
      case 'recordDropped':
        this.markRecord(e.eventTime, RecordStatus.Dropped);
        this.lateAndDropped.push({ t, attempt, operator: e.operator, key: e.key, eventTime: e.eventTime, watermark: e.watermark, kind: e.reason, windows: e.windows });
        return;
      case 'checkpointTriggered':
        this.checkpoints.push({ id: e.checkpointId, attempt, triggeredT: t, acks: [], barriers: [] });
        return;
      case 'barrierInjected':
        this.checkpoint(e.checkpointId)?.barriers.push({ t, operator: e.source, subtask: e.subtask, kind: 'injected' });
        return;
      case 'barrierReceived':
        this.checkpoint(e.checkpointId)?.barriers.push({ t, operator: e.operator, subtask: e.subtask, kind: 'received' });
        return;
      case 'barrierAligned':
        this.checkpoint(e.checkpointId)?.barriers.push({ t, operator: e.operator, subtask: e.subtask, kind: 'aligned' });
        return;
      case 'checkpointAcknowledged':
        this.checkpoint(e.checkpointId)?.acks.push({ t, operator: e.operator, subtask: e.subtask, size: e.size });
        return;
      case 'checkpointCompleted': {
        const c = this.checkpoint(e.checkpointId);
        if (c) {
          c.completedT = t;
          c.size = e.size;
          if (e.kind === 'incremental') c.incremental = true;
          if (e.fullSize !== undefined) c.fullSize = e.fullSize;
        }
        return;
      }
      case 'checkpointFailed': {
        const c = this.checkpoint(e.checkpointId);
        if (c) {
          c.failedT = t;
          c.failure = e.reason;
        }
        return;
      }
      case 'jobCrashed':
        this.crashes.push({ t, attempt, reason: e.reason });
        this.sinkVisibility.crashed(t);
        return;
      case 'jobRestored':
        this.restores.push({ t, attempt: e.attempt, checkpointId: e.checkpointId });
        return;
      case 'sinkRecord':
        this.sinkVisibility.wrote(this.sinkOutput.length, e.sink, e.subtask);
        this.sinkOutput.push({
          t,
          attempt,
          sink: e.sink,
          value: e.value,
          timestamp: e.timestamp,
          ...(e.key !== undefined ? { key: e.key } : {}),
          ...(e.window ? { window: e.window } : {}),
          ...(e.pane ? { pane: e.pane } : {}),
        });
        return;
      case 'metrics':
        this.metrics.push({ t, attempt, subtasks: e.subtasks });
        return;
      case 'stateUpdated':
        this.stateChanges.push({ t, attempt, operator: e.operator, subtask: e.subtask, key: e.key, state: e.state, entries: e.entries });
        return;
      case 'timerSet':
      case 'timerFired':
        this.timerChanges.push({
          t,
          attempt,
          operator: e.operator,
          subtask: e.subtask,
          key: e.key,
          domain: e.domain,
          time: e.time,
          change: e.type === 'timerSet' ? 'set' : 'fired',
          ...(e.window ? { window: e.window } : {}),
        });
        return;
      case 'sinkPreCommitted':
        this.sinkVisibility.preCommitted(e.sink, e.transaction);
        return;
      case 'sinkCommitted':
        this.sinkVisibility.committed(e.transaction, t);
        return;
      case 'jobFinished':
        this.finished = true;
        return;
      default:
        return;
    }
  }

  private pushWatermark(id: string, t: number, watermark: number): void {
    const list = this.watermarks.get(id);
    if (list) list.push({ t, watermark });
    else this.watermarks.set(id, [{ t, watermark }]);
  }

  private checkpoint(id: number): CheckpointSpan | undefined {
    for (let i = this.checkpoints.length - 1; i >= 0; i--) {
      const c = this.checkpoints[i]!;
      if (c.id === id && c.attempt === this.attemptNo) return c;
    }
    return undefined;
  }

  private markRecord(eventTime: number, status: RecordStatus): void {
    // The newest arrival: a record is marked as it is processed, soon after it arrived, and
    // earlier arrivals with the same event time were (usually) put into their windows.
    const index = this.byEventTime.pop(eventTime);
    if (index !== undefined) {
      this.records.set(index, 'status', status);
      this.markedRecords.push(index);
    }
  }
}
