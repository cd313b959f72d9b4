import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from '@playwright/test';
import { openDriverPage } from '../chromium-page.ts';

// The state panel in a real DOM (Chromium): its lists are updated in place as the playhead moves
// (rows and chips kept, a timer row's distance cell rewritten), and must show the markup of a
// fresh view at the last playhead.

declare global {
  interface Window {
    /** Shows `example`'s finished run at each of `playheads` in one view; returns its lists' markup and a fresh view's at the last playhead. */
    stateBoth(example: string, playheads: readonly number[]): { updated: string; fresh: string; rows: number; end: number };
    /**
     * Shows `example` at `from` then at `to` in a view drawing one change per task, and names
     * the lists' markup after every task: 'from' or 'to' (a fresh view's at that playhead), else
     * 'mixed'. Stops once it shows 'to' or after `limit` tasks.
     */
    stateSliced(example: string, from: number, to: number, limit: number): Promise<string[]>;
  }
}

const DRIVER = `
import { createStateView } from './state-view.ts';
import { RunModel } from '../run-model.ts';
import { runToDeltas } from '../../app/lab/trace-to-deltas.ts';
import { parseTestStream } from '../../engine/connectors/test-stream-parse.ts';
import sessions from '../../../examples/sessions.ts';
import lateData from '../../../examples/late-data.ts';
import sessionsInput from '../../../examples/sessions-input.json';
import lateDataInput from '../../../examples/late-data-input.json';

const examples = { sessions: [sessions, sessionsInput], 'late-data': [lateData, lateDataInput] };
const mount = () => {
  const host = document.body.appendChild(document.createElement('div'));
  host.style.cssText = 'width: 800px; height: 600px; position: relative';
  return host;
};
const lists = (host) => host.querySelector('.bk-state-body').innerHTML;

window.stateBoth = (name, playheads) => {
  const [build, input] = examples[name];
  const model = new RunModel();
  for (const d of runToDeltas(build, parseTestStream(input))) model.apply(d);
  const a = mount();
  const view = createStateView(a, {});
  for (const t of playheads) view.update(model, t);
  const b = mount();
  createStateView(b, {}).update(model, playheads.at(-1));
  return { updated: lists(a), fresh: lists(b), rows: a.querySelectorAll('.bk-timer-rows tr').length, end: model.endT };
};

const task = () => new Promise((resolve) => setTimeout(resolve, 0));
// One change applied per task (the clock is always past the slice), merged every other change.
const tiny = { sliceMs: 0, catchUpMs: 0, sliceAbove: 0, pieces: { piece: 1, mergeEvery: 2 } };

window.stateSliced = async (name, from, to, limit) => {
  const [build, input] = examples[name];
  const model = new RunModel();
  for (const d of runToDeltas(build, parseTestStream(input))) model.apply(d);
  const freshAt = (t) => {
    const host = mount();
    createStateView(host, {}).update(model, t);
    const html = lists(host);
    host.remove();
    return html;
  };
  const want = { from: freshAt(from), to: freshAt(to) };
  const host = mount();
  const view = createStateView(host, {}, tiny);
  view.update(model, from);
  for (let i = 0; i < limit && lists(host) !== want.from; i++) await task();
  const seen = [];
  view.update(model, to);
  for (let i = 0; i < limit; i++) {
    const html = lists(host);
    seen.push(html === want.to ? 'to' : html === want.from ? 'from' : 'mixed');
    if (html === want.to) break;
    await task();
  }
  view.destroy();
  host.remove();
  return seen;
};
`;

let page: Page;
let close: () => Promise<void> = async () => {};

beforeAll(async () => {
  ({ page, close } = await openDriverPage(DRIVER, fileURLToPath(new URL('../../../src/viz/state/', import.meta.url)), { alias: { brook: fileURLToPath(new URL('../../../src/engine/api/index.ts', import.meta.url)) } }));
}, 60_000);

afterAll(async () => {
  await close();
});

describe('the state view updated in place', () => {
  for (const name of ['sessions', 'late-data']) {
    it(`shows a fresh view's lists after the playhead moved forward and back (${name})`, async () => {
      const { end } = await page.evaluate((n) => window.stateBoth(n, [0]), name);
      const walks = [Array.from({ length: 24 }, (_, i) => (end * (i + 1)) / 24), [end, end / 3, end / 2, end / 5], [end / 2, 0, end * 0.7]];
      let rows = 0;
      for (const playheads of walks) {
        const r = await page.evaluate(([n, p]) => window.stateBoth(n as string, p as number[]), [name, playheads] as const);
        expect(r.updated).toBe(r.fresh);
        rows = Math.max(rows, r.rows);
      }
      // Some playhead listed pending timers (rows beyond the "none" row).
      expect(rows).toBeGreaterThan(1);
    });
  }
});

describe('the state view drawn in slices', () => {
  for (const name of ['sessions', 'late-data']) {
    it(`shows the last complete state until it has caught up, then the new one, never a mix (${name})`, async () => {
      const { end } = await page.evaluate((n) => window.stateBoth(n, [0]), name);
      for (const [from, to] of [
        [end / 3, end],
        [end, end / 2],
        [0, (end * 2) / 3],
      ] as const) {
        const seen = await page.evaluate(([n, a, b]) => window.stateSliced(n as string, a as number, b as number, 2_000), [name, from, to] as const);
        // Several tasks on the old lists (one change each), then the new ones: caught up, no mix.
        expect(seen.at(-1)).toBe('to');
        expect(seen.filter((s) => s === 'from').length).toBeGreaterThan(2);
        expect(seen.filter((s) => s !== 'from' && s !== 'to')).toEqual([]);
        expect(seen.indexOf('to')).toBe(seen.length - 1);
      }
    });
  }
});
