// Plays a TestStream script: each step runs as its own scheduled event, so everything a step
// causes downstream is processed before the next step starts, as with Beam's TestStream.
// The source emits exactly the watermarks the script gives; the script's end ends the input.
// Processing-time steps after advanceWatermarkToInfinity still run (the parser allows only those
// there), so processing-time timers can fire after the final watermark, before the input ends.

import type { TestStreamSpec } from '../connectors/test-stream.ts';
import type { TraceEvent } from '../trace/trace-event.ts';
import { RecordBatch } from './record-batch.ts';
import { EventClass, type Scheduler } from './scheduler.ts';
import type { TaskOutput } from './task-output.ts';

/** Entity numbers stay below this, so a step's turn at an instant orders before its source. */
const STEP_TURN = 1_000_000;

/** A TestStream's position in its script. */
export interface TestStreamSnapshot {
  readonly next: number;
  readonly offset: number;
  readonly watermark: number;
  readonly ended: boolean;
  readonly nextStepAt: number | null;
  readonly instant: number;
  readonly stepsThisInstant: number;
  readonly recordsIn: number;
  readonly recordsOut: number;
}

export class TestStreamSubtask {
  private next = 0;
  private offset = 0;
  private watermark = Number.NEGATIVE_INFINITY;
  private ended = false;
  recordsIn = 0;

  constructor(
    readonly sourceName: string,
    private readonly spec: TestStreamSpec<unknown>,
    readonly output: TaskOutput,
    private readonly scheduler: Scheduler,
    private readonly trace: ((e: TraceEvent) => void) | undefined,
    /** Stable number ordering this source's steps among events due at the same time. */
    private readonly entity: number,
  ) {}

  get currentWatermark(): number {
    return this.watermark;
  }

  get isFinished(): boolean {
    return this.ended;
  }

  start(): void {
    this.scheduleStep(this.scheduler.now);
  }

  private runStep(): void {
    const step = this.spec.steps[this.next++];
    const now = this.scheduler.now;
    if (step === undefined) {
      this.end();
      return;
    }
    switch (step.kind) {
      case 'addElements': {
        const batch = new RecordBatch();
        for (const e of step.elements) {
          batch.push(e.value, e.timestamp, e.key);
          this.trace?.({
            type: 'recordArrived',
            pt: now,
            source: this.sourceName,
            partition: 0,
            offset: this.offset,
            eventTime: e.timestamp,
            arrival: now,
          });
          this.offset++;
        }
        this.recordsIn += batch.length;
        if (batch.length > 0) this.output.send(batch);
        break;
      }
      case 'advanceWatermarkTo':
        this.emitWatermark(step.time, now);
        break;
      case 'advanceProcessingTime':
        this.scheduleStep(now + step.duration);
        return;
      case 'advanceWatermarkToInfinity':
        this.emitWatermark(Number.POSITIVE_INFINITY, now);
        break;
    }
    this.scheduleStep(now);
  }

  private instant = Number.NaN;
  private stepsThisInstant = 0;

  /**
   * Schedules the next step. Several TestStreams take turns at one instant: the k-th step each
   * runs at a given processing time is ordered by (k, source), so step 1 of every script runs
   * before step 2 of any, whatever order the steps were scheduled in.
   */
  private scheduleStep(at: number): void {
    if (at === this.instant) this.stepsThisInstant++;
    else {
      this.instant = at;
      this.stepsThisInstant = 0;
    }
    this.nextStepAt = at;
    this.scheduler.at(at, () => this.runStep(), EventClass.sources, this.stepsThisInstant * STEP_TURN + this.entity);
  }

  /** When the next step is due (undefined once the script ended). */
  private nextStepAt: number | undefined = undefined;

  /** The script's position: the next step, and when it is due. */
  snapshot(): TestStreamSnapshot {
    return {
      next: this.next,
      offset: this.offset,
      watermark: this.watermark,
      ended: this.ended,
      nextStepAt: this.ended ? null : (this.nextStepAt ?? null),
      instant: this.instant,
      stepsThisInstant: this.stepsThisInstant,
      recordsIn: this.recordsIn,
      recordsOut: this.output.recordsOut,
    };
  }

  /** Continues the script from a snapshot instead of from its start. */
  resume(s: TestStreamSnapshot): void {
    this.next = s.next;
    this.offset = s.offset;
    this.watermark = s.watermark;
    this.ended = s.ended;
    this.recordsIn = s.recordsIn;
    this.output.recordsOut = s.recordsOut;
    if (s.ended) {
      // As a partition source does: fresh downstream operators must learn the input ended.
      this.output.emitWatermark(Number.POSITIVE_INFINITY);
      this.output.emitEnd();
      return;
    }
    if (s.nextStepAt === null) return;
    // Re-post the pending step with the turn it had at its instant.
    this.instant = s.instant;
    this.stepsThisInstant = s.stepsThisInstant;
    this.nextStepAt = s.nextStepAt;
    const turn = s.nextStepAt === s.instant ? s.stepsThisInstant : 0;
    this.scheduler.at(s.nextStepAt, () => this.runStep(), EventClass.sources, turn * STEP_TURN + this.entity);
  }

  private emitWatermark(w: number, now: number): void {
    if (w <= this.watermark) return;
    this.watermark = w;
    this.trace?.({ type: 'sourceWatermark', pt: now, source: this.sourceName, partition: 0, watermark: w });
    this.output.emitWatermark(w);
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.nextStepAt = undefined;
    this.emitWatermark(Number.POSITIVE_INFINITY, this.scheduler.now);
    this.output.emitEnd();
  }
}
