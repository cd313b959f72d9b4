// Forgetting a job's earlier run on IndexedDB (DurableStore.deleteJob): its manifests and
// checkpoint parts, and the named sinks' visible log, upsert table and staged transactions.
//
// Invariant: one readwrite transaction over all five stores, so a crash leaves either the whole
// earlier run or none of it; log topics are never touched (they outlive jobs).

import { checkpointSubject } from '../engine/checkpoint/store-rules.ts';
import { withPrefix, type BrookDb } from './idb-schema.ts';
import { deleteKeys, inTransaction } from './idb-transaction.ts';

export function deleteJob(db: BrookDb, jobId: string, sinks: readonly string[]): Promise<void> {
  const operation = { method: 'deleteJob', subject: checkpointSubject(jobId) } as const;
  const stores = ['manifests', 'checkpointParts', 'sinkLog', 'sinkTable', 'sinkStaged'] as const;
  return inTransaction(db, stores, 'readwrite', operation, async (tx) => {
    deleteKeys(tx.objectStore('manifests'), [withPrefix([jobId])]);
    deleteKeys(tx.objectStore('checkpointParts'), [withPrefix([jobId])]);
    const bySink = sinks.map((sink) => withPrefix([sink]));
    deleteKeys(tx.objectStore('sinkLog'), bySink);
    deleteKeys(tx.objectStore('sinkTable'), bySink);
    deleteKeys(tx.objectStore('sinkStaged'), bySink);
  });
}
