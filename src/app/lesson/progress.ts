// A learner's progress through the curriculum, kept in IndexedDB (`brook-app`, store
// `progress`) with no login, one record per lesson under the lesson's id, which never changes.
// Invariant: a lesson once passed stays passed (a later failing check does not undo it), and
// every change is one read-modify-write transaction, so two quick updates never lose one.

import { appDb } from '../app-db.ts';

const STORE = 'progress';

export type LessonStatus = 'started' | 'passed';

/** What the app remembers of one lesson. */
export interface LessonProgress {
  readonly status: LessonStatus;
  /** How many times the learner's pipeline was checked. */
  readonly checks: number;
  /** How many hints were revealed (hints are revealed in order). */
  readonly hintsShown: number;
  readonly solutionShown: boolean;
  /** Wall-clock time of the last change (ms since the epoch). */
  readonly updatedAt: number;
}

/** A change to one lesson's progress. */
export type ProgressEvent =
  | { readonly type: 'opened' }
  | { readonly type: 'checked'; readonly pass: boolean }
  | { readonly type: 'hint'; readonly shown: number }
  | { readonly type: 'solution' };

const FRESH: Omit<LessonProgress, 'updatedAt'> = { status: 'started', checks: 0, hintsShown: 0, solutionShown: false };

/**
 * The progress after `event`; pure, so the rules can be read and tested in one place.
 * @example
 * nextProgress(undefined, { type: 'checked', pass: true }, 5).status // 'passed'
 */
export function nextProgress(before: LessonProgress | undefined, event: ProgressEvent, now: number): LessonProgress {
  const p = before ?? { ...FRESH, updatedAt: now };
  switch (event.type) {
    case 'opened':
      return before ?? p;
    case 'checked':
      return { ...p, checks: p.checks + 1, status: event.pass || p.status === 'passed' ? 'passed' : 'started', updatedAt: now };
    case 'hint':
      return { ...p, hintsShown: Math.max(p.hintsShown, event.shown), updatedAt: now };
    case 'solution':
      return { ...p, solutionShown: true, updatedAt: now };
  }
}

/** Records `event` for `lessonId` and returns the stored progress. */
export async function recordProgress(lessonId: string, event: ProgressEvent, now = Date.now()): Promise<LessonProgress> {
  const db = await appDb();
  const tx = db.transaction(STORE, 'readwrite');
  const before = (await tx.store.get(lessonId)) as LessonProgress | undefined;
  const after = nextProgress(before, event, now);
  if (after !== before) await tx.store.put(after, lessonId);
  await tx.done;
  return after;
}

/** One lesson's progress, or undefined when the learner never opened it. */
export async function loadProgress(lessonId: string): Promise<LessonProgress | undefined> {
  return (await (await appDb()).get(STORE, lessonId)) as LessonProgress | undefined;
}

/** Every lesson's progress, by lesson id. */
export async function loadAllProgress(): Promise<Map<string, LessonProgress>> {
  const db = await appDb();
  const tx = db.transaction(STORE);
  const all = new Map<string, LessonProgress>();
  for (let cursor = await tx.store.openCursor(); cursor; cursor = await cursor.continue()) {
    all.set(String(cursor.key), cursor.value as LessonProgress);
  }
  await tx.done;
  return all;
}

/** Forgets the progress of one lesson, or of every lesson when no id is given. */
export async function resetProgress(lessonId?: string): Promise<void> {
  const db = await appDb();
  if (lessonId === undefined) await db.clear(STORE);
  else await db.delete(STORE, lessonId);
}
