// Collects what a subtask emits into batches and routes them to the next operators'
// subtasks after each callback: forward, rebalance, broadcast, or hash by key (computing the
// key once, at the sender). Watermarks, idleness, end of input and checkpoint barriers go to
// every channel.

import type { ChannelTarget } from './channel.ts';
import type { Output } from './operator.ts';
import { keyGroupOf, subtaskForKeyGroup, type Partitioning } from './partitioner.ts';
import { RecordBatch, type Key, type WindowedMeta } from './record-batch.ts';

/** One outgoing edge: which output it carries, how it partitions, and its channels. */
export interface Route {
  readonly sideOutput: string | undefined;
  readonly partitioning: Partitioning;
  /** Indexed by downstream subtask. */
  readonly targets: readonly ChannelTarget[];
  /** This sender's index, for forward edges. */
  readonly senderIndex: number;
}

export class TaskOutput implements Output {
  private main = new RecordBatch();
  private side = new Map<string, RecordBatch>();
  private rebalanceNext = 0;
  recordsOut = 0;

  constructor(
    readonly routes: Route[],
    private readonly onUserKeyError: (error: unknown, value: unknown) => never,
  ) {}

  emit(value: unknown, timestamp: number, key?: Key, meta?: WindowedMeta): void {
    this.main.push(value, timestamp, key, meta);
  }

  emitSide(tag: string, value: unknown, timestamp: number, key?: Key): void {
    let b = this.side.get(tag);
    if (b === undefined) {
      b = new RecordBatch();
      this.side.set(tag, b);
    }
    b.push(value, timestamp, key);
  }

  /** Routes everything emitted since the last flush. */
  flush(): void {
    if (this.main.length > 0) {
      const batch = this.main;
      this.main = new RecordBatch();
      this.recordsOut += batch.length;
      this.route(batch, undefined);
    }
    if (this.side.size > 0) {
      const side = this.side;
      this.side = new Map();
      for (const [tag, batch] of side) this.route(batch, tag);
    }
  }

  emitBatch(batch: RecordBatch): void {
    this.flush();
    this.send(batch);
  }

  /** Sends a batch as it is (sources build their own batches). */
  send(batch: RecordBatch): void {
    this.recordsOut += batch.length;
    this.route(batch, undefined);
  }

  private route(batch: RecordBatch, tag: string | undefined): void {
    for (const r of this.routes) {
      if (r.sideOutput !== tag) continue;
      const p = r.partitioning;
      const n = r.targets.length;
      if (p.kind === 'hash') this.routeByKey(batch, r, p.keyOf as ((v: unknown) => Key) | null);
      else if (p.kind === 'forward' || n === 1) this.deliver(r.targets[p.kind === 'forward' ? r.senderIndex % n : 0]!, batch);
      else if (p.kind === 'broadcast') for (const t of r.targets) this.deliver(t, batch);
      else this.routeRoundRobin(batch, r);
    }
  }

  private routeByKey(batch: RecordBatch, r: Route, keyOf: ((v: unknown) => Key) | null): void {
    const n = batch.length;
    const values = batch.values;
    let keys: Key[];
    if (keyOf === null) {
      if (batch.keys === null || batch.keys.length < n || batch.keys.some((k) => k === undefined)) {
        this.onUserKeyError(new TypeError('keyBy() without a key selector needs records that carry keys (give the TestStream elements a "key")'), values[0]);
      }
      keys = batch.keys;
    } else keys = new Array<Key>(n);
    for (let i = 0; keyOf !== null && i < n; i++) {
      let k: Key;
      try {
        k = keyOf(values[i]);
      } catch (e) {
        this.onUserKeyError(e, values[i]);
      }
      if (typeof k !== 'string' && typeof k !== 'number') {
        this.onUserKeyError(new TypeError(`a key must be a string or a number, got ${k === null ? 'null' : typeof k}`), values[i]);
      }
      keys[i] = k;
    }
    const targets = r.targets.length;
    if (targets === 1) {
      const keyed = new RecordBatch();
      keyed.values = batch.values;
      keyed.timestamps = batch.timestamps;
      keyed.meta = batch.meta;
      keyed.keys = keys;
      this.deliver(r.targets[0]!, keyed);
      return;
    }
    const parts: (RecordBatch | undefined)[] = new Array(targets);
    for (let i = 0; i < n; i++) {
      const k = keys[i]!;
      const t = subtaskForKeyGroup(keyGroupOf(k), targets);
      let b = parts[t];
      if (b === undefined) {
        b = new RecordBatch();
        parts[t] = b;
      }
      b.push(batch.values[i], batch.timestamps[i]!, k, batch.meta?.[i]);
    }
    for (let t = 0; t < targets; t++) {
      const b = parts[t];
      if (b !== undefined) this.deliver(r.targets[t]!, b);
    }
  }

  private routeRoundRobin(batch: RecordBatch, r: Route): void {
    const targets = r.targets.length;
    const parts: RecordBatch[] = [];
    for (let t = 0; t < targets; t++) parts.push(new RecordBatch());
    for (let i = 0; i < batch.length; i++) {
      const t = this.rebalanceNext;
      this.rebalanceNext = (t + 1) % targets;
      parts[t]!.push(batch.values[i], batch.timestamps[i]!, batch.keys?.[i], batch.meta?.[i]);
    }
    for (let t = 0; t < targets; t++) if (parts[t]!.length > 0) this.deliver(r.targets[t]!, parts[t]!);
  }

  private deliver(t: ChannelTarget, batch: RecordBatch): void {
    t.receiver.enqueue({ kind: 'records', channel: t.channel, batch });
  }

  emitWatermark(watermark: number): void {
    for (const r of this.routes) for (const t of r.targets) t.receiver.enqueue({ kind: 'watermark', channel: t.channel, watermark });
  }

  emitIdle(idle: boolean): void {
    for (const r of this.routes) for (const t of r.targets) t.receiver.enqueue({ kind: 'idle', channel: t.channel, idle });
  }

  emitEnd(): void {
    for (const r of this.routes) for (const t of r.targets) t.receiver.enqueue({ kind: 'end', channel: t.channel });
  }

  /**
   * Sends checkpoint barrier `checkpointId` on every channel of every edge. It does not flush:
   * a subtask emits barriers between callbacks, when nothing is pending here, and an unaligned
   * barrier goes ahead of whatever the subtask will emit for input it has not processed yet.
   */
  emitBarrier(checkpointId: number): void {
    for (const r of this.routes) for (const t of r.targets) t.receiver.enqueue({ kind: 'barrier', channel: t.channel, checkpointId });
  }
}
