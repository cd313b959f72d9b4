import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { beforeEach, describe, expect, test, vi } from 'vitest';

// Each test gets an empty IndexedDB and fresh modules (app-db.ts caches its connection).
type Progress = typeof import('../../../src/app/lesson/progress.ts');
type Drafts = typeof import('../../../src/app/drafts.ts');
let progress: Progress;
let drafts: Drafts;

beforeEach(async () => {
  globalThis.indexedDB = new IDBFactory();
  vi.resetModules();
  progress = await import('../../../src/app/lesson/progress.ts');
  drafts = await import('../../../src/app/drafts.ts');
});

describe('lesson progress', () => {
  test('a lesson never opened has no progress', async () => {
    expect(await progress.loadProgress('events-and-pipelines')).toBeUndefined();
    expect(await progress.loadAllProgress()).toEqual(new Map());
  });

  test('opening a lesson starts it once; opening it again changes nothing', async () => {
    const first = await progress.recordProgress('windows', { type: 'opened' }, 1000);
    expect(first).toEqual({ status: 'started', checks: 0, hintsShown: 0, solutionShown: false, updatedAt: 1000 });
    expect(await progress.recordProgress('windows', { type: 'opened' }, 2000)).toEqual(first);
    expect(await progress.loadProgress('windows')).toEqual(first);
  });

  test('checks are counted; a passing check marks the lesson passed', async () => {
    await progress.recordProgress('windows', { type: 'checked', pass: false }, 1000);
    expect(await progress.loadProgress('windows')).toEqual({ status: 'started', checks: 1, hintsShown: 0, solutionShown: false, updatedAt: 1000 });
    await progress.recordProgress('windows', { type: 'checked', pass: true }, 2000);
    expect(await progress.loadProgress('windows')).toEqual({ status: 'passed', checks: 2, hintsShown: 0, solutionShown: false, updatedAt: 2000 });
  });

  test('a lesson once passed stays passed when a later check fails', async () => {
    await progress.recordProgress('windows', { type: 'checked', pass: true }, 1000);
    const after = await progress.recordProgress('windows', { type: 'checked', pass: false }, 2000);
    expect(after).toMatchObject({ status: 'passed', checks: 2 });
  });

  test('hints shown only grow, and showing the solution is remembered', async () => {
    await progress.recordProgress('late-data', { type: 'hint', shown: 2 }, 1000);
    await progress.recordProgress('late-data', { type: 'hint', shown: 1 }, 2000);
    await progress.recordProgress('late-data', { type: 'solution' }, 3000);
    expect(await progress.loadProgress('late-data')).toEqual({ status: 'started', checks: 0, hintsShown: 2, solutionShown: true, updatedAt: 3000 });
  });

  test('quick updates of one lesson are all kept', async () => {
    await Promise.all([1, 2, 3, 4, 5].map((i) => progress.recordProgress('windows', { type: 'checked', pass: false }, i)));
    expect((await progress.loadProgress('windows'))?.checks).toBe(5);
  });

  test('loadAllProgress lists every lesson by id', async () => {
    await progress.recordProgress('windows', { type: 'checked', pass: true }, 1);
    await progress.recordProgress('late-data', { type: 'opened' }, 2);
    const all = await progress.loadAllProgress();
    expect([...all.keys()].sort()).toEqual(['late-data', 'windows']);
    expect(all.get('windows')?.status).toBe('passed');
  });

  test('resetting one lesson forgets only it; resetting all forgets everything', async () => {
    await progress.recordProgress('windows', { type: 'opened' }, 1);
    await progress.recordProgress('late-data', { type: 'opened' }, 2);
    await progress.resetProgress('windows');
    expect([...(await progress.loadAllProgress()).keys()]).toEqual(['late-data']);
    await progress.resetProgress();
    expect(await progress.loadAllProgress()).toEqual(new Map());
  });

  test('progress and drafts share one brook-app database, created with both stores at once', async () => {
    await progress.recordProgress('windows', { type: 'opened' }, 1);
    await drafts.saveDraft('lesson/windows', 'my code');
    const db = await openDB('brook-app');
    expect(db.version).toBe(1);
    expect([...db.objectStoreNames].sort()).toEqual(['drafts', 'progress', 'savepoints']);
    db.close();
  });

  test('an older brook-app that has only drafts gains the progress store and keeps its drafts', async () => {
    const old = await openDB('brook-app', 1, { upgrade: (db) => db.createObjectStore('drafts') });
    await old.put('drafts', { text: 'kept', savedAt: 1 }, 'playground');
    old.close();

    await progress.recordProgress('windows', { type: 'opened' }, 1);
    expect(await drafts.loadDraft('playground')).toBe('kept');
    const db = await openDB('brook-app');
    expect(db.version).toBe(2);
    expect([...db.objectStoreNames].sort()).toEqual(['drafts', 'progress', 'savepoints']);
    db.close();
  });
});

describe('nextProgress', () => {
  test('the first event of a lesson starts it', () => {
    expect(progress.nextProgress(undefined, { type: 'hint', shown: 1 }, 7)).toEqual({ status: 'started', checks: 0, hintsShown: 1, solutionShown: false, updatedAt: 7 });
  });
});
