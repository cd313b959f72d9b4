// Work that readies something ahead of need (a warm-up), run in an idle task where the browser
// has them (requestIdleCallback) so it takes no frame from a draw, else in a task of its own.
// Invariant: `run` runs once, `timeout` ms after the call at the latest (sooner when idle).

/**
 * Runs `run` in an idle task, or after `timeout` ms if the page is never idle that long.
 * @example whenIdle(() => warmUp(), 50);
 */
export function whenIdle(run: () => void, timeout: number): void {
  const w = globalThis as { requestIdleCallback?: (cb: () => void, o?: { timeout: number }) => number };
  if (w.requestIdleCallback) w.requestIdleCallback(run, { timeout });
  else setTimeout(run, 0);
}
