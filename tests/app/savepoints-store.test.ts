import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import * as brook from '../../src/engine/api/index.ts';
import { runDurable } from '../../src/engine/checkpoint/job-driver.ts';
import { MemoryDurableStore } from '../../src/engine/checkpoint/memory-store.ts';
import type { SavepointFile } from '../../src/engine/checkpoint/savepoint.ts';
import { describeSavepoint } from '../../src/cli/savepoint-command.ts';

// The app's savepoint list (savepoint-store.ts) and the upgrade of `brook-app` that brought its
// store, on fake-indexeddb; plus what the dialog says of a file and reads from an import.

type Store = typeof import('../../src/app/savepoints/savepoint-store.ts');
type Summary = typeof import('../../src/app/savepoints/savepoint-summary.ts');
let store: Store;
let summary: Summary;

beforeEach(async () => {
  globalThis.indexedDB = new IDBFactory();
  vi.resetModules();
  store = await import('../../src/app/savepoints/savepoint-store.ts');
  summary = await import('../../src/app/savepoints/savepoint-summary.ts');
});

/** A real savepoint: a keyed window sum stopped at processing time 1,000. */
async function realSavepoint(): Promise<SavepointFile> {
  const readings = Array.from({ length: 12 }, (_, i) => ({ k: i % 2 ? 'odd' : 'even', v: i, t: i * 100 }));
  const build = (p: brook.Pipeline) => {
    p.fromArray(readings, { timestampOf: (r) => r.t, uid: 'readings' })
      .keyBy((r) => r.k)
      .window(brook.tumblingWindows(brook.seconds(2)))
      .sum((r) => r.v)
      .uid('totals')
      .sink('sums');
  };
  const result = await runDurable(build, { store: new MemoryDurableStore(), jobId: 'playground', checkpointInterval: 500, stopWithSavepointAt: 1000 });
  return result.savepoint!;
}

describe('brook-app upgrade', () => {
  test('a database of an older build (drafts and progress only) gains the savepoints store and keeps its drafts and progress', async () => {
    const old = await openDB('brook-app', 2, {
      upgrade(db) {
        db.createObjectStore('drafts');
        db.createObjectStore('progress');
      },
    });
    await old.put('drafts', { text: 'export default () => {};', savedAt: 1 }, 'playground');
    await old.put('progress', { passed: true }, 'windows');
    old.close();

    const { appDb } = await import('../../src/app/app-db.ts');
    const db = await appDb();
    expect(db.version).toBe(3);
    expect([...db.objectStoreNames].sort()).toEqual(['drafts', 'progress', 'savepoints']);
    expect(await db.get('drafts', 'playground')).toEqual({ text: 'export default () => {};', savedAt: 1 });
    expect(await db.get('progress', 'windows')).toEqual({ passed: true });
  });

  test('a new database is created at version 1 with every store', async () => {
    const { appDb } = await import('../../src/app/app-db.ts');
    const db = await appDb();
    expect(db.version).toBe(1);
    expect([...db.objectStoreNames].sort()).toEqual(['drafts', 'progress', 'savepoints']);
  });
});

describe('savepoint store', () => {
  test('keeps savepoints per page, newest first, and deletes one without touching the others', async () => {
    const file = await realSavepoint();
    const first = await store.saveSavepoint('playground', file, { origin: 'taken', savedAt: 1_000 });
    const second = await store.saveSavepoint('playground', file, { origin: 'imported', fileName: 'sp.json', savedAt: 2_000 });
    await store.saveSavepoint('lesson-reprocessing-and-backfill', file, { origin: 'stopped', savedAt: 1_500 });

    expect((await store.listSavepoints('playground')).map((s) => [s.origin, s.savedAt, s.fileName])).toEqual([
      ['imported', 2_000, 'sp.json'],
      ['taken', 1_000, undefined],
    ]);
    expect((await store.listSavepoints('lesson-reprocessing-and-backfill')).map((s) => s.origin)).toEqual(['stopped']);
    expect((await store.listSavepoints('playground'))[0]!.file).toEqual(file);

    await store.deleteSavepoint('playground', second.id);
    expect((await store.listSavepoints('playground')).map((s) => s.id)).toEqual([first.id]);
    expect(await store.listSavepoints('lesson-reprocessing-and-backfill')).toHaveLength(1);
  });

  test('a page id that starts like another page id never shows the other page\'s savepoints', async () => {
    const file = await realSavepoint();
    await store.saveSavepoint('lesson-1', file, { origin: 'taken' });
    await store.saveSavepoint('lesson-10', file, { origin: 'taken' });
    expect(await store.listSavepoints('lesson-1')).toHaveLength(1);
  });

  test('refuses to keep a damaged savepoint, with the command line\'s words', async () => {
    const file = await realSavepoint();
    await expect(store.saveSavepoint('playground', { ...file, time: 5 }, { origin: 'imported', fileName: 'edited.json' })).rejects.toThrow(
      'edited.json: the savepoint is damaged or was edited: its checksum does not match its contents',
    );
    expect(await store.listSavepoints('playground')).toEqual([]);
  });
});

describe('savepoint summary', () => {
  test('lists each operator with its subtasks, keyed entries and size, as brook savepoint inspect counts them', async () => {
    const file = await realSavepoint();
    const operators = summary.operatorsOf(file);
    expect(operators.map((o) => [o.uid, o.subtasks, o.entries])).toEqual([
      ['totals', 1, 2],
      ['sink-sums', 1, 0],
      ['readings', 1, 0],
    ]);
    expect(operators.every((o) => o.bytes > 0)).toBe(true);
    expect(describeSavepoint(file)).toContain('  "totals" (1 subtask)');
  });

  test('exports the text the command line writes, and reads it back unchanged', async () => {
    const file = await realSavepoint();
    const text = summary.savepointText(file);
    expect(text).toBe(JSON.stringify(file, null, 2) + '\n');
    expect(summary.readSavepointImport(text, 'sp.json')).toEqual({ ok: true, file });
    expect(summary.savepointFileName('lesson-reprocessing-and-backfill', file)).toBe(`lesson-reprocessing-and-backfill-savepoint-${file.savepointId}.json`);
  });

  test('an import that is not JSON, not a savepoint, or damaged gets the command line\'s error naming the file', async () => {
    expect(summary.readSavepointImport('{ not json', 'notes.txt')).toEqual({ ok: false, message: expect.stringMatching(/^notes\.txt: not a savepoint: the file is not JSON \(/) });
    expect(summary.readSavepointImport('{"steps": []}', 'input.json')).toEqual({
      ok: false,
      message: 'input.json: not a Brook savepoint: it has no "format": "brook-savepoint" (is it a checkpoint, a trace or another tool\'s file?)',
    });
    const file = await realSavepoint();
    const damaged = summary.savepointText(file).replace('"seed": 0', '"seed": 1');
    expect(summary.readSavepointImport(damaged, 'sp.json')).toEqual({ ok: false, message: 'sp.json: the savepoint is damaged or was edited: its checksum does not match its contents' });
  });

  test('sizes read as people read them', () => {
    expect([summary.formatSize(412), summary.formatSize(3_482), summary.formatSize(1_258_291)]).toEqual(['412 B', '3.4 KB', '1.2 MB']);
  });
});
