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
  if (txError !== undefined) throw storageFailure(method, subject, txError);
  return result;
}

/** An object store of a readwrite transaction, whichever stores the transaction spans. */
export type WritableStore<Name extends StoreName> = IDBPObjectStore<BrookSchema, ArrayLike<StoreName>, Name, 'readwrite'>;

/**
 * Issues one write request per row (`add` refuses to overwrite, `put` replaces) or per key
 * (`delete`) without a promise each: their outcome is the transaction's, which `inTransaction`
 * awaits. This is also faster for large batches, and a request that fails after the body threw
 * leaves no promise behind to reject unobserved.
 */
export function writeRows<Name extends StoreName>(
  store: WritableStore<Name>,
  how: 'add' | 'put',
  rows: readonly BrookSchema[Name]['value'][],
): void {
  const raw = unwrap(store);
  for (const row of rows) raw[how](row);
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
