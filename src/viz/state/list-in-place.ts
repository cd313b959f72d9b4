// The state inspector's lists written in place: the n-th chip or row keeps the n-th element, and
// only the texts and attributes that changed are written (no markup parsed). At a window's close
// every listed window and timer changes, and re-creating 200 chips and 40 rows (parse, style,
// layout of new elements) was most of the panel's frame. Invariant: the DOM equals what writing
// the same content afresh gives; only for containers nothing else writes.

/** Inline content: a text, or an element holding a text (a class and a style when given). */
export type Piece = string | { readonly tag: 'span' | 'small' | 'strong'; readonly cls?: string; readonly style?: string; readonly text: string };

/** A chip (`span.bk-chip`): its content and its tooltip. */
export interface Chip {
  readonly pieces: readonly Piece[];
  readonly title: string;
}

/** A section of chips: a heading's content, its chips, the note after them ('' for none) and what shows when it has none. */
export interface ChipSection {
  readonly head: readonly Piece[];
  readonly chips: readonly Chip[];
  readonly tail: string;
  readonly empty: string;
}

/** What a container shows: its items, or (when it has none) the markup written instead. */
interface Shown {
  empty: string | undefined;
  items: Element[];
}

const shown = new WeakMap<Element, Shown>();

/**
 * Keeps `container` showing `count` items made by `make` (or `empty`'s markup when `count` is
 * 0), before whatever trailing element it has; returns the items.
 */
function itemsOf(container: Element, count: number, empty: string, make: () => Element): Element[] {
  let s = shown.get(container);
  if (count === 0) {
    if (!s || s.empty !== empty) {
      container.innerHTML = empty;
      shown.set(container, { empty, items: [] });
    }
    return [];
  }
  if (!s || s.empty !== undefined) {
    container.textContent = '';
    shown.set(container, (s = { empty: undefined, items: [] }));
  }
  const items = s.items;
  // New items go before the trailing element (a "more" note); extra ones are removed.
  const before = container.children[items.length] ?? null;
  while (items.length < count) items.push(container.insertBefore(make(), before));
  while (items.length > count) items.pop()!.remove();
  return items;
}

/** Sets an attribute unless it already has that value (removes it for undefined). */
function setAttr(el: Element, name: string, value: string | undefined): void {
  if (value === undefined) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
  } else if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

/** Sets a text node's or an element's text unless it already has it. */
function setText(node: Node, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

/**
 * Makes `el`'s children `pieces` (empty texts left out), keeping each child that is already of
 * the right kind at its place and writing only what differs.
 * @example setPieces(cell, [`${name} `, { tag: 'span', cls: 'bk-subtle', text: '#0' }]);
 */
export function setPieces(el: Element, pieces: readonly Piece[]): void {
  const doc = el.ownerDocument;
  let node = el.firstChild;
  for (const p of pieces) {
    if (typeof p === 'string') {
      if (p === '') continue;
      if (node?.nodeType !== Node.TEXT_NODE) node = el.insertBefore(doc.createTextNode(p), node);
      else setText(node, p);
    } else {
      if (node?.nodeType !== Node.ELEMENT_NODE || (node as Element).localName !== p.tag) node = el.insertBefore(doc.createElement(p.tag), node);
      setAttr(node as Element, 'class', p.cls);
      setAttr(node as Element, 'style', p.style);
      setText(node, p.text);
    }
    node = node.nextSibling;
  }
  while (node) {
    const next = node.nextSibling;
    node.remove();
    node = next;
  }
}

/**
 * Makes `container`'s children one `span.bk-chip` per chip, then a `span.bk-subtle` of `tail`'s
 * text (a note; none when ''), or only `empty`'s markup when there are no chips.
 * @example setChipsInPlace(list, chips, '12 more windows in the table view', '<span class="bk-subtle">none</span>');
 */
export function setChipsInPlace(container: Element, chips: readonly Chip[], tail: string, empty: string): void {
  const doc = container.ownerDocument;
  const items = itemsOf(container, chips.length, empty, () => {
    const el = doc.createElement('span');
    el.className = 'bk-chip';
    return el;
  });
  chips.forEach((chip, i) => {
    setAttr(items[i]!, 'title', chip.title);
    setPieces(items[i]!, chip.pieces);
  });
  if (chips.length === 0) return;
  let note = container.children[chips.length];
  if (tail === '') {
    note?.remove();
    return;
  }
  if (!note) {
    note = container.appendChild(doc.createElement('span'));
    note.className = 'bk-subtle';
  }
  setText(note, tail);
}

/**
 * Makes `body`'s rows one `<tr>` per row of cells' content, or only `empty`'s markup when there
 * are no rows.
 * @example setRowsInPlace(tbody, timers.map((t) => [[t.operator], [key(t)]]), '<tr><td>none</td></tr>');
 */
export function setRowsInPlace(body: Element, rows: readonly (readonly (readonly Piece[])[])[], empty: string): void {
  const doc = body.ownerDocument;
  const items = itemsOf(body, rows.length, empty, () => doc.createElement('tr'));
  rows.forEach((cells, i) => {
    const tr = items[i]!;
    while (tr.children.length < cells.length) tr.appendChild(doc.createElement('td'));
    while (tr.children.length > cells.length) tr.lastElementChild!.remove();
    cells.forEach((cell, j) => setPieces(tr.children[j]!, cell));
  });
}

/**
 * Makes `container`'s children one `<div>` per section (its heading, then a `div.bk-chips` of
 * its chips), or only `empty`'s markup when there are none.
 */
export function setSectionsInPlace(container: Element, sections: readonly ChipSection[], empty: string): void {
  const doc = container.ownerDocument;
  const items = itemsOf(container, sections.length, empty, () => {
    const el = doc.createElement('div');
    el.append(doc.createElement('span'), doc.createElement('div'));
    el.lastElementChild!.className = 'bk-chips';
    return el;
  });
  sections.forEach((s, i) => {
    setPieces(items[i]!.firstElementChild!, s.head);
    setChipsInPlace(items[i]!.lastElementChild!, s.chips, s.tail, s.empty);
  });
}
