// Flink's windowAll: one window operator over the whole stream, whose results carry no key
// (an AllWindowedStream's output is a plain DataStream). Brook still routes every record under
// one internal key, so the window operator keeps its panes, timers and state per key as usual;
// this wrapper only drops that key from what the operator emits (results, late data and window
// side outputs), so sinks and downstream operators see records without a key. Trace events of
// the window itself (paneFired, recordDropped, timers) still name the internal key.

import type { StateDescriptors } from '../checkpoint/state-descriptors.ts';
import type { Operator, OperatorContext, Output } from '../runtime/operator.ts';
import type { Key, RecordBatch, WindowedMeta } from '../runtime/record-batch.ts';
import type { Timer } from '../time/timer-service.ts';

/** An Output that forwards everything to `to` without keys. */
class KeylessOutput implements Output {
  constructor(private readonly to: Output) {}
  emit(value: unknown, timestamp: number, _key?: Key, meta?: WindowedMeta): void {
    this.to.emit(value, timestamp, undefined, meta);
  }
  emitBatch(batch: RecordBatch): void {
    if (batch.keys === null) {
      this.to.emitBatch(batch);
      return;
    }
    const { values, timestamps, meta } = batch;
    for (let i = 0; i < values.length; i++) this.to.emit(values[i], timestamps[i]!, undefined, meta?.[i]);
  }
  emitSide(tag: string, value: unknown, timestamp: number): void {
    this.to.emitSide(tag, value, timestamp, undefined);
  }
}

/** Hosts a window operator for `windowAll`: the same operator, with its output stripped of keys. */
export class AllWindowOperator implements Operator {
  constructor(private readonly inner: Operator) {}

  open(ctx: OperatorContext): void {
    const keyless: OperatorContext = {
      operatorName: ctx.operatorName,
      subtask: ctx.subtask,
      parallelism: ctx.parallelism,
      output: new KeylessOutput(ctx.output),
      timers: ctx.timers,
      state: ctx.state,
      random: ctx.random,
      watermark: () => ctx.watermark(),
      outputWatermark: () => ctx.outputWatermark(),
      processingTime: () => ctx.processingTime(),
      countDropped: () => ctx.countDropped(),
      io: ctx.io,
      tracing: ctx.tracing,
      trace: (e) => ctx.trace(e),
    };
    this.inner.open(keyless);
  }
  processBatch(batch: RecordBatch, input: number): void {
    this.inner.processBatch(batch, input);
  }
  isTimerLive(timer: Timer): boolean {
    return this.inner.isTimerLive?.(timer) ?? true;
  }

  onTimer(timer: Timer): void {
    this.inner.onTimer(timer);
  }
  onWatermark(watermark: number): void {
    this.inner.onWatermark?.(watermark);
  }
  finish(): void {
    this.inner.finish?.();
  }
  stateDescriptors(): StateDescriptors {
    return this.inner.stateDescriptors?.() ?? {};
  }
  restoreStateDescriptors(restored: StateDescriptors, uid: string, ttlRecorded: boolean): void {
    this.inner.restoreStateDescriptors?.(restored, uid, ttlRecorded);
  }
}
