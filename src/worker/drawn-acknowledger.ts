// The page's half of flow control: it tells the worker how many deltas it has received once the
// page painted a frame after them (at once while the tab is hidden), one message per frame at
// most. The worker keeps at most a couple of deltas beyond that (engine-service.ts, awaitPage).

import type { PagePull } from './engine-worker.ts';

/**
 * Counts deltas as they arrive and acknowledges them through `send` after the next paint, while
 * `live()` holds (a killed sandbox's port gets nothing more).
 */
export function drawnAcknowledger(send: (message: PagePull) => void, live: () => boolean): () => void {
  let received = 0;
  let acknowledging = false;
  return () => {
    received++;
    if (acknowledging) return;
    acknowledging = true;
    afterNextPaint(() => {
      acknowledging = false;
      if (live()) send({ type: 'drawn', count: received });
    });
  };
}

/**
 * Runs `then` once the page has painted a frame (a task after the next animation frame), or
 * soon when it paints none: a hidden tab draws nothing, and its job must not wait for it.
 */
function afterNextPaint(then: () => void): void {
  if (typeof requestAnimationFrame !== 'function' || typeof document === 'undefined' || document.visibilityState === 'hidden') {
    setTimeout(then, 0);
    return;
  }
  requestAnimationFrame(() => setTimeout(then, 0));
}
