import { describe, expect, it } from 'vitest';
import { setHtmlIfChanged } from '../../src/viz/html-if-changed.ts';

/** Stands in for an element: records every markup write (the tests run without a DOM). */
function fakeElement(): { el: Element; writes: string[] } {
  const writes: string[] = [];
  const el = {
    set innerHTML(html: string) {
      writes.push(html);
    },
  } as unknown as Element;
  return { el, writes };
}

describe('setHtmlIfChanged', () => {
  it('writes markup only when it differs from the last markup written into that element', () => {
    const a = fakeElement();
    const b = fakeElement();
    setHtmlIfChanged(a.el, '<li>1</li>');
    setHtmlIfChanged(a.el, '<li>1</li>');
    setHtmlIfChanged(b.el, '<li>1</li>');
    setHtmlIfChanged(a.el, '<li>2</li>');
    setHtmlIfChanged(a.el, '<li>1</li>');
    expect(a.writes).toEqual(['<li>1</li>', '<li>2</li>', '<li>1</li>']);
    expect(b.writes).toEqual(['<li>1</li>']);
  });
});
