// Drafts: the editor's text per page (lesson, playground, ...) in IndexedDB, database
// `brook-app` (opened by app-db.ts), store `drafts`, so an edit survives a reload. Saves are
// debounced per page.
// Invariant: only plain strings are stored (a Svelte `$state` proxy cannot be cloned).

import { appDb } from './app-db.ts';

const STORE = 'drafts';
/** How long typing must pause before the draft is written. */
export const DRAFT_SAVE_DELAY_MS = 300;

/** One page's draft; the key is the page id. */
interface DraftRecord {
  readonly text: string;
  /** Wall-clock time of the save (ms since the epoch), for "edited 2 min ago" and clean-ups. */
  readonly savedAt: number;
}

/** `brook-app`, opened (with every store) by app-db.ts. */
const database = appDb;

/** A save waiting for its debounce: the newest text, and everyone waiting for it to land. */
interface PendingSave {
  text: string;
  timer: ReturnType<typeof setTimeout>;
  readonly waiters: { resolve: () => void; reject: (error: unknown) => void }[];
}

const pending = new Map<string, PendingSave>();

async function write(pageId: string, text: string): Promise<void> {
  const record: DraftRecord = { text, savedAt: Date.now() };
  await (await database()).put(STORE, record, pageId);
}

/** The saved draft of `pageId`, or undefined when there is none (show the starter code). */
export async function loadDraft(pageId: string): Promise<string | undefined> {
  const waiting = pending.get(pageId);
  if (waiting) return waiting.text;
  const record = (await (await database()).get(STORE, pageId)) as DraftRecord | undefined;
  return record?.text;
}

/**
 * Saves `text` as the draft of `pageId` once edits pause for {@link DRAFT_SAVE_DELAY_MS}; a
 * newer save of the same page replaces a waiting one. Resolves when the text is written.
 */
export function saveDraft(pageId: string, text: string): Promise<void> {
  const plain = String(text);
  const existing = pending.get(pageId);
  if (existing) clearTimeout(existing.timer);
  // A failed write rejects the callers' promises; the timer itself has no one to tell.
  const timer = setTimeout(() => void flush(pageId).catch(() => {}), DRAFT_SAVE_DELAY_MS);
  const save = existing ?? { text: plain, timer, waiters: [] };
  save.text = plain;
  save.timer = timer;
  pending.set(pageId, save);
  return new Promise((resolve, reject) => save.waiters.push({ resolve, reject }));
}

/** Writes the waiting save of `pageId` now (or of every page), e.g. when the page is hidden. */
export async function flushDrafts(pageId?: string): Promise<void> {
  const ids = pageId === undefined ? [...pending.keys()] : [pageId];
  await Promise.all(ids.map((id) => flush(id)));
}

async function flush(pageId: string): Promise<void> {
  const save = pending.get(pageId);
  if (!save) return;
  clearTimeout(save.timer);
  pending.delete(pageId);
  try {
    await write(pageId, save.text);
  } catch (error) {
    for (const w of save.waiters) w.reject(error);
    throw error;
  }
  for (const w of save.waiters) w.resolve();
}

/** Forgets the draft of `pageId`, including a save still waiting ("reset to starter"). */
export async function clearDraft(pageId: string): Promise<void> {
  const waiting = pending.get(pageId);
  if (waiting) {
    clearTimeout(waiting.timer);
    pending.delete(pageId);
    // The text they waited for is deliberately never written.
    for (const w of waiting.waiters) w.resolve();
  }
  await (await database()).delete(STORE, pageId);
}
