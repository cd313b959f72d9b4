// Hosts one parallel instance of a source that reads partitions, as Flink's SourceOperator with
// its per-split watermark outputs (ProgressiveTimestampsAndWatermarks, WatermarkOutputMultiplexer,
// WatermarkToDataOutput):
// - records that have arrived by the current processing time are polled from each partition;
//   a watermark a generator returns from onEvent (punctuated) goes out right after its record;
// - every emission interval each partition is checked for idleness (Flink's IdlenessTimer) and,
//   unless idle, its generator proposes a watermark; a partition that proposes one is active;
// - the subtask's watermark is the minimum over active, unfinished partitions. It never goes
//   back, and a subtask that went idle stays idle downstream until its watermark advances;
// - aligned partitions pause while above their group's announced limit (watermark-alignment.ts).
// A subtask with no partitions, or only empty ones, ends at once.

import type { JsonValue, PartitionReader, TimedRecords } from '../connectors/partition-reader.ts';
import { IdlenessTimer } from '../time/idleness-timer.ts';
import type { WatermarkGenerator, WatermarkStrategy } from '../time/watermark-strategy.ts';
import type { TraceEvent } from '../trace/trace-event.ts';
import { RecordBatch } from './record-batch.ts';
import { EventClass, type Scheduler } from './scheduler.ts';
import type { TaskOutput } from './task-output.ts';
import type { AlignedPartition, AlignmentGroup, AlignmentListener } from './watermark-alignment.ts';

const MAX_BATCH = 1024;

interface PartitionState extends AlignedPartition {
  readonly reader: PartitionReader<unknown>;
  readonly generator: WatermarkGenerator;
  readonly idleness: IdlenessTimer | undefined;
  /** Processing time spent paused, and when the current pause began: the idleness clock skips both. */
  pausedFor: number;
  pausedAt: number;
}

/** A source subtask's position: every partition's reader, watermark and idleness, and its clock. */
export interface SourceSubtaskSnapshot {
  readonly parts: {
    reader: JsonValue;
    generator: number;
    idleness: ReturnType<IdlenessTimer['snapshot']> | null;
    watermark: number;
    idle: boolean;
    done: boolean;
    paused: boolean;
    pausedFor: number;
    pausedAt: number;
  }[];
  readonly watermark: number;
  readonly idle: boolean;
  readonly ended: boolean;
  readonly nextTickAt: number;
  readonly recordsIn: number;
  readonly recordsOut: number;
}

export class SourceSubtask implements AlignmentListener {
  private readonly parts: PartitionState[];
  private watermark = Number.NEGATIVE_INFINITY;
  private idle = false;
  private ended = false;
  private pollScheduledAt = Number.POSITIVE_INFINITY;
  private readonly buffer: TimedRecords<unknown> = { values: [], timestamps: [], arrivals: [] };
  recordsIn = 0;

  constructor(
    readonly sourceName: string,
    readonly index: number,
    readers: PartitionReader<unknown>[],
    private readonly strategy: WatermarkStrategy,
    readonly output: TaskOutput,
    private readonly scheduler: Scheduler,
    private readonly trace: ((e: TraceEvent) => void) | undefined,
    private readonly alignment: AlignmentGroup | undefined,
    private readonly ingestionTime: boolean,
    /** Stable number ordering this subtask's events among those due at the same time. */
    private readonly entity: number,
  ) {
    const idleness = strategy.idleness;
    this.parts = readers.map((reader) => ({
      reader,
      generator: strategy.createGenerator(),
      idleness: idleness === undefined ? undefined : new IdlenessTimer(idleness),
      watermark: Number.NEGATIVE_INFINITY,
      idle: false,
      done: false,
      paused: false,
      pausedFor: 0,
      pausedAt: 0,
    }));
    for (const p of this.parts) alignment?.join(p);
    alignment?.listen(this);
  }

  get currentWatermark(): number {
    return this.watermark;
  }

  /** Earliest arrival over all partitions (the job starts its clock there). */
  firstArrival(): number {
    let t = Number.POSITIVE_INFINITY;
    for (const p of this.parts) t = Math.min(t, p.reader.nextArrival());
    return t;
  }

  start(): void {
    for (const p of this.parts) if (p.reader.nextArrival() === Number.POSITIVE_INFINITY) p.done = true;
    if (this.parts.every((p) => p.done)) {
      this.finish();
      return;
    }
    this.schedulePoll();
    this.scheduleTick(this.scheduler.now + this.strategy.emitInterval);
  }

  /** When the next periodic watermark emission is due. */
  private nextTickAt = Number.POSITIVE_INFINITY;

  private scheduleTick(at: number): void {
    this.nextTickAt = at;
    this.scheduler.at(at, () => this.tick(), EventClass.watermarks, this.entity);
  }

  /** The readers' positions (the offsets to rewind to) and everything watermarks depend on. */
  snapshot(): SourceSubtaskSnapshot {
    return {
      parts: this.parts.map((p) => ({
        reader: p.reader.snapshot(),
        generator: p.generator.snapshot(),
        idleness: p.idleness?.snapshot() ?? null,
        watermark: p.watermark,
        idle: p.idle,
        done: p.done,
        paused: p.paused,
        pausedFor: p.pausedFor,
        pausedAt: p.pausedAt,
      })),
      watermark: this.watermark,
      idle: this.idle,
      ended: this.ended,
      nextTickAt: this.nextTickAt,
      recordsIn: this.recordsIn,
      recordsOut: this.output.recordsOut,
    };
  }

  /**
   * Continues from a snapshot instead of starting: rewinds every reader to its checkpointed
   * position, restores watermarks, idleness and pauses, and schedules the next poll and emission.
   */
  resume(s: SourceSubtaskSnapshot): void {
    if (s.parts.length !== this.parts.length) {
      throw new Error(`source "${this.sourceName}" subtask ${this.index} had ${s.parts.length} partitions when checkpointed and has ${this.parts.length} now`);
    }
    s.parts.forEach((ps, i) => {
      const p = this.parts[i]!;
      p.reader.restore(ps.reader);
      p.generator.restore(ps.generator);
      if (ps.idleness !== null) p.idleness?.restore(ps.idleness);
      p.watermark = ps.watermark;
      p.idle = ps.idle;
      p.done = ps.done;
      p.paused = ps.paused;
      p.pausedFor = ps.pausedFor;
      p.pausedAt = ps.pausedAt;
    });
    this.watermark = s.watermark;
    this.idle = s.idle;
    this.ended = s.ended;
    this.recordsIn = s.recordsIn;
    this.output.recordsOut = s.recordsOut;
    // Kept even when ended (nothing is scheduled then), so its next snapshot is the same bytes.
    this.nextTickAt = s.nextTickAt;
    if (this.ended) {
      // Tell the next operators again that this input ended: restored ones already know and
      // ignore it; fresh ones (at-most-once recovery starts them empty) would otherwise wait forever.
      this.output.emitWatermark(Number.POSITIVE_INFINITY);
      this.output.emitEnd();
      return;
    }
    this.schedulePoll();
    if (s.nextTickAt !== Number.POSITIVE_INFINITY) this.scheduleTick(s.nextTickAt);
  }

  private schedulePoll(): void {
    let next = Number.POSITIVE_INFINITY;
    for (const p of this.parts) if (!p.done && !p.paused) next = Math.min(next, p.reader.nextArrival());
    if (next === Number.POSITIVE_INFINITY || next >= this.pollScheduledAt) return;
    this.pollScheduledAt = next;
    this.scheduler.at(next, this.pollNow, EventClass.sources, this.entity);
  }

  /** One callback for every scheduled poll (a poll runs about once per ms of processing time). */
  private readonly pollNow = (): void => {
    this.pollScheduledAt = Number.POSITIVE_INFINITY;
    this.poll();
  };

  private poll(): void {
    const now = this.scheduler.now;
    for (const p of this.parts) {
      if (p.done || p.paused) continue;
      while (!p.paused && p.reader.nextArrival() <= now) {
        const buf = this.buffer;
        // Values and timestamps become the batch; arrivals are only read here, so they are reused.
        buf.values = [];
        buf.timestamps = [];
        buf.arrivals.length = 0;
        const first = p.reader.offset();
        // An aligned partition reads one record at a time, so that a pause takes effect at the
        // record whose watermark passed the limit (as Flink checks alignment per record), not
        // after the rest of a backlog batch.
        const n = p.reader.read(now, this.alignment === undefined ? MAX_BATCH : 1, buf);
        if (n === 0) break;
        if (this.ingestionTime) buf.timestamps = buf.arrivals.slice();
        let sent = 0;
        for (let i = 0; i < n; i++) {
          p.idleness?.activity();
          const w = p.generator.onEvent(buf.timestamps[i]!, buf.values[i]);
          if (w === undefined) continue;
          // Punctuated: the record goes out first, then its watermark (Flink's SourceOutputWithWatermarks).
          this.send(p, first, sent, i + 1, now);
          sent = i + 1;
          if (this.setWatermark(p, w, now)) {
            this.checkPause(p, now);
            this.emitCombined();
          }
        }
        this.send(p, first, sent, n, now);
      }
      if (p.reader.nextArrival() === Number.POSITIVE_INFINITY) p.done = true;
    }
    if (this.parts.every((p) => p.done)) this.finish();
    else this.schedulePoll();
  }

  /** Sends records [from, to) of the poll buffer downstream. */
  private send(p: PartitionState, firstOffset: number, from: number, to: number, now: number): void {
    if (to <= from) return;
    const buf = this.buffer;
    if (this.trace) {
      for (let i = from; i < to; i++) {
        this.trace({
          type: 'recordArrived',
          pt: now,
          source: this.sourceName,
          partition: p.reader.partition,
          offset: firstOffset + i,
          eventTime: buf.timestamps[i]!,
          arrival: buf.arrivals[i]!,
        });
      }
    }
    const batch = new RecordBatch();
    const whole = from === 0 && to === buf.values.length;
    batch.values = whole ? buf.values : buf.values.slice(from, to);
    batch.timestamps = whole ? buf.timestamps : buf.timestamps.slice(from, to);
    this.recordsIn += to - from;
    this.output.send(batch);
  }

  /** A partition emitted a watermark: it is active again, and its watermark may advance. */
  private setWatermark(p: PartitionState, w: number, now: number): boolean {
    if (p.idle) {
      p.idle = false;
      this.trace?.({ type: 'partitionActive', pt: now, source: this.sourceName, partition: p.reader.partition });
    }
    if (!(w > p.watermark)) return false;
    p.watermark = w;
    this.trace?.({ type: 'sourceWatermark', pt: now, source: this.sourceName, partition: p.reader.partition, watermark: w });
    return true;
  }

  private tick(): void {
    if (this.ended) return;
    const now = this.scheduler.now;
    for (const p of this.parts) {
      if (p.done) continue;
      if (p.idleness !== undefined && p.idleness.checkIfIdle((p.paused ? p.pausedAt : now) - p.pausedFor)) {
        if (!p.idle) {
          p.idle = true;
          this.trace?.({ type: 'partitionIdle', pt: now, source: this.sourceName, partition: p.reader.partition });
        }
        continue;
      }
      // A generator that proposes -inf has nothing to say yet (Flink's NoWatermarksGenerator emits nothing).
      const w = p.generator.onPeriodicEmit();
      if (w !== Number.NEGATIVE_INFINITY && this.setWatermark(p, w, now)) this.checkPause(p, now);
    }
    this.emitCombined();
    this.scheduleTick(now + this.strategy.emitInterval);
  }

  /** Pauses a partition whose watermark just passed its group's announced limit. */
  private checkPause(p: PartitionState, now: number): void {
    const group = this.alignment;
    if (group !== undefined && !p.paused && group.mustPause(p)) this.pause(p, group, now);
  }

  private pause(p: PartitionState, group: AlignmentGroup, now: number): void {
    p.paused = true;
    p.pausedAt = now;
    this.trace?.({
      type: 'partitionPaused',
      pt: now,
      source: this.sourceName,
      partition: p.reader.partition,
      watermark: p.watermark,
      groupMin: group.announcedMinimum,
    });
  }

  /** The group announced a new limit: pause the partitions above it, resume the others. */
  onAlignmentAnnounced(): void {
    const group = this.alignment;
    if (group === undefined || this.ended) return;
    const now = this.scheduler.now;
    let resumed = false;
    for (const p of this.parts) {
      if (p.done) continue;
      const pause = group.mustPause(p);
      if (pause && !p.paused) this.pause(p, group, now);
      else if (!pause && p.paused) {
        p.paused = false;
        p.pausedFor += now - p.pausedAt;
        resumed = true;
        this.trace?.({ type: 'partitionResumed', pt: now, source: this.sourceName, partition: p.reader.partition });
      }
    }
    if (resumed) this.schedulePoll();
  }

  /** Flink's WatermarkOutputMultiplexer feeding WatermarkToDataOutput. */
  private emitCombined(): void {
    let min = Number.POSITIVE_INFINITY;
    let active = 0;
    for (const p of this.parts) {
      if (p.idle || p.done) continue;
      active++;
      if (p.watermark < min) min = p.watermark;
    }
    if (active === 0) {
      if (!this.idle && this.parts.some((p) => !p.done)) {
        this.idle = true;
        this.output.emitIdle(true);
      }
      return;
    }
    if (min > this.watermark) {
      this.watermark = min;
      if (this.idle) {
        this.idle = false;
        this.output.emitIdle(false);
      }
      this.output.emitWatermark(min);
    }
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    for (const p of this.parts) p.done = true;
    this.watermark = Number.POSITIVE_INFINITY;
    if (this.idle) {
      this.idle = false;
      this.output.emitIdle(false);
    }
    this.output.emitWatermark(Number.POSITIVE_INFINITY);
    this.output.emitEnd();
  }

  get isFinished(): boolean {
    return this.ended;
  }
}
