import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from '@playwright/test';
import { openDriverPage } from './chromium-page.ts';

// observeSize in a real page (Chromium): a panel's redraw for a new size runs in a task of its
// own after the frame's ResizeObserver callbacks (not inside the frame's rendering task, where
// it lengthened the run's longest task), reads the new size, and is dropped once disconnected.

interface Observed {
  /** In order: 'observed w×h' from a later ResizeObserver of the same element, 'redraw w×h' from observeSize's callback. */
  readonly log: readonly string[];
  /** Calls of onResize for a resize observed just before disconnecting. */
  readonly afterDisconnect: number;
}

declare global {
  interface Window {
    observeSizes(): Promise<Observed>;
  }
}

const DRIVER = `
import { observeSize } from './element-size.ts';

const frame = () => new Promise((r) => requestAnimationFrame(() => r(undefined)));
const settle = async () => { await frame(); await frame(); await new Promise((r) => setTimeout(r, 20)); };
const box = (w, h) => {
  const el = document.body.appendChild(document.createElement('div'));
  el.style.cssText = 'width: ' + w + 'px; height: ' + h + 'px';
  return el;
};

window.observeSizes = async () => {
  const log = [];
  const el = box(300, 200);
  const size = observeSize(el, () => log.push('redraw ' + size.width + 'x' + size.height));
  // Registered after observeSize's: its callback comes after observeSize's in the same frame.
  new ResizeObserver(() => log.push('observed ' + el.clientWidth + 'x' + el.clientHeight)).observe(el);
  await settle();
  el.style.height = '150px';
  await settle();

  const third = box(100, 100);
  let afterDisconnect = 0;
  const s3 = observeSize(third, () => afterDisconnect++);
  await settle();
  afterDisconnect = 0;
  third.style.width = '50px';
  // The observation comes in the next frame; disconnect right after it, before its task runs.
  await new Promise((r) => new ResizeObserver((_, o) => { o.disconnect(); s3.disconnect(); r(undefined); }).observe(third));
  await settle();
  return { log, afterDisconnect };
};
`;

describe('observeSize in Chromium', () => {
  let page: Page;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ page, close } = await openDriverPage(DRIVER, fileURLToPath(new URL('../../src/viz/', import.meta.url))));
  }, 60_000);
  afterAll(async () => close?.());

  it('calls onResize after the frame’s ResizeObserver callbacks, in a task of its own, with the new size', async () => {
    const r = await page.evaluate(() => window.observeSizes());
    expect(r.log).toEqual(['observed 300x200', 'redraw 300x200', 'observed 300x150', 'redraw 300x150']);
  }, 60_000);

  it('calls nothing for a resize observed just before it was disconnected', async () => {
    const r = await page.evaluate(() => window.observeSizes());
    expect(r.afterDisconnect).toBe(0);
  }, 60_000);
});
