// Checkpoints on IndexedDB: parts in `checkpointParts`, manifests in `manifests`.
//
// Invariants: `writeCheckpoint` puts a checkpoint's parts and then its manifest in one
// transaction, so a crash at any moment leaves the whole checkpoint or nothing of it; the older
// path (a transaction per part, then one for the manifest) leaves either a complete checkpoint
// or a torn one (parts, no manifest). Listing verifies every checkpoint on read
// (`checkpointIntact`: manifest checksum, each part's size and checksum, shared parts of an
// incremental chain included), so torn and damaged checkpoints are skipped, never restored.
// Deleting removes the manifest and the parts not kept in one transaction.
//
// A part written in chunks (`writeCheckpointChunks`, or a binary part: part-data.ts) is one row
// per chunk: chunk 0 under the part's name, chunk i under `name + CHUNK_MARK + i` (zero-padded,
// so rows sort in chunk order right after the part's own row). Readers get a part's rows back
// as the part (text rows joined, a binary part's chunks as they are: `partFromChunks`); every
// write of a part first deletes chunk rows an earlier write of the same id may have left.

import { unwrap } from 'idb';
import { manifestOf, type CheckpointManifest, type ChunkedPart, type ManifestSource } from '../engine/checkpoint/durable-store.ts';
import { checkpointIntact } from '../engine/checkpoint/checksum.ts';
import { chunksOf, partFromChunks, type ChunkData, type PartData } from '../engine/checkpoint/part-data.ts';
import { checkpointSubject } from '../engine/checkpoint/store-rules.ts';
import { withPrefix, type BrookDb, type PartRow } from './idb-schema.ts';
import { deleteKeys, fail, inTransaction, writeRows, type WritableStore } from './idb-transaction.ts';

/** Separates a part's name from a chunk's number in a chunk row's name (a part name holds no NUL). */
const CHUNK_MARK = '\u0000';

/** The row name of chunk `index` of part `name`. */
export const chunkRow = (name: string, index: number): string => (index === 0 ? name : `${name}${CHUNK_MARK}${String(index).padStart(6, '0')}`);

/** The part a row belongs to. */
const partOfRow = (row: string): string => {
  const at = row.indexOf(CHUNK_MARK);
  return at < 0 ? row : row.slice(0, at);
};

/** Every row of part `name` of a checkpoint: its own, then its chunks'. */
const partRows = (jobId: string, checkpointId: number, name: string): IDBKeyRange =>
  IDBKeyRange.bound([jobId, checkpointId, name], [jobId, checkpointId, `${name}\u0001`], false, true);

/** The chunk rows (1 on) of part `name`: deleted before the part is written again. */
export const chunkRows = (jobId: string, checkpointId: number, name: string): IDBKeyRange =>
  IDBKeyRange.bound([jobId, checkpointId, `${name}${CHUNK_MARK}`], [jobId, checkpointId, `${name}\u0001`], false, true);

/** Deletes chunk rows an earlier write of these parts left (a part written again must not join them). */
function clearChunks(rows: WritableStore<'checkpointParts'>, jobId: string, checkpointId: number, names: readonly string[]): void {
  deleteKeys(rows, names.map((name) => chunkRows(jobId, checkpointId, name)));
}

/** The rows of a part: one, or a binary part's one per chunk. */
function rowsOf(jobId: string, checkpointId: number, name: string, data: PartData): PartRow[] {
  return chunksOf(data).map((chunk, index) => ({ jobId, checkpointId, name: chunkRow(name, index), data: chunk }));
}

export function writeCheckpointPart(db: BrookDb, jobId: string, checkpointId: number, name: string, data: PartData): Promise<void> {
  const operation = { method: 'writeCheckpointPart', subject: checkpointSubject(jobId, checkpointId, name) } as const;
  return inTransaction(db, ['checkpointParts'], 'readwrite', operation, async (tx) => {
    clearChunks(tx.objectStore('checkpointParts'), jobId, checkpointId, [name]);
    writeRows(tx.objectStore('checkpointParts'), 'put', rowsOf(jobId, checkpointId, name, data));
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

/**
 * A checkpoint in one transaction: its parts first, then its manifest, with strict durability
 * (once this resolves the checkpoint survives an operating-system crash). IndexedDB commits a
 * transaction whole or not at all, so "data first, manifest last" holds within it and a torn
 * checkpoint cannot exist; one transaction also saves the per-transaction cost a write per part
 * paid (the snapshot-write benchmark, docs/durability.md). A manifest given as a function is
 * sealed after the parts' puts were issued: the page computes the checksums while IndexedDB's
 * backend (another process, in Chromium) writes the parts.
 */
export function writeCheckpoint(
  db: BrookDb,
  jobId: string,
  checkpointId: number,
  source: ManifestSource,
  parts: readonly { readonly name: string; readonly data: PartData }[],
): Promise<void> {
  const operation = { method: 'writeCheckpoint', subject: checkpointSubject(jobId, checkpointId) } as const;
  const strict: IDBTransactionOptions = { durability: 'strict' };
  return inTransaction(db, ['checkpointParts', 'manifests'], 'readwrite', operation, async (tx) => {
    clearChunks(tx.objectStore('checkpointParts'), jobId, checkpointId, parts.map((part) => part.name));
    writeRows(tx.objectStore('checkpointParts'), 'put', parts.flatMap((part) => rowsOf(jobId, checkpointId, part.name, part.data)));
    const manifest = manifestOf(source);
    if (manifest.jobId !== jobId || manifest.checkpointId !== checkpointId) fail(operation, 'DataError', `the manifest is of checkpoint ${manifest.checkpointId} of job "${manifest.jobId}"`);
    writeRows(tx.objectStore('manifests'), 'put', [manifest]);
  }, strict);
}

/**
 * As writeCheckpoint, with each part given chunk by chunk: a put per chunk as soon as the part's
 * `write` hands it over, all in the one strict-durability transaction, the manifest sealed and
 * put last. Each put clones its chunk on this thread and hands it to IndexedDB's backend (in
 * Chromium another process), which writes it while the next chunk is encoded: encoding and
 * writing overlap instead of following each other. The puts are issued synchronously inside the
 * transaction body, so the transaction stays active; a part whose `write` throws, a put that
 * fails (DataError, QuotaExceededError) or a bad manifest aborts it and nothing is stored.
 */
export function writeCheckpointChunks(
  db: BrookDb,
  jobId: string,
  checkpointId: number,
  source: ManifestSource,
  parts: readonly ChunkedPart[],
): Promise<void> {
  const operation = { method: 'writeCheckpoint', subject: checkpointSubject(jobId, checkpointId) } as const;
  const strict: IDBTransactionOptions = { durability: 'strict' };
  return inTransaction(db, ['checkpointParts', 'manifests'], 'readwrite', operation, async (tx) => {
    clearChunks(tx.objectStore('checkpointParts'), jobId, checkpointId, parts.map((part) => part.name));
    const rows = unwrap(tx.objectStore('checkpointParts'));
    for (const part of parts) {
      let index = 0;
      part.write((data) => void rows.put({ jobId, checkpointId, name: chunkRow(part.name, index++), data }));
    }
    const manifest = manifestOf(source);
    if (manifest.jobId !== jobId || manifest.checkpointId !== checkpointId) fail(operation, 'DataError', `the manifest is of checkpoint ${manifest.checkpointId} of job "${manifest.jobId}"`);
    writeRows(tx.objectStore('manifests'), 'put', [manifest]);
  }, strict);
}

/** Complete checkpoints of a job, newest first; every one verified against its parts. */
export async function listCheckpoints(db: BrookDb, jobId: string): Promise<CheckpointManifest[]> {
  const operation = { method: 'listCheckpoints', subject: checkpointSubject(jobId) } as const;
  const { manifests, parts } = await inTransaction(db, ['manifests', 'checkpointParts'], 'readonly', operation, async (tx) => {
    const found = await tx.objectStore('manifests').getAll(withPrefix([jobId]));
    // Every part of the job: an incremental checkpoint also lists parts stored under earlier ones.
    const rows = found.length === 0 ? [] : await tx.objectStore('checkpointParts').getAll(withPrefix([jobId]));
    // Rows come in key order: a part's own row, then its chunks in order.
    const byCheckpoint = new Map<number, Map<string, ChunkData[]>>();
    for (const row of rows) {
      let named = byCheckpoint.get(row.checkpointId);
      if (named === undefined) byCheckpoint.set(row.checkpointId, (named = new Map()));
      const part = partOfRow(row.name);
      const chunks = part === row.name ? undefined : named.get(part);
      if (chunks === undefined) named.set(part, [row.data]);
      else chunks.push(row.data);
    }
    return { manifests: found, parts: byCheckpoint };
  });
  // Checksums are computed after the transaction ended, so a long check never holds it open.
  return manifests
    .filter((manifest) => checkpointIntact(manifest, (name, id) => {
      const chunks = parts.get(id)?.get(name);
      return chunks === undefined ? undefined : partFromChunks(chunks);
    }))
    .sort((a, b) => b.checkpointId - a.checkpointId);
}

export function readCheckpointPart(db: BrookDb, jobId: string, checkpointId: number, name: string): Promise<PartData> {
  const operation = { method: 'readCheckpointPart', subject: checkpointSubject(jobId, checkpointId, name) } as const;
  return inTransaction(db, ['checkpointParts'], 'readonly', operation, async (tx) => {
    const rows = await tx.objectStore('checkpointParts').getAll(partRows(jobId, checkpointId, name));
    // The part's own row comes first; without it, leftover chunks are not a part.
    if (rows.length === 0 || rows[0]!.name !== name) return fail(operation, 'NotFoundError', 'no such part');
    return partFromChunks(rows.map((row) => row.data));
  });
}

export function deleteCheckpoint(db: BrookDb, jobId: string, checkpointId: number, keepParts: readonly string[] = []): Promise<void> {
  const operation = { method: 'deleteCheckpoint', subject: checkpointSubject(jobId, checkpointId) } as const;
  return inTransaction(db, ['manifests', 'checkpointParts'], 'readwrite', operation, async (tx) => {
    deleteKeys(tx.objectStore('manifests'), [[jobId, checkpointId]]);
    const parts = tx.objectStore('checkpointParts');
    if (keepParts.length === 0) {
      deleteKeys(parts, [withPrefix([jobId, checkpointId])]);
      return;
    }
    const keep = new Set(keepParts);
    const names = (await parts.getAllKeys(withPrefix([jobId, checkpointId]))).map((key) => key[2]);
    deleteKeys(parts, names.filter((name) => !keep.has(partOfRow(name))).map((name): [string, number, string] => [jobId, checkpointId, name]));
  });
}
