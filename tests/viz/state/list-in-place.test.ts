import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from '@playwright/test';
import { openDriverPage } from '../chromium-page.ts';

// The state lists written in place (Chromium): an item kept by key keeps its element, and a list
// updated any way shows the markup of the same list written into an empty container.

declare global {
  interface Window {
    /** Writes each list of chip keys in turn into one container; returns its markup, a fresh container's for the last list, and which items of the last list kept the element they had in the one before. */
    chipsWalk(lists: readonly (readonly string[])[]): { updated: string; fresh: string; kept: boolean[] };
  }
}

const DRIVER = `
import { setChipsInPlace } from './list-in-place.ts';

const chipsOf = (keys) => keys.map((key, i) => ({ key, pieces: [key + ' ', { tag: 'small', text: 'at ' + i }], title: key.length + ' timer(s)' }));
const tail = (keys) => (keys.length > 2 ? keys.length - 2 + ' more' : '');
const write = (el, keys) => setChipsInPlace(el, chipsOf(keys), tail(keys), '<span class="bk-subtle">none</span>');

window.chipsWalk = (lists) => {
  const a = document.body.appendChild(document.createElement('div'));
  let before = new Map();
  let kept = [];
  for (const keys of lists) {
    write(a, keys);
    const els = [...a.querySelectorAll('.bk-chip')];
    kept = keys.map((k, i) => before.get(k) === els[i]);
    before = new Map(keys.map((k, i) => [k, els[i]]));
  }
  const b = document.body.appendChild(document.createElement('div'));
  write(b, lists.at(-1));
  return { updated: a.innerHTML, fresh: b.innerHTML, kept };
};
`;

let page: Page;
let close: () => Promise<void> = async () => {};

beforeAll(async () => {
  ({ page, close } = await openDriverPage(DRIVER, fileURLToPath(new URL('../../../src/viz/state/', import.meta.url))));
}, 60_000);

afterAll(async () => {
  await close();
});

describe('chips written in place', () => {
  it('keep the element of every key still listed when one comes in the middle', async () => {
    const r = await page.evaluate(() => window.chipsWalk([['a', 'b', 'c'], ['a', 'x', 'b', 'c']]));
    expect(r.updated).toBe(r.fresh);
    expect(r.kept).toEqual([true, false, true, true]);
  });

  it('show a fresh list’s markup after keys came, went, moved, repeated and ran out', async () => {
    const walks = [
      [['a', 'b', 'c'], ['c', 'a'], [], ['b'], ['b', 'b', 'a'], ['a', 'b', 'b', 'd', 'e']],
      [['x'], ['y', 'x', 'z'], ['z', 'y'], ['q', 'r', 's', 't']],
    ];
    for (const lists of walks) {
      const r = await page.evaluate((l) => window.chipsWalk(l), lists);
      expect(r.updated).toBe(r.fresh);
    }
  });
});
