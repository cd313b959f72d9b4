// Updates a container's children from a list of markup strings, one element each, keeping every
// child whose markup is unchanged: a list redrawn while a run plays (output rows, state chips,
// timer rows) then parses, styles and lays out only its new or changed items.
// Invariant: only for containers whose children nothing else writes.

/**
 * For each next item, the index of a previous child with the same markup to keep (each used
 * once, the earliest first), or -1 for an item to create.
 * @example reuse(['a', 'b', 'c'], ['b', 'c', 'd']) // [1, 2, -1]
 */
export function reuse(previous: readonly string[], next: readonly string[]): number[] {
  const free = new Map<string, number[]>();
  for (let i = previous.length - 1; i >= 0; i--) {
    const list = free.get(previous[i]!);
    if (list) list.push(i);
    else free.set(previous[i]!, [i]);
  }
  return next.map((html) => free.get(html)?.pop() ?? -1);
}

const shown = new WeakMap<Element, { html: string[]; children: Element[] }>();

/**
 * Makes `container`'s children the elements of `items` (markup of one element each), in order,
 * creating only the items whose markup no current child has.
 * @example setChildrenHtml(list, rows.map(rowHtml));
 */
export function setChildrenHtml(container: Element, items: readonly string[]): void {
  const before = shown.get(container);
  if (before && before.html.length === items.length && before.html.every((h, i) => h === items[i])) return;
  const previous = before ?? { html: [], children: [] };
  const kept = reuse(previous.html, items);
  const fresh = items.filter((_, i) => kept[i] === -1);
  const template = container.ownerDocument.createElement('template');
  template.innerHTML = fresh.join('');
  const made = [...template.content.children];
  if (made.length !== fresh.length || (!before && container.children.length > 0)) {
    // Markup that is not one element per item (or children someone else wrote): write it whole.
    container.innerHTML = items.join('');
    shown.set(container, { html: [...items], children: [...container.children] });
    return;
  }
  let m = 0;
  const children = items.map((_, i) => (kept[i]! >= 0 ? previous.children[kept[i]!]! : made[m++]!));
  const keep = new Set(children);
  for (const child of previous.children) if (!keep.has(child)) child.remove();
  let cursor = container.firstElementChild;
  for (const child of children) {
    if (child === cursor) cursor = cursor.nextElementSibling;
    else container.insertBefore(child, cursor);
  }
  shown.set(container, { html: [...items], children });
}

/** Forgets what `setChildrenHtml` wrote into `container` (call after writing it otherwise). */
export function forgetChildren(container: Element): void {
  shown.delete(container);
}
