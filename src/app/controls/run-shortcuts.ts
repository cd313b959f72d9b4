// Applies the keyboard shortcuts (shortcuts.ts) to a run session: the one handler the
// playground, lesson, embed and presentation pages install on the window.
import type { RunSession } from '../playground/run-session.svelte.ts';
import { keyInput, shortcutFor } from './shortcuts.ts';

/** Handles a window keydown for `session`; `onPanel` receives ±1 in presentation mode. */
export function handleRunShortcut(e: KeyboardEvent, session: RunSession, onPanel?: (delta: 1 | -1) => void): void {
  if (e.defaultPrevented || document.querySelector('dialog[open]')) return;
  const action = shortcutFor(keyInput(e), onPanel !== undefined);
  if (!action) return;
  e.preventDefault();
  switch (action) {
    case 'run':
      void session.run();
      return;
    case 'togglePlay':
      void session.togglePlay();
      return;
    case 'step':
      void session.step();
      return;
    case 'nextPanel':
      onPanel?.(1);
      return;
    case 'previousPanel':
      onPanel?.(-1);
      return;
  }
}
