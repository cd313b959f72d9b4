// Checkpoints on IndexedDB: parts in `checkpointParts`, manifests in `manifests`.
//
// Invariants: a part and a manifest are each written in a transaction of their own, and the
// driver writes the manifest only after every part's write resolved, so a crash at any moment
// leaves either a complete checkpoint or a torn one (parts, no manifest). Listing verifies every
// checkpoint on read (`checkpointIntact`: manifest checksum, each part's size and checksum), so
// torn and damaged checkpoints are skipped, never restored. Deleting removes the manifest and
// the parts in one transaction.

import type { CheckpointManifest } from '../engine/checkpoint/durable-store.ts';
import { checkpointIntact } from '../engine/checkpoint/checksum.ts';
import { checkpointSubject } from '../engine/checkpoint/store-rules.ts';
import { withPrefix, type BrookDb } from './idb-schema.ts';
import { deleteKeys, fail, inTransaction, writeRows } from './idb-transaction.ts';

export function writeCheckpointPart(db: BrookDb, jobId: string, checkpointId: number, name: string, data: string): Promise<void> {
  const operation = { method: 'writeCheckpointPart', subject: checkpointSubject(jobId, checkpointId, name) } as const;
  return inTransaction(db, ['checkpointParts'], 'readwrite', operation, async (tx) => {
    writeRows(tx.objectStore('checkpointParts'), 'put', [{ jobId, checkpointId, name, data }]);
  });
}

export function writeCheckpointManifest(db: BrookDb, manifest: CheckpointManifest): Promise<void> {
  const operation = {
    method: 'writeCheckpointManifest',
    subject: checkpointSubject(manifest.jobId, manifest.checkpointId),
  } as const;
  // Strict durability: once this resolves, the checkpoint survives an operating-system crash too.
  const strict: IDBTransactionOptions = { durability: 'strict' };
  return inTransaction(db, ['manifests'], 'readwrite', operation, async (tx) => {
    writeRows(tx.objectStore('manifests'), 'put', [manifest]);
  }, strict);
}

/** Complete checkpoints of a job, newest first; every one verified against its parts. */
export async function listCheckpoints(db: BrookDb, jobId: string): Promise<CheckpointManifest[]> {
  const operation = { method: 'listCheckpoints', subject: checkpointSubject(jobId) } as const;
  const { manifests, parts } = await inTransaction(db, ['manifests', 'checkpointParts'], 'readonly', operation, async (tx) => {
    const found = await tx.objectStore('manifests').getAll(withPrefix([jobId]));
    const partStore = tx.objectStore('checkpointParts');
    const data = await Promise.all(
      found.map(async (manifest) => {
        const rows = await partStore.getAll(withPrefix([jobId, manifest.checkpointId]));
        return new Map(rows.map((row) => [row.name, row.data]));
      }),
    );
    return { manifests: found, parts: data };
  });
  // Checksums are computed after the transaction ended, so a long check never holds it open.
  return manifests
    .filter((manifest, i) => checkpointIntact(manifest, (name) => parts[i].get(name)))
    .sort((a, b) => b.checkpointId - a.checkpointId);
}

export function readCheckpointPart(db: BrookDb, jobId: string, checkpointId: number, name: string): Promise<string> {
  const operation = { method: 'readCheckpointPart', subject: checkpointSubject(jobId, checkpointId, name) } as const;
  return inTransaction(db, ['checkpointParts'], 'readonly', operation, async (tx) => {
    const row = await tx.objectStore('checkpointParts').get([jobId, checkpointId, name]);
    return row ? row.data : fail(operation, 'NotFoundError', 'no such part');
  });
}

export function deleteCheckpoint(db: BrookDb, jobId: string, checkpointId: number): Promise<void> {
  const operation = { method: 'deleteCheckpoint', subject: checkpointSubject(jobId, checkpointId) } as const;
  return inTransaction(db, ['manifests', 'checkpointParts'], 'readwrite', operation, async (tx) => {
    deleteKeys(tx.objectStore('manifests'), [[jobId, checkpointId]]);
    deleteKeys(tx.objectStore('checkpointParts'), [withPrefix([jobId, checkpointId])]);
  });
}
