// The playground's keyboard shortcuts, decided from a key event without touching the DOM:
// space plays or pauses and `.` steps, except where the key types text or presses a control;
// Ctrl/Cmd+Enter runs from anywhere. Invariant: a key meant for the editor never moves the run.

export type ShortcutAction = 'run' | 'togglePlay' | 'step' | 'nextPanel' | 'previousPanel';

/** The parts of a KeyboardEvent a shortcut looks at. */
export interface KeyInput {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  /** The focused element's tag name (upper case), role and contenteditable flag. */
  readonly targetTag: string;
  readonly targetRole?: string | null;
  readonly targetEditable?: boolean;
  /** Whether the focus is inside the code editor. */
  readonly inEditor?: boolean;
}

const TYPING_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);
/** Where space already means something (press a button, toggle a box). */
const SPACE_TAGS = new Set(['BUTTON', 'A', 'SUMMARY']);
const SPACE_ROLES = new Set(['button', 'checkbox', 'switch', 'slider', 'tab', 'menuitem', 'option', 'separator']);

/**
 * The action a key press asks for, or null when the key belongs to what has focus.
 * `presenting` adds arrow and page keys for the previous and next panel.
 */
export function shortcutFor(k: KeyInput, presenting = false): ShortcutAction | null {
  if (k.key === 'Enter' && (k.ctrlKey || k.metaKey)) return 'run';
  if (k.ctrlKey || k.metaKey || k.altKey) return null;
  const typing = k.inEditor || k.targetEditable || TYPING_TAGS.has(k.targetTag);
  if (typing) return null;
  if (presenting) {
    if (k.key === 'ArrowRight' || k.key === 'PageDown') return 'nextPanel';
    if (k.key === 'ArrowLeft' || k.key === 'PageUp') return 'previousPanel';
  }
  if (k.key === '.') return 'step';
  if (k.key === ' ' || k.key === 'Spacebar') {
    if (SPACE_TAGS.has(k.targetTag) || (k.targetRole && SPACE_ROLES.has(k.targetRole))) return null;
    return 'togglePlay';
  }
  return null;
}

/** Reads a DOM keyboard event into a KeyInput (`editorSelector` marks the editor's container). */
export function keyInput(e: KeyboardEvent, editorSelector = '[data-code-editor]'): KeyInput {
  const t = e.target instanceof Element ? e.target : null;
  return {
    key: e.key,
    ctrlKey: e.ctrlKey,
    metaKey: e.metaKey,
    altKey: e.altKey,
    targetTag: t?.tagName ?? '',
    targetRole: t?.getAttribute('role') ?? null,
    targetEditable: t instanceof HTMLElement && t.isContentEditable,
    inEditor: t?.closest(editorSelector) != null,
  };
}
