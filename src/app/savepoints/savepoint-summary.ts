// What the Savepoints dialog says about a savepoint file, and the file's way out and in: the
// operators it holds state for (uid, subtasks, keyed entries, size), the exported text and name
// (the same JSON `brook run --savepoint-out` writes, so `brook savepoint inspect` reads it), and
// the error an imported file gets (the same words as the command line's).

import { operatorOfPart, parseSavepointFile, type SavepointFile } from '../../engine/checkpoint/savepoint.ts';
import { StateProcessor } from '../../engine/checkpoint/state-processor.ts';

/** One operator's share of a savepoint. */
export interface SavepointOperator {
  readonly uid: string;
  readonly subtasks: number;
  /** Keyed state entries over its subtasks (every key and window). */
  readonly entries: number;
  /** Characters of its parts' JSON (what the file spends on it). */
  readonly bytes: number;
}

/**
 * The operators of a savepoint in the file's order (operator subtasks, then sources), each with
 * its subtasks, keyed entries and size. Job-level parts (alignment groups, `job`) are left out.
 * @example
 * operatorsOf(file) // [{ uid: 'totals', subtasks: 1, entries: 3, bytes: 412 }, { uid: 'readings', ... }]
 */
export function operatorsOf(file: SavepointFile): SavepointOperator[] {
  const byUid = new Map<string, { subtasks: number; bytes: number }>();
  for (const p of file.parts) {
    const uid = operatorOfPart(p.name);
    if (uid === undefined) continue;
    const o = byUid.get(uid) ?? { subtasks: 0, bytes: 0 };
    o.subtasks++;
    o.bytes += p.data.length;
    byUid.set(uid, o);
  }
  const entries = new Map<string, number>();
  for (const e of new StateProcessor(file).entries()) entries.set(e.operator, (entries.get(e.operator) ?? 0) + 1);
  return [...byUid].map(([uid, o]) => ({ uid, subtasks: o.subtasks, entries: entries.get(uid) ?? 0, bytes: o.bytes }));
}

/** A size in bytes for people: `412 B`, `3.4 KB`, `1.2 MB`. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The exported file's text: exactly what `brook run --savepoint-out` writes. */
export function savepointText(file: SavepointFile): string {
  return JSON.stringify(file, null, 2) + '\n';
}

/** A file name for the export, e.g. `playground-savepoint-7.json`. */
export function savepointFileName(pageId: string, file: SavepointFile): string {
  const page = pageId.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'brook';
  return `${page}-savepoint-${file.savepointId}.json`;
}

/** What reading an imported file gave: the savepoint, or the command line's error for it. */
export type ImportResult = { readonly ok: true; readonly file: SavepointFile } | { readonly ok: false; readonly message: string };

/**
 * Reads an imported file's text as `brook savepoint inspect FILE` does: a file that is not JSON,
 * not a Brook savepoint, of another version, or damaged gets the same message, naming the file.
 * @example
 * readSavepointImport('{}', 'notes.json') // { ok: false, message: 'notes.json: not a Brook savepoint: ...' }
 */
export function readSavepointImport(text: string, fileName: string): ImportResult {
  try {
    return { ok: true, file: parseSavepointFile(text, fileName) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
