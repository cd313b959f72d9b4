// An element's client size as its ResizeObserver last reported it. A panel's redraw reads these
// numbers instead of `clientWidth`: reading layout right after another panel changed its DOM
// forces a layout of the whole page, once per panel per frame. Invariant: `width` and `height`
// are the element's client size at the last observation (or at creation).

/** The observed size of one element; `disconnect` stops observing. */
export interface ElementSize {
  readonly width: number;
  readonly height: number;
  disconnect(): void;
}

/**
 * Observes `el`'s client size and calls `onResize` after it changed.
 *
 * `onResize` runs in a task of its own soon after the observation, not inside it: a
 * ResizeObserver's callback runs in the frame's rendering task, after the animation frame's
 * updates of every panel and the page's layout, so a redraw there (a panel whose toolbar wrapped
 * while a run grew: a whole chart at a new height, 10–35 ms) made that frame's task the run's
 * longest. Calls close together are folded into one.
 * @example const size = observeSize(el, () => draw()); // later: size.width, size.disconnect()
 */
export function observeSize(el: HTMLElement, onResize: () => void): ElementSize {
  let pending = false;
  let connected = true;
  const observer = new ResizeObserver(() => {
    // Inside a ResizeObserver callback layout is fresh, so these reads cost nothing extra.
    size.width = el.clientWidth;
    size.height = el.clientHeight;
    if (pending) return;
    pending = true;
    setTimeout(() => {
      pending = false;
      if (connected) onResize();
    }, 0);
  });
  const size = {
    width: el.clientWidth,
    height: el.clientHeight,
    disconnect: () => {
      connected = false;
      observer.disconnect();
    },
  };
  observer.observe(el);
  return size;
}
