// A named sink that collects every record it receives, with its key, timestamp, window, pane
// and the processing time it arrived at. The records are the job's output (DESIGN.md's
// command-line contract prints exactly these fields).

import type { Operator, OperatorContext } from '../runtime/operator.ts';
import type { Key, RecordBatch } from '../runtime/record-batch.ts';
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
      const rec: SinkRecord = {
        sink: this.name,
        ...(key !== undefined ? { key } : {}),
        value: values[i],
        timestamp: timestamps[i]!,
        ...(m !== undefined ? { window: windowToJson(m.window), pane: m.pane } : {}),
        ...(m?.retraction ? { retraction: true as const } : {}),
        processingTime: pt,
      };
      this.into.push(rec);
      if (tracing) {
        this.ctx.trace({
          type: 'sinkRecord',
          pt,
          sink: this.name,
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
