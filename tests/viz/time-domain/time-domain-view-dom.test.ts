import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDriverPage } from '../chromium-page.ts';
import type { Page } from '@playwright/test';

// The time-domain panel in a real DOM (Chromium): a view updated in place, as a run grows and
// the playhead moves (elements kept from draw to draw), must show the markup of a fresh view of
// the last state, element for element and attribute for attribute.

declare global {
  interface Window {
    /** Runs `example` growing delta by delta (playhead at its end), then to each of `playheads`; returns the updated and a fresh view's chart markup. */
    viewBoth(example: string, playheads: readonly number[]): { updated: string; fresh: string; end: number };
    /**
     * Follows `example` for half its deltas, applies the rest without an update (a live model
     * grows between frames), then resizes the view; returns its chart markup once redrawn and a
     * fresh view's of the grown model at the same playhead and size.
     */
    resizedAfterGrowth(example: string): Promise<{ updated: string; fresh: string }>;
    /** Draws `example` whole at `width` px; returns the event-time axis's tick labels, and those whose box meets the axis title's. */
    axisLabels(example: string, width: number): { labels: string[]; overlapping: string[] };
  }
}

const DRIVER = `
import { createTimeDomainView } from './time-domain-view.ts';
import { RunModel } from '../run-model.ts';
import { runToDeltas } from '../../app/lab/trace-to-deltas.ts';
import { parseTestStream } from '../../engine/connectors/test-stream-parse.ts';
import sessions from '../../../examples/sessions.ts';
import lateData from '../../../examples/late-data.ts';
import sessionsInput from '../../../examples/sessions-input.json';
import lateDataInput from '../../../examples/late-data-input.json';

const examples = { sessions: [sessions, sessionsInput], 'late-data': [lateData, lateDataInput] };
// Markup with attributes and style declarations sorted, and the per-view clip id made neutral.
const canonical = (el) => '<' + el.tagName + [...el.attributes].map((a) => ' ' + a.name + '="' +
    (a.name === 'style' ? a.value.split(';').map((d) => d.trim()).filter(Boolean).sort().join(';') : a.value).replace(/brook-td-clip-\\d+/g, 'clip') + '"').sort().join('') + '>' +
  [...el.childNodes].map((n) => (n.nodeType === 1 ? canonical(n) : n.textContent)).join('') + '</' + el.tagName + '>';
const chart = (host) => canonical(host.querySelector('.brook-td-chart')) + canonical(host.querySelector('.brook-td-bar'));
const mount = () => {
  const host = document.body.appendChild(document.createElement('div'));
  host.style.cssText = 'width: 700px; height: 420px; position: relative';
  return host;
};

window.viewBoth = (name, playheads) => {
  const [build, input] = examples[name];
  const deltas = runToDeltas(build, parseTestStream(input));
  const a = mount();
  const view = createTimeDomainView(a, {});
  const model = new RunModel();
  for (const d of deltas) {
    model.apply(d);
    view.update(model, model.endT);
  }
  for (const t of playheads) view.update(model, t);
  const b = mount();
  createTimeDomainView(b, {}).update(model, playheads.at(-1) ?? model.endT);
  return { updated: chart(a), fresh: chart(b), end: model.endT };
};

const settle = async () => {
  for (let i = 0; i < 3; i++) await new Promise((r) => requestAnimationFrame(r));
  await new Promise((r) => setTimeout(r, 20));
};
window.resizedAfterGrowth = async (name) => {
  const [build, input] = examples[name];
  const deltas = runToDeltas(build, parseTestStream(input));
  const a = mount();
  const view = createTimeDomainView(a, {});
  const model = new RunModel();
  const half = Math.floor(deltas.length / 2);
  for (const d of deltas.slice(0, half)) {
    model.apply(d);
    view.update(model, model.endT);
  }
  const t = model.endT;
  await settle();
  for (const d of deltas.slice(half)) model.apply(d);
  a.style.height = '360px';
  await settle();
  const b = mount();
  b.style.height = '360px';
  createTimeDomainView(b, {}).update(model, t);
  await settle();
  return { updated: chart(a), fresh: chart(b) };
};

window.axisLabels = (name, width) => {
  const [build, input] = examples[name];
  const model = new RunModel();
  for (const d of runToDeltas(build, parseTestStream(input))) model.apply(d);
  const host = mount();
  host.style.width = width + 'px';
  createTimeDomainView(host, {}).update(model, model.endT);
  const title = [...host.querySelectorAll('.td-axis-title')].find((t) => t.textContent.startsWith('event time'));
  const t = title.getBoundingClientRect();
  // The event-time tick labels: the ones on the title's row.
  const labels = [...host.querySelectorAll('.td-tick-label')].filter((l) => Math.abs(l.getBoundingClientRect().top - t.top) < 4);
  const overlapping = labels.filter((l) => {
    const r = l.getBoundingClientRect();
    return r.left < t.right && r.right > t.left;
  });
  host.remove();
  return { labels: labels.map((l) => l.textContent), overlapping: overlapping.map((l) => l.textContent) };
};
`;

let page: Page;
let close: () => Promise<void> = async () => {};

beforeAll(async () => {
  ({ page, close } = await openDriverPage(DRIVER, fileURLToPath(new URL('../../../src/viz/time-domain/', import.meta.url)), { alias: { brook: fileURLToPath(new URL('../../../src/engine/api/index.ts', import.meta.url)) } }));
}, 60_000);

afterAll(async () => {
  await close();
});

describe('the time-domain view updated in place', () => {
  for (const name of ['sessions', 'late-data']) {
    it(`shows the markup of a fresh view after the run grew and the playhead moved back and forth (${name})`, async () => {
      const grown = await page.evaluate((n) => window.viewBoth(n, []), name);
      expect(grown.updated).toBe(grown.fresh);
      expect(grown.updated).toContain('td-pane');
      const end = grown.end;
      for (const playheads of [[end / 2], [end / 3, end, end / 4], [0, end * 0.8]]) {
        const r = await page.evaluate(([n, p]) => window.viewBoth(n as string, p as number[]), [name, playheads] as const);
        expect(r.updated).toBe(r.fresh);
      }
    });
  }
});

describe('the time-domain view redrawn for a new size', () => {
  for (const name of ['sessions', 'late-data']) {
    it(`draws the model as it is by then, though it grew since the last update (${name})`, async () => {
      const r = await page.evaluate((n) => window.resizedAfterGrowth(n), name);
      expect(r.updated).toBe(r.fresh);
    }, 60_000);
  }
});

describe('the event-time axis', () => {
  for (const width of [420, 700, 1100]) {
    it(`keeps its tick labels clear of its title (${width} px wide)`, async () => {
      for (const name of ['sessions', 'late-data']) {
        const r = await page.evaluate(([n, w]) => window.axisLabels(n as string, w as number), [name, width] as const);
        // Narrow, a label at the left gives way to the title; some stay to read the scale by.
        expect(r.labels.length, JSON.stringify(r)).toBeGreaterThan(width > 500 ? 2 : 0);
        expect(r.overlapping).toEqual([]);
      }
    });
  }
});
