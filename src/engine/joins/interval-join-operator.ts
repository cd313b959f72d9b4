// The interval join (Flink's IntervalJoinOperator): a left record at time t joins every right
// record of the same key with time in [t + lower, t + upper]. Both sides are buffered in keyed
// state until the watermark shows no partner can still arrive; records behind the watermark
// are dropped as late. A pair's timestamp is the larger of the two. Savepoints record both
// buffers' kind (checkpoint/state-descriptors.ts), as Flink registers its LEFT_BUFFER and
// RIGHT_BUFFER MapStateDescriptors, so they are never restored into another kind of operator.

import type { StateDescriptors } from '../checkpoint/state-descriptors.ts';
import { INTERVAL_JOIN_LEFT, INTERVAL_JOIN_RIGHT } from '../checkpoint/state-migrations.ts';
import { UserCodeError } from '../errors.ts';
import type { Operator, OperatorContext } from '../runtime/operator.ts';
import type { Key, RecordBatch } from '../runtime/record-batch.ts';
import type { StateTable } from '../state/state-backend.ts';
import type { Timer } from '../time/timer-service.ts';

/** What the join function can do with a pair. */
export interface IntervalJoinContext<R> {
  readonly leftTimestamp: number;
  readonly rightTimestamp: number;
  /** The pair's timestamp: max(leftTimestamp, rightTimestamp). */
  readonly timestamp: number;
  output(value: R): void;
}

export type IntervalJoinFunction<A, B, R> = (left: A, right: B, ctx: IntervalJoinContext<R>) => void;

type Buffer = [number, unknown][];

/** The kind of both buffers in savepoints: records of one side, with their timestamps. */
export const INTERVAL_JOIN_BUFFER = 'interval join buffer';

export class IntervalJoinOperator implements Operator {
  private ctx!: OperatorContext;
  private left!: StateTable<Buffer>;
  private right!: StateTable<Buffer>;

  constructor(
    private readonly lower: number,
    private readonly upper: number,
    private readonly fn: IntervalJoinFunction<unknown, unknown, unknown>,
  ) {}

  open(ctx: OperatorContext): void {
    this.ctx = ctx;
    this.left = ctx.state.table<Buffer>(INTERVAL_JOIN_LEFT);
    this.right = ctx.state.table<Buffer>(INTERVAL_JOIN_RIGHT);
  }

  stateDescriptors(): StateDescriptors {
    return { [INTERVAL_JOIN_LEFT]: INTERVAL_JOIN_BUFFER, [INTERVAL_JOIN_RIGHT]: INTERVAL_JOIN_BUFFER };
  }

  processBatch(batch: RecordBatch, input: number): void {
    const { values, timestamps, keys } = batch;
    for (let i = 0; i < values.length; i++) this.processElement(values[i], timestamps[i]!, keys![i]!, input === 0);
  }

  private processElement(value: unknown, ts: number, key: Key, isLeft: boolean): void {
    const ctx = this.ctx;
    const wm = ctx.watermark();
    if (wm !== Number.NEGATIVE_INFINITY && ts < wm) {
      ctx.countDropped();
      if (ctx.tracing) {
        ctx.trace({ type: 'recordDropped', pt: ctx.processingTime(), operator: ctx.operatorName, subtask: ctx.subtask, reason: 'late', key, eventTime: ts, watermark: wm, windows: [] });
      }
      return;
    }
    const own = isLeft ? this.left : this.right;
    const other = isLeft ? this.right : this.left;
    const buf = own.get(key) ?? [];
    buf.push([ts, value]);
    own.set(key, undefined, buf);
    // Relative to this side: a left record joins right records in [ts + lower, ts + upper].
    const lo = isLeft ? this.lower : -this.upper;
    const hi = isLeft ? this.upper : -this.lower;
    for (const [ots, ov] of other.get(key) ?? []) {
      if (ots < ts + lo || ots > ts + hi) continue;
      const l = isLeft ? value : ov;
      const r = isLeft ? ov : value;
      const lt = isLeft ? ts : ots;
      const rt = isLeft ? ots : ts;
      const at = Math.max(lt, rt);
      try {
        this.fn(l, r, { leftTimestamp: lt, rightTimestamp: rt, timestamp: at, output: (v) => ctx.output.emit(v, at, key) });
      } catch (e) {
        throw new UserCodeError(ctx.operatorName, 'the interval join function', e);
      }
    }
    ctx.timers.register('eventTime', hi > 0 ? ts + hi : ts, key);
  }

  onTimer(timer: Timer): void {
    const key = timer.key!;
    const t = timer.time;
    this.evict(this.left, key, (ts) => (this.upper > 0 ? ts + this.upper : ts) <= t);
    this.evict(this.right, key, (ts) => (-this.lower > 0 ? ts - this.lower : ts) <= t);
  }

  private evict(table: StateTable<Buffer>, key: Key, expired: (ts: number) => boolean): void {
    const buf = table.get(key);
    if (buf === undefined) return;
    const kept = buf.filter(([ts]) => !expired(ts));
    if (kept.length === 0) table.delete(key);
    else table.set(key, undefined, kept);
  }
}
