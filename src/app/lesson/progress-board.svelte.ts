// The progress the pages show (curriculum map, lesson page), as Svelte state mirroring the
// `progress` store of progress.ts. Invariant: the store is the truth; the board only shows what
// a write returned or a read found, so two tabs agree after a reload.

import { SvelteMap } from 'svelte/reactivity';
import { loadAllProgress, recordProgress, resetProgress, type LessonProgress, type ProgressEvent } from './progress.ts';

class ProgressBoard {
  /** By lesson id; empty until the first load resolves (or when IndexedDB is unavailable). */
  readonly lessons = new SvelteMap<string, LessonProgress>();
  private loading: Promise<void> | null = null;

  /** Reads every lesson's progress once per page load (again after a reset). */
  load(): Promise<void> {
    this.loading ??= loadAllProgress()
      .then((all) => {
        for (const [id, p] of all) this.lessons.set(id, p);
      })
      .catch(() => {
        // Private browsing without IndexedDB: the pages work, progress is just not kept.
      });
    return this.loading;
  }

  get(lessonId: string): LessonProgress | undefined {
    return this.lessons.get(lessonId);
  }

  /** Records a change and shows it. */
  async record(lessonId: string, event: ProgressEvent): Promise<void> {
    try {
      this.lessons.set(lessonId, await recordProgress(lessonId, event));
    } catch {
      // As in load(): nothing to keep progress in.
    }
  }

  /** Forgets one lesson's progress, or everyone's. */
  async reset(lessonId?: string): Promise<void> {
    try {
      await resetProgress(lessonId);
    } catch {
      return;
    }
    if (lessonId === undefined) this.lessons.clear();
    else this.lessons.delete(lessonId);
  }
}

/** The app's one board. */
export const progressBoard = new ProgressBoard();
