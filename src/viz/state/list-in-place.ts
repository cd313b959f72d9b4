// The state inspector's lists written in place: each chip or row keeps its element while its item
// (by key: a window, a timer, a state key) stays listed, and only the texts and attributes that
// changed are written; new items are built with DOM calls (no markup parsed). Between window
// closes items come and go in the middle of the lists, and an item kept by key is not relaid
// out; at a close every item changes, and parsing 200 chips and 40 rows of markup was most of
// the panel's frame. Invariant: the DOM equals what writing the same content afresh gives; only
// for containers nothing else writes.

/** Inline content: a text, or an element holding a text (a class and a style when given). */
export type Piece = string | { readonly tag: 'span' | 'small' | 'strong'; readonly cls?: string; readonly style?: string; readonly text: string };

/** A chip (`span.bk-chip`): what it stands for (unique in its list), its content and its tooltip. */
export interface Chip {
  readonly key: string;
  readonly pieces: readonly Piece[];
  readonly title: string;
}

/** A section of chips: what it stands for, a heading's content, its chips, the note after them ('' for none) and what shows when it has none. */
export interface ChipSection {
  readonly key: string;
  readonly head: readonly Piece[];
  readonly chips: readonly Chip[];
  readonly tail: string;
  readonly empty: string;
}

/** What a container shows: its items' elements by key, or (when it has none) the markup written instead. */
interface Shown {
  empty: string | undefined;
  byKey: Map<string, Element>;
}

const shown = new WeakMap<Element, Shown>();

/**
 * Keeps `container` showing one element per key of `keys`, in order, before whatever trailing
 * element it has (a "more" note), or only `empty`'s markup when there are none: an element whose
 * key was shown stays (moved only when out of order), the others are made by `make`. Returns the
 * elements, in order.
 */
function itemsOf(container: Element, keys: readonly string[], empty: string, make: () => Element): Element[] {
  let s = shown.get(container);
  if (keys.length === 0) {
    if (!s || s.empty !== empty) {
      container.innerHTML = empty;
      shown.set(container, { empty, byKey: new Map() });
    }
    return [];
  }
  if (!s || s.empty !== undefined) {
    container.textContent = '';
    shown.set(container, (s = { empty: undefined, byKey: new Map() }));
  }
  const before = s.byKey;
  const byKey = new Map<string, Element>();
  const items = keys.map((key) => {
    // A key listed twice gets an element of its own for each time.
    let k = key;
    while (byKey.has(k)) k += '\u0000';
    const el = before.get(k) ?? make();
    byKey.set(k, el);
    return el;
  });
  for (const [key, el] of before) if (byKey.get(key) !== el) el.remove();
  let cursor = container.firstElementChild;
  for (const el of items) {
    if (el === cursor) cursor = cursor.nextElementSibling;
    else container.insertBefore(el, cursor);
  }
  s.byKey = byKey;
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
  const items = itemsOf(
    container,
    chips.map((c) => c.key),
    empty,
    () => {
      const el = doc.createElement('span');
      el.className = 'bk-chip';
      return el;
    },
  );
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

/** A row: what it stands for (unique in its table) and its cells' content. */
export interface Row {
  readonly key: string;
  readonly cells: readonly (readonly Piece[])[];
}

/**
 * Makes `body`'s rows one `<tr>` per row, or only `empty`'s markup when there are no rows.
 * @example setRowsInPlace(tbody, timers.map((t) => ({ key: idOf(t), cells: [[t.operator], [keyOf(t)]] })), '<tr><td>none</td></tr>');
 */
export function setRowsInPlace(body: Element, rows: readonly Row[], empty: string): void {
  const doc = body.ownerDocument;
  const items = itemsOf(
    body,
    rows.map((r) => r.key),
    empty,
    () => doc.createElement('tr'),
  );
  rows.forEach(({ cells }, i) => {
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
  const items = itemsOf(
    container,
    sections.map((s) => s.key),
    empty,
    () => {
      const el = doc.createElement('div');
      el.append(doc.createElement('span'), doc.createElement('div'));
      el.lastElementChild!.className = 'bk-chips';
      return el;
    },
  );
  sections.forEach((s, i) => {
    setPieces(items[i]!.firstElementChild!, s.head);
    setChipsInPlace(items[i]!.lastElementChild!, s.chips, s.tail, s.empty);
  });
}
