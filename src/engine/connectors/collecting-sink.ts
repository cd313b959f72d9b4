// A named sink that collects every record it receives, with its key, timestamp, window, pane
// and the processing time it arrived at. The records are the job's output (DESIGN.md's
// command-line contract prints exactly these fields).

import type { Operator, OperatorContext } from '../runtime/operator.ts';
import type { Key, RecordBatch, WindowedMeta } from '../runtime/record-batch.ts';
import type { Timer } from '../time/timer-service.ts';
import type { PaneInfo } from '../windows/pane-info.ts';
import { windowToJson } from '../windows/window.ts';

/** One record that reached a sink. */
export interface SinkRecord {
  readonly sink: string;
  readonly key?: Key;
  readonly value: unknown;
  readonly timestamp: number;
  readonly window?: { readonly start: number; readonly end: number } | 'global';
  readonly pane?: PaneInfo;
  /** Present (true) only for retractions of an earlier pane (accumulating-and-retracting mode). */
  readonly retraction?: true;
  readonly processingTime: number;
}

/** Builds a record with its fields in the contract's order and without the ones that do not apply. */
function sinkRecord(sink: string, key: Key | undefined, value: unknown, timestamp: number, m: WindowedMeta | undefined, pt: number): SinkRecord {
  if (m === undefined) {
    return key === undefined ? { sink, value, timestamp, processingTime: pt } : { sink, key, value, timestamp, processingTime: pt };
  }
  const window = windowToJson(m.window);
  if (m.retraction) {
    return key === undefined
      ? { sink, value, timestamp, window, pane: m.pane, retraction: true, processingTime: pt }
      : { sink, key, value, timestamp, window, pane: m.pane, retraction: true, processingTime: pt };
  }
  return key === undefined
    ? { sink, value, timestamp, window, pane: m.pane, processingTime: pt }
    : { sink, key, value, timestamp, window, pane: m.pane, processingTime: pt };
}

export class CollectingSink implements Operator {
  private ctx!: OperatorContext;
  constructor(
    private readonly name: string,
    private readonly into: SinkRecord[],
  ) {}
  open(ctx: OperatorContext): void {
    this.ctx = ctx;
  }
  processBatch(batch: RecordBatch): void {
    const pt = this.ctx.processingTime();
    const { values, timestamps, keys, meta } = batch;
    const tracing = this.ctx.tracing;
    for (let i = 0; i < values.length; i++) {
      const m = meta?.[i];
      const key = keys?.[i];
      this.into.push(sinkRecord(this.name, key, values[i], timestamps[i]!, m, pt));
      if (tracing) {
        this.ctx.trace({
          type: 'sinkRecord',
          pt,
          sink: this.name,
          subtask: this.ctx.subtask,
          ...(key !== undefined ? { key } : {}),
          value: values[i],
          timestamp: timestamps[i]!,
          ...(m !== undefined ? { window: m.window, pane: m.pane } : {}),
        });
      }
    }
  }
  onTimer(_t: Timer): void {}
}
