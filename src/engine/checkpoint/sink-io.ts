// The durable session's sink and topic I/O: what a job's sinks ask of the store (appends,
// upserts, the two phases of a transactional commit, topic appends), fulfilled in order, with
// the trace events of two-phase commit. Kept out of durable-session.ts, which owns checkpoints.
//
// Invariant: a transaction is traced `sinkCommitted` once per session, however often a restored
// job commits it again (the store ignores repeated commits too).

import type { TraceEvent } from '../trace/trace-event.ts';
import type { CrashSchedule } from './crash-schedule.ts';
import type { DurableStore } from './durable-store.ts';
import type { IoRequest } from './io-request.ts';

/** The requests SinkIo fulfils: every one but persisting a checkpoint. */
export type SinkRequest = Exclude<IoRequest, { kind: 'persistCheckpoint' }>;

export class SinkIo {
  /** Records staged per `sink\u0000transaction`, for the sinkCommitted trace event. */
  private readonly staged = new Map<string, number>();
  /** Transactions this session committed (a second commit is not traced). */
  private readonly committed = new Set<string>();

  constructor(
    private readonly store: DurableStore,
    private readonly trace: ((e: TraceEvent) => void) | undefined,
    private readonly crashes: CrashSchedule,
  ) {}

  /** Fulfils `r` at processing time `pt`; a planned crash may strike after a pre-commit. */
  async perform(r: SinkRequest, pt: number): Promise<void> {
    const store = this.store;
    switch (r.kind) {
      case 'topicAppend':
        if ((await store.topicConfig(r.topic)) === undefined) await store.createTopic(r.topic, { partitions: r.partitions });
        await store.append(r.topic, r.partition, r.records);
        return;
      case 'sinkAppend':
        return store.sinkAppend(r.sink, r.records);
      case 'sinkUpsert':
        return store.sinkUpsert(r.sink, r.records);
      case 'sinkStage': {
        await store.sinkStage(r.sink, r.transaction, r.records);
        const key = `${r.sink}\u0000${r.transaction}`;
        this.staged.set(key, r.records.length);
        this.committed.delete(key);
        this.trace?.({ type: 'sinkPreCommitted', pt, sink: r.sink, transaction: r.transaction, records: r.records.length });
        this.crashes.reach('afterPreCommit');
        return;
      }
      case 'sinkCommit': {
        await store.sinkCommit(r.sink, r.transaction);
        const key = `${r.sink}\u0000${r.transaction}`;
        // A restored job commits again what this session already committed: the store ignores it.
        if (this.committed.has(key)) return;
        this.committed.add(key);
        const records = this.staged.get(key);
        this.staged.delete(key);
        this.trace?.({ type: 'sinkCommitted', pt, sink: r.sink, transaction: r.transaction, ...(records !== undefined ? { records } : {}) });
        return;
      }
      case 'sinkAbort':
        this.staged.delete(`${r.sink}\u0000${r.transaction}`);
        return store.sinkAbort(r.sink, r.transaction);
    }
  }
}
