// The savepoints a learner keeps, per page (the playground, each lesson), in the app's IndexedDB
// (`brook-app`, store `savepoints`, opened by app-db.ts) under the key `[pageId, id]`, so they
// survive a reload and one page's list never shows another's.
// Invariant: a stored savepoint is an intact SavepointFile as plain data (checked on the way in).

import { parseSavepointFile, type SavepointFile } from '../../engine/checkpoint/savepoint.ts';
import { appDb } from '../app-db.ts';

const STORE = 'savepoints';

/** How a savepoint came to the page. */
export type SavepointOrigin = 'taken' | 'stopped' | 'imported';

/** One kept savepoint. */
export interface SavedSavepoint {
  /** Unique within the page; also orders savepoints saved in the same millisecond. */
  readonly id: string;
  readonly pageId: string;
  /** Wall-clock time it was saved (ms since the epoch). */
  readonly savedAt: number;
  readonly origin: SavepointOrigin;
  /** The name of the file it was imported from. */
  readonly fileName?: string;
  readonly file: SavepointFile;
}

/** Every key of `pageId` sorts between these two (arrays sort after strings in IndexedDB). */
function pageRange(pageId: string): IDBKeyRange {
  return IDBKeyRange.bound([pageId], [pageId, []]);
}

let counter = 0;

/**
 * Keeps `file` for `pageId` and returns what was stored. The file is checked (as an import or
 * `brook savepoint inspect` would) and copied to plain data, so a Svelte proxy never reaches
 * IndexedDB.
 * @example
 * await saveSavepoint('playground', await session.takeSavepoint(), { origin: 'taken' });
 */
export async function saveSavepoint(
  pageId: string,
  file: SavepointFile,
  how: { readonly origin: SavepointOrigin; readonly fileName?: string; readonly savedAt?: number },
): Promise<SavedSavepoint> {
  const plain = parseSavepointFile(JSON.stringify(file), how.fileName ?? 'savepoint');
  const savedAt = how.savedAt ?? Date.now();
  const id = `${savedAt.toString(36).padStart(9, '0')}-${(counter++).toString(36).padStart(4, '0')}`;
  const record: SavedSavepoint = { id, pageId, savedAt, origin: how.origin, ...(how.fileName !== undefined && { fileName: how.fileName }), file: plain };
  await (await appDb()).put(STORE, record, [pageId, id]);
  return record;
}

/** The savepoints of `pageId`, newest first. */
export async function listSavepoints(pageId: string): Promise<SavedSavepoint[]> {
  const all = (await (await appDb()).getAll(STORE, pageRange(pageId))) as SavedSavepoint[];
  return all.reverse();
}

/** Forgets one savepoint of `pageId` (nothing happens when it is already gone). */
export async function deleteSavepoint(pageId: string, id: string): Promise<void> {
  await (await appDb()).delete(STORE, [pageId, id]);
}
