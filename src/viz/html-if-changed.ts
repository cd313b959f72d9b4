// Writes an element's markup only when it differs from what this module last wrote there: a
// panel redrawn at every frame would otherwise replace identical nodes, and the page restyles
// and lays them out again. Invariant: only for elements whose markup nothing else writes.

const written = new WeakMap<Element, string>();

/**
 * Sets `el.innerHTML = html` unless `html` is what the last call wrote into `el`.
 * @example setHtmlIfChanged(list, items.map(li).join(''));
 */
export function setHtmlIfChanged(el: Element, html: string): void {
  if (written.get(el) === html) return;
  written.set(el, html);
  el.innerHTML = html;
}
