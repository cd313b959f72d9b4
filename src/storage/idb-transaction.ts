// Runs one DurableStore call as one IndexedDB transaction, and turns whatever goes wrong into a
// StorageError that names the operation, what it acted on, and the original error's `name`.
//
// Invariant: a call either commits everything it wrote or nothing. A body that throws (our own
// validation, or a synchronous DataError from a put) aborts the transaction before it can
// auto-commit the requests already made, and its error is reported. When the transaction was
// aborted before that (IndexedDB ran out of quota, or something else aborted it), the pending
// requests fail with a bare AbortError or TransactionInactiveError while the transaction's
// `error` says why, so that error is reported instead.

import { unwrap, type IDBPObjectStore, type IDBPTransaction, type StoreNames } from 'idb';
import { storageFailure, type StoreMethod } from '../engine/checkpoint/store-rules.ts';
import type { BrookDb, BrookSchema } from './idb-schema.ts';

export type StoreName = StoreNames<BrookSchema>;

/** What a transaction body gets: the transaction over `Names` in `Mode`. */
export type BrookTransaction<Names extends readonly StoreName[], Mode extends IDBTransactionMode> = IDBPTransaction<
  BrookSchema,
  Names,
  Mode
>;

/** The operation and subject a call reports in its errors. */
export interface Operation {
  readonly method: StoreMethod;
  readonly subject: string;
}

/**
 * Runs `body` in one transaction over `names` and resolves with its result once the
 * transaction committed; rejects with a StorageError (and nothing written) otherwise.
 * `body` must await only requests of this transaction, or the transaction auto-commits early.
 */
export async function inTransaction<const Names extends readonly StoreName[], Mode extends IDBTransactionMode, T>(
  db: BrookDb,
  names: Names,
  mode: Mode,
  operation: Operation,
  body: (tx: BrookTransaction<Names, Mode>) => Promise<T>,
  options?: IDBTransactionOptions,
): Promise<T> {
  const { method, subject } = operation;
  let tx: BrookTransaction<Names, Mode>;
  try {
    tx = db.transaction(names, mode, options);
  } catch (error) {
    throw storageFailure(method, subject, error); // e.g. InvalidStateError: the database was closed
  }
  // Settles with the transaction's error (or undefined) and never rejects unobserved.
  const outcome = tx.done.then(
    () => undefined,
    (error: unknown) => error ?? { name: 'AbortError', message: 'the transaction was aborted' },
  );
  let result: T;
  try {
    result = await body(tx);
  } catch (error) {
    let abortedHere = false;
    try {
      tx.abort();
      abortedHere = true;
    } catch {
      // IndexedDB (or someone else) aborted it already: its error says why.
    }
    const txError = await outcome;
    throw storageFailure(method, subject, abortedHere || txError === undefined ? error : txError);
  }
  const txError = await outcome;
  if (txError !== undefined) throw storageFailure(method, subject, laterChunkFailures.get(unwrap(tx)) ?? txError);
  return result;
}

/** An object store of a readwrite transaction, whichever stores the transaction spans. */
export type WritableStore<Name extends StoreName> = IDBPObjectStore<BrookSchema, ArrayLike<StoreName>, Name, 'readwrite'>;

/** A synchronous error of a write in a later chunk (after the body returned), by transaction. */
const laterChunkFailures = new WeakMap<IDBTransaction, unknown>();

/** Rows written per task: a put or add clones its row on the calling thread (tens of µs each). */
export const WRITE_CHUNK = 128;

/**
 * Issues one write request per row (`add` refuses to overwrite, `put` replaces) without a
 * promise each: their outcome is the transaction's, which `inTransaction` awaits. This is also
 * faster for large batches, and a request that fails after the body threw leaves no promise
 * behind to reject unobserved. Rows go in chunks of `WRITE_CHUNK`, the next chunk issued when
 * the last request of the previous one succeeded: still one transaction (it stays active while
 * requests are pending, and is active again in their callbacks), but thousands of rows no
 * longer make one long task on the page's thread. Rows of one call are written in order.
 */
export function writeRows<Name extends StoreName>(
  store: WritableStore<Name>,
  how: 'add' | 'put',
  rows: readonly BrookSchema[Name]['value'][],
): void {
  const raw = unwrap(store);
  const writeFrom = (from: number): void => {
    const to = Math.min(rows.length, from + WRITE_CHUNK);
    let last: IDBRequest | undefined;
    if (from === 0) for (let i = from; i < to; i++) last = raw[how](rows[i]);
    else {
      // Past the body: a row that cannot be stored (DataError, DataCloneError) aborts the
      // transaction here, and inTransaction reports this error rather than the abort.
      try {
        for (let i = from; i < to; i++) last = raw[how](rows[i]);
      } catch (error) {
        laterChunkFailures.set(raw.transaction, error);
        raw.transaction.abort();
        return;
      }
    }
    // A failed request aborts the transaction; then no success comes and the rest is not written.
    if (to < rows.length && last) last.addEventListener('success', () => writeFrom(to));
  };
  writeFrom(0);
}

/** Deletes the records at `keys` (or key ranges); see `writeRows`. */
export function deleteKeys<Name extends StoreName>(
  store: WritableStore<Name>,
  keys: readonly (BrookSchema[Name]['key'] | IDBKeyRange)[],
): void {
  const raw = unwrap(store);
  for (const key of keys) raw.delete(key);
}

/** Rejects, inside a transaction body, with an error of the given name (the body then aborts). */
export function fail(operation: Operation, name: string, message: string): never {
  throw storageFailure(operation.method, operation.subject, { name, message });
}
