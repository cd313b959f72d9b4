// An SVG group redrawn by appending marks, as with d3, whose elements are kept from draw to
// draw: the n-th mark of a draw reuses the n-th element when its tag matches, and only the
// attributes, style properties and text that changed are written (a live chart redraws a few
// dozen times a second; creating and removing its elements each time is most of the work).
// Invariant: after `end`, the group holds the markup a fresh draw of the same marks would.

/** What each kept element was given by the draw before: attribute → value ('style:' for style properties, 'text' for its text). */
const written = new WeakMap<Element, Map<string, string>>();

/** One mark of the current draw; setters in d3's style, writing only what changed. */
export class RetainedMark {
  constructor(
    readonly node: SVGElement,
    private readonly before: Map<string, string> | undefined,
    private readonly now: Map<string, string>,
  ) {}

  attr(name: string, value: string | number): this {
    const v = String(value);
    this.now.set(name, v);
    if (this.before?.get(name) !== v) this.node.setAttribute(name, v);
    return this;
  }

  style(name: string, value: string): this {
    this.now.set(`style:${name}`, value);
    if (this.before?.get(`style:${name}`) !== value) this.node.style.setProperty(name, value);
    return this;
  }

  text(value: string): this {
    this.now.set('text', value);
    if (this.before?.get('text') !== value) this.node.textContent = value;
    return this;
  }
}

/**
 * A group drawn with `begin`, `append`… and `end`.
 * - State: the group's children (the last draw's marks, in order), each with what it was given.
 * - Lifetime: kept as long as the group; marks past the last draw's are removed at its `end`.
 */
export class RetainedLayer {
  private cursor = 0;
  private used: { node: Element; before: Map<string, string> | undefined; now: Map<string, string> }[] = [];

  constructor(readonly node: SVGGElement) {}

  /** Starts a draw. */
  begin(): void {
    this.cursor = 0;
    this.used = [];
  }

  /**
   * The next mark, an SVG element of `tag`: the kept element in that place when it has the tag,
   * else a new one there.
   * @example layer.append('rect').attr('x', 4).style('fill', 'red');
   */
  append(tag: string): RetainedMark {
    const at = this.node.children[this.cursor] as SVGElement | undefined;
    let node = at;
    let before: Map<string, string> | undefined;
    if (at && at.tagName === tag) before = written.get(at);
    else {
      node = this.node.ownerDocument.createElementNS('http://www.w3.org/2000/svg', tag);
      this.node.insertBefore(node, at ?? null);
    }
    this.cursor++;
    const now = new Map<string, string>();
    this.used.push({ node: node!, before, now });
    return new RetainedMark(node!, before, now);
  }

  /** Ends a draw: removes what the marks were not given this time, and the elements left over. */
  end(): void {
    for (const { node, before, now } of this.used) {
      if (before) {
        for (const name of before.keys()) {
          if (now.has(name)) continue;
          if (name === 'text') node.textContent = '';
          else if (name.startsWith('style:')) (node as SVGElement).style.removeProperty(name.slice(6));
          else node.removeAttribute(name);
        }
        // As a fresh element: no empty style attribute.
        if (node.getAttribute('style') === '') node.removeAttribute('style');
      }
      written.set(node, now);
    }
    while (this.node.children.length > this.cursor) this.node.lastElementChild!.remove();
    this.used = [];
  }
}
