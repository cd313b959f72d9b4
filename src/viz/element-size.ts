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
 * @example const size = observeSize(el, () => draw()); // later: size.width, size.disconnect()
 */
export function observeSize(el: HTMLElement, onResize: () => void): ElementSize {
  const observer = new ResizeObserver(() => {
    // Inside a ResizeObserver callback layout is fresh, so these reads cost nothing extra.
    size.width = el.clientWidth;
    size.height = el.clientHeight;
    onResize();
  });
  const size = { width: el.clientWidth, height: el.clientHeight, disconnect: () => observer.disconnect() };
  observer.observe(el);
  return size;
}
