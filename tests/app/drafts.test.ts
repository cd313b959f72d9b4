import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { beforeEach, describe, expect, test, vi } from 'vitest';

// Each test gets an empty IndexedDB and a fresh copy of the module (its connection is cached).
type Drafts = typeof import('../../src/app/drafts.ts');
let drafts: Drafts;

beforeEach(async () => {
  globalThis.indexedDB = new IDBFactory();
  vi.resetModules();
  drafts = await import('../../src/app/drafts.ts');
});

/** What is stored for `pageId`, read the way a reloaded page would. */
async function stored(pageId: string): Promise<unknown> {
  const db = await openDB('brook-app');
  try {
    return db.objectStoreNames.contains('drafts') ? ((await db.get('drafts', pageId)) as { text: string } | undefined)?.text : undefined;
  } finally {
    db.close();
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('drafts', () => {
  test('a page without a draft loads undefined', async () => {
    expect(await drafts.loadDraft('lesson/01-windows')).toBeUndefined();
  });

  test('a saved draft is written once typing pauses, and loads back', async () => {
    const saved = drafts.saveDraft('lesson/01-windows', 'export default () => {};');
    expect(await stored('lesson/01-windows')).toBeUndefined();
    await saved;
    expect(await stored('lesson/01-windows')).toBe('export default () => {};');
    expect(await drafts.loadDraft('lesson/01-windows')).toBe('export default () => {};');
  });

  test('a burst of saves writes only the last text, and every caller learns when it landed', async () => {
    const first = drafts.saveDraft('playground', 'a');
    await pause(drafts.DRAFT_SAVE_DELAY_MS / 3);
    const second = drafts.saveDraft('playground', 'ab');
    // Before the write, loading sees the newest text, not the stored one.
    expect(await drafts.loadDraft('playground')).toBe('ab');
    expect(await stored('playground')).toBeUndefined();
    await Promise.all([first, second]);
    expect(await stored('playground')).toBe('ab');
  });

  test('drafts of different pages are kept apart', async () => {
    await Promise.all([drafts.saveDraft('a', 'code of a'), drafts.saveDraft('b', 'code of b')]);
    expect([await drafts.loadDraft('a'), await drafts.loadDraft('b')]).toEqual(['code of a', 'code of b']);
  });

  test('flushDrafts writes a waiting save at once', async () => {
    void drafts.saveDraft('playground', 'typed just before the page hid');
    await drafts.flushDrafts();
    expect(await stored('playground')).toBe('typed just before the page hid');
  });

  test('clearDraft forgets the stored draft and a save still waiting (reset to starter)', async () => {
    await drafts.saveDraft('playground', 'old');
    const waiting = drafts.saveDraft('playground', 'newer');
    await drafts.clearDraft('playground');
    await waiting;
    await pause(drafts.DRAFT_SAVE_DELAY_MS + 50);
    expect(await stored('playground')).toBeUndefined();
    expect(await drafts.loadDraft('playground')).toBeUndefined();
  });

  test('the drafts store joins an existing brook-app database without touching its other stores', async () => {
    const before = await openDB('brook-app', 3, { upgrade: (db) => db.createObjectStore('progress') });
    await before.put('progress', { done: true }, 'lesson/01-windows');
    before.close();

    await drafts.saveDraft('playground', 'code');
    expect(await drafts.loadDraft('playground')).toBe('code');

    const after = await openDB('brook-app');
    expect(after.version).toBe(4);
    expect([...after.objectStoreNames].sort()).toEqual(['drafts', 'progress', 'savepoints']);
    expect(await after.get('progress', 'lesson/01-windows')).toEqual({ done: true });
    after.close();
  });
});
