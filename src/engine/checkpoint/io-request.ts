// What the engine asks of durable storage. Operators raise requests synchronously; the job
// queues them in order and the driver fulfils them (awaiting the DurableStore) before the
// engine takes another step, so their order and timing in virtual time are deterministic.

import type { LogRecord, SinkWrite } from './durable-store.ts';
import type { JobSnapshot } from './job-snapshot.ts';

export type IoRequest =
  /** Every subtask has taken part in a checkpoint: write it (parts, then manifest). */
  | { readonly kind: 'persistCheckpoint'; readonly snapshot: JobSnapshot }
  /** A topic sink appended records to one partition of a log topic (created with `partitions` if missing). */
  | {
      readonly kind: 'topicAppend';
      readonly topic: string;
      readonly partitions: number;
      readonly partition: number;
      readonly records: readonly Omit<LogRecord, 'offset'>[];
    }
  /** A non-transactional sink wrote records (at-most-once, at-least-once). */
  | { readonly kind: 'sinkAppend'; readonly sink: string; readonly records: readonly SinkWrite[] }
  /** An idempotent sink wrote records keyed by their primary key. */
  | { readonly kind: 'sinkUpsert'; readonly sink: string; readonly records: readonly SinkWrite[] }
  /** An exactly-once sink pre-committed a transaction (phase one of two-phase commit). */
  | { readonly kind: 'sinkStage'; readonly sink: string; readonly transaction: string; readonly records: readonly SinkWrite[] }
  /** An exactly-once sink commits a transaction (phase two, once its checkpoint completed). */
  | { readonly kind: 'sinkCommit'; readonly sink: string; readonly transaction: string }
  /** An exactly-once sink gives up a transaction that no completed checkpoint covers. */
  | { readonly kind: 'sinkAbort'; readonly sink: string; readonly transaction: string };

/** Where operators raise I/O requests. */
export interface IoQueue {
  request(r: IoRequest): void;
}
