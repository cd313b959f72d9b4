// Whether the page prefers a dark colour scheme, kept by one media query listener per window, for
// what draws its own colours (canvas sprites). Evaluating `matchMedia(…).matches` at each draw
// recalculated the page's style when another panel had just changed it (up to 3 ms of a traced
// run's frame). Invariant: `prefersDark` is up to date before any `onSchemeChange` listener runs.

interface SchemeWatch {
  dark: boolean;
  readonly listeners: Set<() => void>;
  /** Kept so that the list, and its listener, live as long as the window. */
  readonly query: MediaQueryList;
}

const watches = new WeakMap<Window, SchemeWatch>();

function watchOf(win: Window): SchemeWatch | undefined {
  if (typeof win.matchMedia !== 'function') return undefined;
  let watch = watches.get(win);
  if (watch === undefined) {
    const query = win.matchMedia('(prefers-color-scheme: dark)');
    const w: SchemeWatch = { dark: query.matches, listeners: new Set(), query };
    query.addEventListener?.('change', (event) => {
      w.dark = event.matches;
      for (const listener of [...w.listeners]) listener();
    });
    watches.set(win, (watch = w));
  }
  return watch;
}

/** Whether `win` prefers a dark colour scheme now (false where it cannot tell). */
export function prefersDark(win: Window | null): boolean {
  return win === null ? false : (watchOf(win)?.dark ?? false);
}

/**
 * Calls `listener` whenever `win`'s preferred colour scheme changes, after `prefersDark` has
 * learnt it. Returns what stops it.
 * @example const stop = onSchemeChange(window, () => redraw());
 */
export function onSchemeChange(win: Window, listener: () => void): () => void {
  const watch = watchOf(win);
  watch?.listeners.add(listener);
  return () => watch?.listeners.delete(listener);
}
