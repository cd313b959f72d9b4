// A checkpoint written into IndexedDB as its chunks arrive (DurableStore.openCheckpointStream):
// the store worker's side of the chunked store RPC, where the engine worker encodes chunk i + 1
// while this thread puts chunk i. Rows are those of writeCheckpointChunks (idb-checkpoints.ts).
//
// Invariant: one strict-durability transaction holds every chunk and, last, the manifest, so the
// checkpoint is stored whole or not at all. A transaction commits by itself once a task ends with
// no request of it pending, and chunks arrive in tasks of their own (messages), when it is not
// active: so while the stream is open one cheap read is always pending, and its success callback
// (where the transaction is active again) issues the chunks that arrived meanwhile, then the next
// read. An abort (the writer vanished, a failed put, a full disk) ends it with nothing stored.

import { type CheckpointManifest, type CheckpointStream } from '../engine/checkpoint/durable-store.ts';
import { checkpointSubject, storageFailure } from '../engine/checkpoint/store-rules.ts';
import { chunkRow, chunkRows } from './idb-checkpoints.ts';
import type { BrookDb } from './idb-schema.ts';
import { unwrap } from 'idb';

/** A key no row has: reading it keeps the transaction alive for the cost of a lookup. */
const NO_ROW: [string, number, string] = ['', -1, ''];

/**
 * Starts writing checkpoint `checkpointId` of `jobId` as a stream; see the module header.
 * Throws a StorageError if the transaction cannot start (the database was closed).
 */
export function openCheckpointStream(db: BrookDb, jobId: string, checkpointId: number): CheckpointStream {
  const subject = checkpointSubject(jobId, checkpointId);
  let tx: IDBTransaction;
  try {
    tx = unwrap(db).transaction(['checkpointParts', 'manifests'], 'readwrite', { durability: 'strict' });
  } catch (error) {
    throw storageFailure('writeCheckpoint', subject, error);
  }
  const rows = tx.objectStore('checkpointParts');
  /** Writes waiting for the transaction to be active (chunks, then the manifest). */
  let queue: (() => void)[] = [];
  const chunksOf = new Map<string, number>();
  let manifest: CheckpointManifest | undefined;
  /** Why the stream ended without committing (its first reason), once it did. */
  let failure: unknown;
  const outcome = new Promise<void>((resolve, reject) => {
    tx.addEventListener('complete', () => resolve());
    tx.addEventListener('abort', () => reject(storageFailure('writeCheckpoint', subject, failure ?? tx.error ?? { name: 'AbortError', message: 'the transaction was aborted' })));
  });
  // Observed here so an aborted stream nobody commits rejects no promise unhandled.
  outcome.catch(() => {});

  const abort = (reason: unknown): void => {
    failure ??= reason;
    queue = [];
    try {
      tx.abort();
    } catch {
      // Committed or aborted already.
    }
  };

  /**
   * Runs while the transaction is active: keeps it alive (until the manifest is due), then issues
   * what arrived. The read goes first: requests complete in order, so it comes back as soon as the
   * earlier puts are written, not these, and the chunks arriving meanwhile are put while the
   * backend still writes these (its queue never runs dry while the encoder is ahead).
   */
  const pump = (): void => {
    const due = queue;
    queue = [];
    if (manifest === undefined && failure === undefined) rows.get(NO_ROW).onsuccess = pump;
    try {
      for (const write of due) write();
    } catch (error) {
      // A put refused at once (DataError), or one after the transaction was aborted meanwhile
      // (TransactionInactiveError): then the transaction's error (a full disk) says why.
      abort(tx.error ?? error);
    }
  };
  pump();

  return {
    put(name, chunk) {
      if (failure !== undefined || manifest !== undefined) return;
      const index = chunksOf.get(name) ?? 0;
      chunksOf.set(name, index + 1);
      queue.push(() => {
        // Chunk rows an earlier write of this checkpoint left must not join the new part.
        if (index === 0) rows.delete(chunkRows(jobId, checkpointId, name));
        rows.put({ jobId, checkpointId, name: chunkRow(name, index), data: chunk });
      });
    },
    commit(m) {
      if (failure === undefined && manifest === undefined) {
        if (m.jobId !== jobId || m.checkpointId !== checkpointId) abort({ name: 'DataError', message: `the manifest is of checkpoint ${m.checkpointId} of job "${m.jobId}"` });
        else {
          manifest = m;
          queue.push(() => tx.objectStore('manifests').put(m));
        }
      }
      return outcome;
    },
    abort(reason) {
      abort({ name: 'AbortError', message: reason });
    },
  };
}
