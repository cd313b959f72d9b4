// The durable store for one job, opened by the store worker (store-worker-service.ts): an
// IndexedDB database of its own (`brook-job-<id>`), so the sandbox reaches only that job's
// checkpoints, logs and sink output, never the app's other data.
// Invariant: a fresh start deletes the job's database first; a resume keeps it.

import { IdbDurableStore } from '../storage/idb-store.ts';

/** The database a job's durable data lives in. */
export function jobDatabaseName(jobId: string): string {
  return `brook-job-${jobId}`;
}

/**
 * Opens the job's store; `fresh` deletes what an earlier run of the job left first.
 * @example
 * const store = await openJobStore('sessions', { fresh: true });
 */
export async function openJobStore(jobId: string, options: { fresh: boolean; indexedDB?: IDBFactory }): Promise<IdbDurableStore> {
  const factory = options.indexedDB ?? indexedDB;
  const name = jobDatabaseName(jobId);
  if (options.fresh) {
    await new Promise<void>((resolve, reject) => {
      const request = factory.deleteDatabase(name);
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error ?? new Error(`cannot delete ${name}`));
      // Blocked only while another connection is open; it proceeds once that closes.
      request.onblocked = () => {};
    });
  }
  return IdbDurableStore.open(name, { indexedDB: factory });
}
