// The Savepoints of one run session, as the toolbar menu and the dialog share them: the page's
// kept savepoints (savepoint-store.ts), the dialog's open state, its last error and notice, and
// the actions (take, stop with, resume from, export, import, delete).
// Invariant: entries are plain data ($state.raw), so a file handed to the worker or to
// IndexedDB is never a Svelte proxy; a failed import or restore leaves every kept savepoint as it was.

import type { SavepointFile } from '../../engine/checkpoint/savepoint.ts';
import type { RunSession } from '../playground/run-session.svelte.ts';
import { deleteSavepoint, listSavepoints, saveSavepoint, type SavedSavepoint } from './savepoint-store.ts';
import { readSavepointImport, savepointFileName, savepointText } from './savepoint-summary.ts';

export class SavepointShelf {
  /** Whether the Savepoints dialog is open. */
  open = $state(false);
  /** The page's savepoints, newest first. */
  entries: readonly SavedSavepoint[] = $state.raw([]);
  /** The last action's failure, in the engine's (or the command line's) words. */
  error: string | null = $state(null);
  /** The last action's success, for a polite announcement. */
  notice: string | null = $state(null);
  busy = $state(false);
  /** Drop state of operators the code no longer has when resuming (Flink's --allowNonRestoredState). */
  allowNonRestoredState = $state(false);

  constructor(readonly session: RunSession) {}

  /** The page the savepoints belong to (the session's job id: `playground`, `lesson-<id>`). */
  get pageId(): string {
    return this.session.jobId;
  }

  /** Whether a job is loaded to take a savepoint of. */
  get canTake(): boolean {
    return this.session.isLoaded && !this.busy;
  }

  async show(): Promise<void> {
    this.open = true;
    await this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      this.entries = await listSavepoints(this.pageId);
    } catch (error) {
      this.error = `the saved savepoints could not be read: ${message(error)}`;
    }
  }

  /** Takes a savepoint now; the job keeps running. */
  take(): Promise<void> {
    return this.act(async () => {
      const file = await this.session.takeSavepoint();
      if (file) await this.keep(file, 'taken', `Savepoint ${file.savepointId} taken at processing time ${file.time} ms; the job runs on.`);
    });
  }

  /** Stops the job with a savepoint. */
  stop(): Promise<void> {
    return this.act(async () => {
      const file = await this.session.stopWithSavepoint();
      if (file) await this.keep(file, 'stopped', `Stopped with savepoint ${file.savepointId} at processing time ${file.time} ms.`);
      else if (file === null) this.error = 'the job stopped, but no savepoint could be taken (it had already ended, or its checkpoint failed)';
    });
  }

  /** Runs the editor's current code from `entry`; closes the dialog once the run started. */
  resume(entry: SavedSavepoint): Promise<void> {
    return this.act(async () => {
      const ok = await this.session.resumeFrom(entry.file, this.allowNonRestoredState);
      if (ok) {
        this.open = false;
        return;
      }
      this.error = this.session.errors.map((e) => e.message).join('\n') || `the run could not start from savepoint ${entry.file.savepointId}`;
    });
  }

  /** Downloads `entry` as the JSON file the command line reads. */
  exportEntry(entry: SavedSavepoint): void {
    const url = URL.createObjectURL(new Blob([savepointText(entry.file)], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = savepointFileName(this.pageId, entry.file);
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    this.notice = `Exported savepoint ${entry.file.savepointId} as ${a.download}.`;
  }

  /** Reads a picked file; a damaged or foreign one gets the command line's error and is not kept. */
  importFile(picked: File): Promise<void> {
    return this.act(async () => {
      const read = readSavepointImport(await picked.text(), picked.name);
      if (!read.ok) {
        this.error = read.message;
        return;
      }
      await this.keep(read.file, 'imported', `Imported savepoint ${read.file.savepointId} from ${picked.name}.`, picked.name);
    });
  }

  remove(entry: SavedSavepoint): Promise<void> {
    return this.act(async () => {
      await deleteSavepoint(this.pageId, entry.id);
      await this.refresh();
      this.notice = `Deleted savepoint ${entry.file.savepointId}.`;
    });
  }

  private async keep(file: SavepointFile, origin: SavedSavepoint['origin'], notice: string, fileName?: string): Promise<void> {
    await saveSavepoint(this.pageId, file, { origin, ...(fileName !== undefined && { fileName }) });
    await this.refresh();
    this.notice = notice;
  }

  /** One action at a time; its failure becomes the error shown, never an unhandled rejection. */
  private async act(work: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = null;
    this.notice = null;
    try {
      await work();
    } catch (error) {
      this.error = message(error);
    } finally {
      this.busy = false;
    }
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const shelves = new WeakMap<RunSession, SavepointShelf>();

/** The one shelf of `session` (the toolbar and the dialog find the same one). */
export function shelfFor(session: RunSession): SavepointShelf {
  let shelf = shelves.get(session);
  if (!shelf) {
    shelf = new SavepointShelf(session);
    shelves.set(session, shelf);
  }
  return shelf;
}
