import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDriverPage } from '../chromium-page.ts';
import type { Page } from '@playwright/test';
import type { ChartSpec } from '../../../src/viz/metrics/line-chart.ts';

// drawLineChart in a real DOM (Chromium): a chart updated in place must be the chart a fresh
// draw of the same spec makes, element for element and attribute for attribute.

type Spec = Omit<ChartSpec, 'yFormat' | 'onSeek'> & { seek?: boolean };

declare global {
  interface Window {
    /** Draws each spec in turn into one svg and the last into a fresh one; returns both markups (attributes sorted). */
    drawBoth(specs: readonly Spec[]): { updated: string; fresh: string };
    /** Draws `specs` in turn into one svg, then clicks it at `clickX` inside the plot; returns the time sought. */
    seekAfter(specs: readonly Spec[], clickX: number): number | undefined;
  }
}

const DRIVER = `
import { drawLineChart } from './line-chart.ts';
const svg = () => document.body.appendChild(document.createElementNS('http://www.w3.org/2000/svg', 'svg'));
// Markup with each element's attributes sorted: the order attributes were first set in is no
// part of the picture.
const canonical = (el) => '<' + el.tagName + [...el.attributes].map((a) => ' ' + a.name + '="' + a.value + '"').sort().join('') + '>' +
  [...el.childNodes].map((n) => (n.nodeType === 1 ? canonical(n) : n.textContent)).join('') + '</' + el.tagName + '>';
const full = (s, onSeek) => ({ ...s, yFormat: (v) => v + ' u', ...(s.seek ? { onSeek } : {}) });
window.drawBoth = (specs) => {
  const a = svg();
  for (const s of specs) drawLineChart(a, full(s, () => {}));
  const b = svg();
  drawLineChart(b, full(specs.at(-1), () => {}));
  return { updated: canonical(a), fresh: canonical(b) };
};
window.seekAfter = (specs, clickX) => {
  const a = svg();
  let sought;
  for (const s of specs) drawLineChart(a, full(s, (t) => (sought = t)));
  const box = a.querySelector('rect[style*="crosshair"]').getBoundingClientRect();
  a.querySelector('rect[style*="crosshair"]').dispatchEvent(new MouseEvent('click', { clientX: box.left + clickX, clientY: box.top + 5, bubbles: true }));
  return sought;
};
`;

let page: Page;
let close: () => Promise<void> = async () => {};

beforeAll(async () => {
  ({ page, close } = await openDriverPage(DRIVER, fileURLToPath(new URL('../../../src/viz/metrics/', import.meta.url))));
}, 60_000);

afterAll(async () => {
  await close();
});

const wave = (n: number, from = 0, step = 100) => Array.from({ length: n }, (_, i) => ({ t: from + i * step, v: Math.round(50 + 40 * Math.sin(i / 7) + (i % 5)) }));
const band = (n: number) => Array.from({ length: n }, (_, i) => ({ t: i * 100, lo: 20 + (i % 3), hi: 80 - (i % 4) }));

/** A live chart at `n` points: two series (one dotted, one stepped), a band, a threshold and an alert. */
function live(n: number, history?: string): Spec {
  return {
    width: 400,
    height: 104,
    xDomain: [0, Math.max(1000, n * 100 * 1.25)],
    series: [
      { id: 'a', label: 'a', points: wave(n), color: 'var(--s0)', dots: true },
      { id: 'b', label: 'b', points: wave(n).map((p) => ({ t: p.t, v: p.v * 2 })), color: 'var(--s1)', dash: '6 3', step: true },
    ],
    band: band(n),
    threshold: 120,
    alerts: n > 40 ? [{ from: 1000, to: 2500 }] : [],
    playheadT: n * 100,
    seek: true,
    ...(history ? { history } : {}),
  };
}

describe('drawLineChart updating in place', () => {
  it('makes the same markup as a fresh draw after a run grows (thinning kept between draws)', async () => {
    const specs = [10, 30, 600, 2500, 2600, 4000].map((n) => live(n, 'run-1'));
    const { updated, fresh } = await page.evaluate((s) => window.drawBoth(s), specs);
    expect(updated).toBe(fresh);
    expect(updated).toContain('<circle');
  });

  it('makes the same markup as a fresh draw after series, band, threshold, alerts and playhead go away or come back', async () => {
    const bare: Spec = { width: 300, height: 110, xDomain: [0, 5000], series: [{ id: 'b', label: 'b', points: wave(30), color: 'var(--s1)' }], playheadT: 9000 };
    const cases = [
      [live(3000, 'h'), bare],
      [bare, live(500)],
      [live(800, 'h'), { ...live(800, 'h'), series: [...live(800).series].reverse(), width: 500 }],
      [live(2000, 'h'), { ...live(2000, 'h'), series: live(2000).series.map((s) => ({ ...s, end: 700 })), bandEnd: 700, playheadT: 70_000 }],
    ];
    for (const specs of cases) {
      const { updated, fresh } = await page.evaluate((s) => window.drawBoth(s), specs);
      expect(updated).toBe(fresh);
    }
  });

  it('draws a series cut at `end` as the same series cut by a copy', async () => {
    const whole = live(3000);
    const cut = { ...whole, series: whole.series.map((s) => ({ ...s, end: 1234 })), bandEnd: 1234 };
    const copied = { ...whole, series: whole.series.map((s) => ({ ...s, points: s.points.slice(0, 1234) })), band: whole.band!.slice(0, 1234) };
    const a = await page.evaluate((s) => window.drawBoth(s), [cut]);
    const b = await page.evaluate((s) => window.drawBoth(s), [copied]);
    expect(a.fresh).toBe(b.fresh);
  });

  it('seeks by a click with the scale of the latest draw', async () => {
    // Plot width 400 − 52 − 12 = 336 px; 168 px is the middle of the latest domain.
    const first = { ...live(100), xDomain: [0, 10_000] as const };
    const second = { ...live(100), xDomain: [0, 33_600] as const };
    expect(await page.evaluate(([s, x]) => window.seekAfter(s, x), [[first, second], 168] as const)).toBe(16_800);
  });
});
