// Operators that keep no state: map, filter and flatMap. They work a batch at a time and keep
// each record's timestamp, key and window metadata (as Beam keeps a value's window and pane).

import { UserCodeError } from '../errors.ts';
import type { Operator, OperatorContext } from './operator.ts';
import { RecordBatch } from './record-batch.ts';
import type { Timer } from '../time/timer-service.ts';

abstract class StatelessOperator implements Operator {
  protected ctx!: OperatorContext;
  open(ctx: OperatorContext): void {
    this.ctx = ctx;
  }
  abstract processBatch(batch: RecordBatch): void;
  onTimer(_t: Timer): void {}
  protected fail(what: string, e: unknown): never {
    throw new UserCodeError(this.ctx.operatorName, what, e);
  }
}

export class MapOperator extends StatelessOperator {
  constructor(private readonly fn: (v: unknown) => unknown) {
    super();
  }
  processBatch(batch: RecordBatch): void {
    const n = batch.length;
    const src = batch.values;
    const values = new Array<unknown>(n);
    const fn = this.fn;
    try {
      for (let i = 0; i < n; i++) values[i] = fn(src[i]);
    } catch (e) {
      this.fail('the map function', e);
    }
    const out = new RecordBatch();
    out.values = values;
    out.timestamps = batch.timestamps;
    out.keys = batch.keys;
    out.meta = batch.meta;
    this.ctx.output.emitBatch(out);
  }
}

export class FilterOperator extends StatelessOperator {
  constructor(private readonly fn: (v: unknown) => boolean) {
    super();
  }
  processBatch(batch: RecordBatch): void {
    const out = this.ctx.output;
    const { values, timestamps, keys, meta } = batch;
    const fn = this.fn;
    for (let i = 0; i < values.length; i++) {
      let keep: boolean;
      try {
        keep = fn(values[i]);
      } catch (e) {
        this.fail('the filter function', e);
      }
      if (keep) out.emit(values[i], timestamps[i]!, keys?.[i], meta?.[i]);
    }
  }
}

export class FlatMapOperator extends StatelessOperator {
  constructor(private readonly fn: (v: unknown) => Iterable<unknown>) {
    super();
  }
  processBatch(batch: RecordBatch): void {
    const out = this.ctx.output;
    const { values, timestamps, keys, meta } = batch;
    for (let i = 0; i < values.length; i++) {
      let results: Iterable<unknown>;
      try {
        results = this.fn(values[i]);
        for (const r of results) out.emit(r, timestamps[i]!, keys?.[i], meta?.[i]);
      } catch (e) {
        this.fail('the flatMap function', e);
      }
    }
  }
}

/** Forwards records unchanged: the operator behind `union` and re-keying. */
export class IdentityOperator extends StatelessOperator {
  processBatch(batch: RecordBatch): void {
    this.ctx.output.emitBatch(batch);
  }
}
