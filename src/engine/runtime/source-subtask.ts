// Hosts one parallel instance of a source that reads partitions. It polls each partition for
// the records that have arrived by the current processing time, runs the watermark generator
// of each partition, and emits the minimum over active partitions on every periodic tick.
// Idle partitions are ignored; aligned partitions pause while too far ahead.

import type { PartitionReader, TimedRecords } from '../connectors/partition-reader.ts';
import type { WatermarkGenerator, WatermarkStrategy } from '../time/watermark-strategy.ts';
import type { TraceEvent } from '../trace/trace-event.ts';
import { RecordBatch } from './record-batch.ts';
import type { Scheduler } from './scheduler.ts';
import type { TaskOutput } from './task-output.ts';
import type { AlignedPartition, AlignmentGroup } from './watermark-alignment.ts';

const MAX_BATCH = 1024;

interface PartitionState extends AlignedPartition {
  readonly reader: PartitionReader<unknown>;
  readonly generator: WatermarkGenerator;
  lastRecordAt: number;
}

export class SourceSubtask {
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
  ) {
    this.parts = readers.map((reader) => ({
      reader,
      generator: strategy.createGenerator(),
      watermark: Number.NEGATIVE_INFINITY,
      idle: false,
      done: false,
      paused: false,
      lastRecordAt: scheduler.now,
    }));
    for (const p of this.parts) alignment?.join(p);
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
    this.lastRecordAtAll(this.scheduler.now);
    this.schedulePoll();
    this.scheduler.at(this.scheduler.now + this.strategy.emitInterval, () => this.tick());
  }

  private lastRecordAtAll(t: number): void {
    for (const p of this.parts) p.lastRecordAt = t;
  }

  private schedulePoll(): void {
    let next = Number.POSITIVE_INFINITY;
    for (const p of this.parts) if (!p.done && !p.paused) next = Math.min(next, p.reader.nextArrival());
    if (next === Number.POSITIVE_INFINITY || next >= this.pollScheduledAt) return;
    this.pollScheduledAt = next;
    this.scheduler.at(next, () => {
      this.pollScheduledAt = Number.POSITIVE_INFINITY;
      this.poll();
    });
  }

  private poll(): void {
    const now = this.scheduler.now;
    let punctuated = false;
    for (let pi = 0; pi < this.parts.length; pi++) {
      const p = this.parts[pi]!;
      if (p.done || p.paused) continue;
      while (p.reader.nextArrival() <= now) {
        const buf = this.buffer;
        buf.values = [];
        buf.timestamps = [];
        buf.arrivals = [];
        const first = p.reader.offset();
        const n = p.reader.read(now, MAX_BATCH, buf);
        if (n === 0) break;
        if (this.ingestionTime) buf.timestamps = buf.arrivals.slice();
        const ts = buf.timestamps;
        const gen = p.generator;
        for (let i = 0; i < n; i++) {
          const w = gen.onEvent(ts[i]!, buf.values[i]);
          if (w !== undefined && w > p.watermark) {
            p.watermark = w;
            punctuated = true;
          }
        }
        if (this.trace) {
          for (let i = 0; i < n; i++) {
            this.trace({
              type: 'recordArrived',
              pt: now,
              source: this.sourceName,
              partition: p.reader.partition,
              offset: first + i,
              eventTime: ts[i]!,
              arrival: buf.arrivals[i]!,
            });
          }
        }
        const batch = new RecordBatch();
        batch.values = buf.values;
        batch.timestamps = ts;
        this.recordsIn += n;
        this.output.send(batch);
        p.lastRecordAt = now;
        if (p.idle) {
          p.idle = false;
          this.trace?.({ type: 'partitionActive', pt: now, source: this.sourceName, partition: p.reader.partition });
        }
      }
      if (p.reader.nextArrival() === Number.POSITIVE_INFINITY) p.done = true;
    }
    if (punctuated) this.emitCombined();
    if (this.parts.every((p) => p.done)) this.finish();
    else this.schedulePoll();
  }

  private tick(): void {
    if (this.ended) return;
    const now = this.scheduler.now;
    const idleness = this.strategy.idleness;
    for (const p of this.parts) {
      if (p.done) continue;
      const w = p.generator.onPeriodicEmit();
      if (w > p.watermark) {
        p.watermark = w;
        this.trace?.({ type: 'sourceWatermark', pt: now, source: this.sourceName, partition: p.reader.partition, watermark: w });
      }
      if (idleness !== undefined && !p.idle && now - p.lastRecordAt >= idleness) {
        p.idle = true;
        this.trace?.({ type: 'partitionIdle', pt: now, source: this.sourceName, partition: p.reader.partition });
      }
    }
    this.align(now);
    this.emitCombined();
    this.scheduler.at(now + this.strategy.emitInterval, () => this.tick());
  }

  private align(now: number): void {
    const group = this.alignment;
    if (group === undefined) return;
    let resumed = false;
    for (const p of this.parts) {
      if (p.done) continue;
      const pause = group.mustPause(p);
      if (pause && !p.paused) {
        p.paused = true;
        this.trace?.({
          type: 'partitionPaused',
          pt: now,
          source: this.sourceName,
          partition: p.reader.partition,
          watermark: p.watermark,
          groupMin: group.minimum(),
        });
      } else if (!pause && p.paused) {
        p.paused = false;
        resumed = true;
        this.trace?.({ type: 'partitionResumed', pt: now, source: this.sourceName, partition: p.reader.partition });
      }
    }
    if (resumed) this.schedulePoll();
  }

  private emitCombined(): void {
    let min = Number.POSITIVE_INFINITY;
    let active = 0;
    for (const p of this.parts) {
      if (p.idle || p.done) continue;
      active++;
      if (p.watermark < min) min = p.watermark;
    }
    const allIdle = active === 0 && this.parts.some((p) => !p.done);
    if (allIdle !== this.idle) {
      this.idle = allIdle;
      this.output.emitIdle(allIdle);
    }
    if (allIdle || active === 0) return;
    if (min > this.watermark) {
      this.watermark = min;
      this.output.emitWatermark(min);
    }
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    for (const p of this.parts) p.done = true;
    this.watermark = Number.POSITIVE_INFINITY;
    this.output.emitWatermark(Number.POSITIVE_INFINITY);
    this.output.emitEnd();
  }

  get isFinished(): boolean {
    return this.ended;
  }
}
