// The snapshot-write benchmark's store worker (bundled by scripts/bench-durability.mjs): the
// product's store worker code (`serveStoreWorker`, store-worker-service.ts: a job's IndexedDB
// store served to a sandbox's port with the allow-list RPC), plus the benchmark's baseline, the
// hand-written bulk write of the same part strings, timed on this same thread.
// Invariant: the product's code runs unchanged; the baseline's messages carry no numeric `id`,
// so serveStoreWorker ignores them.

import { serveStoreWorker, type ControlEndpoint } from '../../src/worker/store-worker-service.ts';
import { bulkWrite, openBulkDb, settle, type BulkPart } from '../../src/cli/bench/snapshot-job.ts';

/** Page → this worker, for the baseline: bulk-write `parts` into a fresh database `name`, timed. */
export interface BulkRequest {
  readonly bench: 'bulk';
  readonly name: string;
  readonly parts: readonly BulkPart[];
  /** Read the rows back after the write (untimed) and return them. */
  readonly check?: boolean;
}

/** This worker → page: the bulk write's time, ms, or why it failed. */
export interface BulkReply {
  readonly bench: 'bulked';
  readonly millis?: number;
  readonly error?: string;
  /** The rows read back, when asked to check. */
  readonly readBack?: readonly BulkPart[];
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });
}

const scope = self as unknown as ControlEndpoint & { postMessage(message: BulkReply): void };
serveStoreWorker(scope);
scope.addEventListener('message', (event: MessageEvent) => {
  const request = event.data as Partial<BulkRequest> | null;
  if (request?.bench !== 'bulk' || typeof request.name !== 'string' || !Array.isArray(request.parts)) return;
  const { name, parts, check } = request as BulkRequest;
  void (async () => {
    const db = await openBulkDb(indexedDB, name);
    try {
      await settle();
      const start = performance.now();
      await bulkWrite(db, parts);
      const millis = performance.now() - start;
      const readBack = check === true ? (await db.getAll('checkpointParts')).map((row) => ({ name: row.name, data: row.data })) : undefined;
      scope.postMessage({ bench: 'bulked', millis, ...(readBack && { readBack }) });
    } catch (error) {
      scope.postMessage({ bench: 'bulked', error: String(error) });
    } finally {
      db.close();
      await deleteDatabase(name);
    }
  })();
});
