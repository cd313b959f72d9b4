// A named sink that writes to the sinks' external store (a DurableStore, through I/O requests)
// with a delivery guarantee, after Flink's sink functions: plain appends for at-most-once and
// at-least-once, idempotent upserts by a primary key, and two-phase commit for exactly-once
// (Flink's TwoPhaseCommitSinkFunction). It also collects every record into the job's output
// exactly as CollectingSink does (same SinkRecord, same `sinkRecord` trace event), so a run
// without a driver shows the same records whichever sink a pipeline uses.
//
// Invariants:
// - The operator never awaits: every write is an IoRequest the driver fulfils before the engine
//   steps again, so the requests and their order are a pure function of the input and the seed.
// - Exactly-once: a record is in exactly one transaction; a transaction is staged (pre-committed)
//   only by the snapshot of the checkpoint whose barrier followed its records, and committed only
//   once that checkpoint (or a later one) completed, at restore from a checkpoint that lists it,
//   or at the end of the input. Transaction ids are deterministic, `${sink}#${subtask}@${n}`, so
//   a replay reuses them: committing an id twice must be a no-op in the store (the restore path
//   relies on it), and every id is aborted just before it is staged, so whatever a failed earlier
//   attempt left staged under that id can never be committed along with the replay's records.
// - Empty batches and empty transactions raise no request (Flink's KafkaWriter likewise skips
//   committing a transaction without records).

import { PipelineDefinitionError, UserCodeError } from '../errors.ts';
import type { SinkWrite } from '../checkpoint/durable-store.ts';
import type { Operator, OperatorContext } from '../runtime/operator.ts';
import type { Key, RecordBatch } from '../runtime/record-batch.ts';
import type { Timer } from '../time/timer-service.ts';
import type { PaneInfo } from '../windows/pane-info.ts';
import { windowToJson } from '../windows/window.ts';
import { CollectingSink, type SinkRecord } from './collecting-sink.ts';
import type { JsonValue } from './partition-reader.ts';

/**
 * What a sink promises about its external store after failures:
 * - `atMostOnce`: written at once; after a crash nothing is repeated, but output may be lost;
 * - `atLeastOnce`: written at once; after a crash the replay repeats output, nothing is lost;
 * - `exactlyOnce`: written in a transaction per checkpoint, visible once the checkpoint completed;
 * - `upsert`: written at once by primary key; a replay overwrites, so the final table is exact.
 *
 * The first two write the same way: the difference is where the driver resumes the sources.
 */
export type DeliveryGuarantee = 'atMostOnce' | 'atLeastOnce' | 'exactlyOnce' | 'upsert';

/** Every guarantee, in the order of the type. */
export const DELIVERY_GUARANTEES: readonly DeliveryGuarantee[] = ['atMostOnce', 'atLeastOnce', 'exactlyOnce', 'upsert'];

/** The rest of a record, for a primary key that needs more than the value (a window result's window). */
export interface SinkRecordInfo {
  /** The record's key, if it carries one (after a keyBy). */
  readonly key?: Key;
  readonly timestamp: number;
  /** For window results: the window (as JSON) and the pane. */
  readonly window?: { readonly start: number; readonly end: number } | 'global';
  readonly pane?: PaneInfo;
}

/** Computes the key a record is written under. Must return a string or a finite number. */
export type PrimaryKeyFunction<T> = (value: T, record: SinkRecordInfo) => Key;

/**
 * How a sink writes to its external store. `primaryKey` is required for `upsert` (the record's
 * key is rarely the right one: a window result is usually keyed by key and window). For the other
 * guarantees it is optional: records are written under it if given, else under their own key
 * (null when they have none).
 */
export type DeliverySinkOptions<T = unknown> =
  | { readonly guarantee: 'upsert'; readonly primaryKey: PrimaryKeyFunction<T> }
  | { readonly guarantee: 'atMostOnce' | 'atLeastOnce' | 'exactlyOnce'; readonly primaryKey?: PrimaryKeyFunction<T> };

/** Throws a PipelineDefinitionError naming the sink if the options are not usable. */
export function checkDeliveryOptions(sink: string, options: DeliverySinkOptions<never>): void {
  // Pipelines may be plain JavaScript, so the union type is checked again here.
  const o = options as { readonly guarantee?: unknown; readonly primaryKey?: unknown } | undefined;
  if (typeof o !== 'object' || o === null || !DELIVERY_GUARANTEES.includes(o.guarantee as DeliveryGuarantee)) {
    throw new PipelineDefinitionError(
      `sink "${sink}" needs a delivery guarantee: one of ${DELIVERY_GUARANTEES.map((g) => `'${g}'`).join(', ')}`,
    );
  }
  if (o.primaryKey !== undefined && typeof o.primaryKey !== 'function') {
    throw new PipelineDefinitionError(`sink "${sink}": primaryKey must be a function of the record value`);
  }
  if (o.guarantee === 'upsert' && o.primaryKey === undefined) {
    throw new PipelineDefinitionError(
      `sink "${sink}" upserts, so it needs a primaryKey: the function giving the key each record overwrites, e.g. { guarantee: 'upsert', primaryKey: (v) => v.id }`,
    );
  }
}

/** Which checkpoint a transaction belongs to: its id, or `'end'` for the last one, committed at the end of the input. */
export type TransactionCheckpoint = number | 'end';

/** The id of the transaction subtask `subtask` of `sink` pre-commits at checkpoint `checkpoint`. */
export function transactionId(sink: string, subtask: number, checkpoint: TransactionCheckpoint): string {
  return `${sink}#${subtask}@${checkpoint}`;
}

/** A pre-committed transaction waiting for its checkpoint to complete. */
interface PendingTransaction {
  readonly id: string;
  readonly checkpointId: number;
}

/**
 * A sink operator with a delivery guarantee (see DeliveryGuarantee). Build it with
 * `DataStream.sinkTo(name, options)`.
 *
 * Operator state (snapshotState): the ids of the transactions pre-committed and not yet known to
 * be committed, as a JSON array of strings (always empty except for `exactlyOnce`). Restoring
 * commits each of them; since committing is idempotent, a rescaled job may give every new
 * subtask the union of the old subtasks' lists.
 */
export class DeliverySink implements Operator {
  readonly guarantee: DeliveryGuarantee;
  private ctx: OperatorContext | undefined;
  private readonly collector: CollectingSink;
  private readonly primaryKey: PrimaryKeyFunction<unknown> | undefined;
  /** exactlyOnce: the open transaction's records, staged at the next snapshot. */
  private buffer: SinkWrite[] = [];
  /** exactlyOnce: pre-committed transactions, oldest first. */
  private pending: PendingTransaction[] = [];
  /** Transactions to commit that a restore handed over before `open` gave us a context. */
  private recovered: string[] = [];

  constructor(
    private readonly name: string,
    options: DeliverySinkOptions,
    into: SinkRecord[],
  ) {
    checkDeliveryOptions(name, options);
    this.guarantee = options.guarantee;
    this.primaryKey = options.primaryKey;
    this.collector = new CollectingSink(name, into);
  }

  open(ctx: OperatorContext): void {
    this.ctx = ctx;
    this.collector.open(ctx);
    this.commitRecovered();
  }

  processBatch(batch: RecordBatch): void {
    this.collector.processBatch(batch);
    const ctx = this.context();
    const writes = this.writesOf(batch);
    if (writes.length === 0) return;
    switch (this.guarantee) {
      case 'atMostOnce':
      case 'atLeastOnce':
        ctx.io.request({ kind: 'sinkAppend', sink: this.name, records: writes });
        break;
      case 'upsert':
        ctx.io.request({ kind: 'sinkUpsert', sink: this.name, records: writes });
        break;
      case 'exactlyOnce':
        for (const w of writes) this.buffer.push(w);
        break;
    }
  }

  onTimer(_t: Timer): void {}

  /** Pre-commits the open transaction (phase one) and starts a new one; returns the pending ids. */
  snapshotState(checkpointId: number): JsonValue {
    if (this.guarantee === 'exactlyOnce' && this.buffer.length > 0) {
      const id = transactionId(this.name, this.context().subtask, checkpointId);
      this.stage(id);
      this.pending.push({ id, checkpointId });
    }
    return this.pending.map((t) => t.id);
  }

  /**
   * Flink's recoverAndCommit: the restored checkpoint completed, so the transactions it lists
   * were pre-committed before it and must be committed now (again, if the first commit got
   * through before the crash: the store ignores a commit of a transaction it no longer holds).
   * Transactions staged after that checkpoint are not listed, so they are never committed.
   */
  restoreState(state: JsonValue, _checkpointId: number): void {
    if (!Array.isArray(state) || !state.every((id): id is string => typeof id === 'string')) {
      throw new TypeError(`sink "${this.name}" cannot restore its transactions from ${JSON.stringify(state)}: expected a list of transaction ids`);
    }
    this.pending = [];
    this.buffer = [];
    this.recovered.push(...state);
    if (this.ctx !== undefined) this.commitRecovered();
  }

  /** Phase two: commits every transaction pre-committed at or before checkpoint `checkpointId`. */
  notifyCheckpointComplete(checkpointId: number): void {
    if (this.pending.length === 0) return;
    const ctx = this.context();
    const still: PendingTransaction[] = [];
    for (const t of this.pending) {
      if (t.checkpointId <= checkpointId) ctx.io.request({ kind: 'sinkCommit', sink: this.name, transaction: t.id });
      else still.push(t);
    }
    this.pending = still;
  }

  /**
   * End of a bounded input: commits every pending transaction, then stages and commits the last
   * one (`…@end`), as Flink commits the final transaction when a bounded input ends. Nothing
   * comes after this, so nothing is left for a checkpoint to cover; a driver must not restart a
   * job from a checkpoint once its sinks finished, or the replay would commit twice.
   */
  /**
   * End of input: nothing is committed here. As in Flink (FLIP-147), the driver takes a final
   * checkpoint once every sink has finished; this sink pre-commits its last records at that
   * checkpoint's barrier and commits them when it completes. Committing here, outside any
   * checkpoint, would commit them again if a crash replayed the end of the input.
   */
  finish(): void {}

  /** Stages the open transaction under `id` (aborting any leftover of an earlier attempt first) and empties it. */
  private stage(id: string): void {
    const ctx = this.context();
    ctx.io.request({ kind: 'sinkAbort', sink: this.name, transaction: id });
    ctx.io.request({ kind: 'sinkStage', sink: this.name, transaction: id, records: this.buffer });
    this.buffer = [];
  }

  private commitRecovered(): void {
    if (this.recovered.length === 0) return;
    const ctx = this.context();
    for (const id of this.recovered) ctx.io.request({ kind: 'sinkCommit', sink: this.name, transaction: id });
    this.recovered = [];
  }

  private context(): OperatorContext {
    if (this.ctx === undefined) throw new Error(`sink "${this.name}" was used before open()`);
    return this.ctx;
  }

  /** The batch as store writes; an upsert sink leaves out retractions (the next upsert replaces the value). */
  private writesOf(batch: RecordBatch): SinkWrite[] {
    const { values, timestamps, keys, meta } = batch;
    const writes: SinkWrite[] = [];
    for (let i = 0; i < values.length; i++) {
      const m = meta?.[i];
      if (this.guarantee === 'upsert' && m?.retraction === true) continue;
      const recordKey = keys?.[i];
      const timestamp = timestamps[i]!;
      const window = m === undefined ? undefined : windowToJson(m.window);
      const key = this.primaryKey === undefined ? (recordKey ?? null) : this.keyOf(values[i], recordKey, timestamp, window, m?.pane);
      const write: SinkWrite =
        m === undefined
          ? { key, value: values[i], timestamp }
          : m.retraction === true
            ? { key, value: values[i], timestamp, window, pane: m.pane, retraction: true }
            : { key, value: values[i], timestamp, window, pane: m.pane };
      writes.push(write);
    }
    return writes;
  }

  private keyOf(value: unknown, key: Key | undefined, timestamp: number, window: SinkRecordInfo['window'], pane: PaneInfo | undefined): Key {
    const info: SinkRecordInfo = {
      ...(key !== undefined ? { key } : {}),
      timestamp,
      ...(window !== undefined ? { window } : {}),
      ...(pane !== undefined ? { pane } : {}),
    };
    let k: Key;
    try {
      k = this.primaryKey!(value, info);
    } catch (e) {
      throw new UserCodeError(this.context().operatorName, 'the primary key function', e);
    }
    if (typeof k === 'string' || (typeof k === 'number' && Number.isFinite(k))) return k;
    throw new UserCodeError(
      this.context().operatorName,
      'the primary key function',
      new TypeError(`a primary key must be a string or a finite number, got ${k === null ? 'null' : typeof k === 'number' ? String(k) : typeof k}`),
    );
  }
}
