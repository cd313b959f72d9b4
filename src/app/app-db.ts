// The app's own IndexedDB database, `brook-app` (trusted code only; jobs have their own
// `brook-job-<id>` databases). The one place that opens it and creates its stores: `drafts`
// (editor text per page), `progress` (per lesson) and `savepoints` (savepoint files per page,
// keyed `[pageId, id]`). Invariant: one connection for the whole app, every store exists once
// `appDb()` resolves, and a new store arrives by a version bump that leaves the others' data alone.

import { openDB, type IDBPDatabase } from 'idb';

export const APP_DB_NAME = 'brook-app';

/** Every store of `brook-app`; a new store is added here and nowhere else. */
export const APP_STORES = ['drafts', 'progress', 'savepoints'] as const;
export type AppStore = (typeof APP_STORES)[number];

let opening: Promise<IDBPDatabase> | null = null;

/**
 * The open `brook-app` database with every store of {@link APP_STORES}. It is opened at whatever
 * version exists (older builds added stores one at a time, by upgrades), and upgraded by one
 * version only when a store is missing, so an existing database never causes a VersionError.
 * @example
 * await (await appDb()).put('progress', record, lessonId);
 */
export function appDb(): Promise<IDBPDatabase> {
  opening ??= (async () => {
    const upgrade = (upgrading: IDBPDatabase) => {
      for (const name of APP_STORES) if (!upgrading.objectStoreNames.contains(name)) upgrading.createObjectStore(name);
    };
    // A new database is created at version 1 with every store (the upgrade runs on creation).
    let db = await openDB(APP_DB_NAME, undefined, { upgrade });
    if (APP_STORES.some((name) => !db.objectStoreNames.contains(name))) {
      const version = db.version + 1;
      db.close();
      db = await openDB(APP_DB_NAME, version, { upgrade });
    }
    // Another tab with a newer build upgrades the database: let it, and reopen on next use.
    db.addEventListener('versionchange', () => {
      db.close();
      opening = null;
    });
    return db;
  })().catch((error: unknown) => {
    opening = null;
    throw error;
  });
  return opening;
}
