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
