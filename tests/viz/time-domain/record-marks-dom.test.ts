import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDriverPage } from '../chromium-page.ts';
import type { Page } from '@playwright/test';

// The record dots in a real DOM (Chromium): the canvas after any sequence of draws (growth,
// kind changes, the playhead back and forth, new scales; restamps in slices interrupted by
// draws) must show the pixels of one fresh draw of the last state, and the SVG marks kept from
// draw to draw the markup of a fresh draw.

/** One draw: the playhead at `count` records, scales over `x` and `y`, records whose kind changes first; `wait` ms after. */
interface Step {
  count: number;
  x: [number, number];
  y: [number, number];
  flips?: [number, number][];
  wait?: number;
  /** The canvas draw's slice in ms (its default when absent). */
  slice?: number;
  /** False: the canvas draws no records (the SVG marks do), and may ready itself in an idle task. */
  visible?: boolean;
}

declare global {
  interface Window {
    canvasBoth(steps: readonly Step[], journaled: boolean): Promise<{ differing: number; maxDiff: number; inked: number }>;
    svgBoth(steps: readonly Step[]): Promise<{ updated: string; fresh: string; marks: number; kept: boolean }>;
  }
}

const DRIVER = `
import { scaleLinear } from 'd3';
import { RunModel } from '../run-model.ts';
import { drawRecordsOnCanvas } from './draw-records-canvas.ts';
import { KindJournal } from './kind-journal.ts';
import { drawSvgRecords } from './svg-records.ts';

const N = 40000;
const model = new RunModel();
// Records in timeline order, scattered over event time, in places piled on one spot.
for (let i = 0; i < N; i++) {
  const t = Math.floor(i / 3) * 2;
  model.records.push([i % 7 === 0 ? 5000 : (i * 7919) % 20000, t, t, 0, 0, 0, 0, 0]);
}
const frameOf = (s) => ({ width: 500, height: 300, left: 60, top: 40, right: 460, bottom: 280, stripTop: 30, laneHeight: 17,
  x: scaleLinear().domain(s.x).range([60, 460]), y: scaleLinear().domain(s.y).range([40, 280]) });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const initialKinds = () => Uint8Array.from({ length: N }, (_, i) => (i % 11 === 0 ? 3 : i % 5 === 0 ? 1 : 0));

window.canvasBoth = async (steps, journaled) => {
  const a = document.body.appendChild(document.createElement('canvas'));
  const kinds = initialKinds();
  // With a journal the canvas compares only the records it lists (each flip, noted twice).
  const journal = journaled ? new KindJournal() : undefined;
  for (const s of steps) {
    for (const [i, k] of s.flips ?? []) {
      kinds[i] = k;
      journal?.note(i);
      journal?.note(i);
    }
    drawRecordsOnCanvas(a, model, frameOf(s), kinds, s.count, s.visible ?? true, s.slice, journal);
    if (s.wait) await sleep(s.wait);
  }
  const b = document.body.appendChild(document.createElement('canvas'));
  drawRecordsOnCanvas(b, model, frameOf(steps.at(-1)), kinds, steps.at(-1).count, true);
  // Both go on in tasks of their own until their restamps are done.
  await sleep(3000);
  const pa = a.getContext('2d').getImageData(0, 0, a.width, a.height).data;
  const pb = b.getContext('2d').getImageData(0, 0, b.width, b.height).data;
  // Compared premultiplied, as the canvas stores them: read back, a faint pixel's colour is its
  // premultiplied value divided by a small alpha, which blows rounding up.
  let differing = 0, maxDiff = 0, inked = 0;
  // (differing: pixels off by more than rounding's half unit)
  for (let p = 0; p < pa.length; p += 4) {
    let d = Math.abs(pa[p + 3] - pb[p + 3]);
    for (let c = 0; c < 3; c++) d = Math.max(d, Math.abs(pa[p + c] * pa[p + 3] - pb[p + c] * pb[p + 3]) / 255);
    if (d > 0.5) differing++;
    if (pb[p + 3] > 0) inked++;
    maxDiff = Math.max(maxDiff, d);
  }
  return { differing, maxDiff: Math.round(maxDiff * 10) / 10, inked };
};

const svg = () => document.body.appendChild(document.createElementNS('http://www.w3.org/2000/svg', 'g'));
const canonical = (el) => '<' + el.tagName + [...el.attributes].map((a) => ' ' + a.name + '="' + a.value + '"').sort().join('') + '>' +
  [...el.childNodes].map((n) => (n.nodeType === 1 ? canonical(n) : n.textContent)).join('') + '</' + el.tagName + '>';
window.svgBoth = async (steps) => {
  const a = svg();
  const kinds = initialKinds();
  let first;
  for (const s of steps) {
    for (const [i, k] of s.flips ?? []) kinds[i] = k;
    first = a.firstChild;
    drawSvgRecords(a, model, frameOf(s), kinds, s.count, s.count <= 2000);
    if (s.wait) await sleep(s.wait);
  }
  const kept = first !== null && first.parentNode === a;
  const b = svg();
  drawSvgRecords(b, model, frameOf(steps.at(-1)), kinds, steps.at(-1).count, steps.at(-1).count <= 2000);
  // Marks past the first few hundred come in tasks of their own.
  await sleep(300);
  return { updated: canonical(a), fresh: canonical(b), marks: b.childNodes.length, kept };
};
`;

let page: Page;
let close: () => Promise<void> = async () => {};

beforeAll(async () => {
  // A fractional device pixel ratio: stamps' corners fall between pixels.
  ({ page, close } = await openDriverPage(DRIVER, fileURLToPath(new URL('../../../src/viz/time-domain/', import.meta.url)), { deviceScaleFactor: 1.5 }));
}, 60_000);

afterAll(async () => {
  await close();
});

const whole: Pick<Step, 'x' | 'y'> = { x: [-1000, 21000], y: [-500, 27000] };
const flips = (from: number, n: number, kind: number): [number, number][] => Array.from({ length: n }, (_, k) => [from + k * 3, kind]);

describe('record dots drawn from draw to draw', () => {
  for (const journaled of [false, true]) {
    const how = journaled ? ', told which kinds changed by a journal' : '';
    it(`the canvas after growth, kind changes and the playhead back shows the pixels of one fresh draw${how}`, async () => {
      const steps: Step[] = [
        { count: 500, ...whole },
        { count: 1500, ...whole, flips: flips(0, 40, 2) },
        { count: 1200, ...whole, flips: flips(100, 30, 0) },
        { count: 1900, ...whole, flips: flips(1, 50, 3), wait: 20 },
      ];
      const r = await page.evaluate(([s, j]) => window.canvasBoth(s, j), [steps, journaled] as const);
      expect(r.inked).toBeGreaterThan(10_000);
      // Stamps of one colour composite the same in any order, up to 8-bit rounding (a stamp missing
      // or too many differs by up to 191 at its centre).
      expect(r.maxDiff).toBeLessThanOrEqual(3);
    });

    it(`the canvas after restamps in slices interrupted by new scales, long jumps and many kind changes shows the pixels of one fresh draw${how}`, async () => {
      const steps: Step[] = [
        { count: 25_000, x: [0, 20000], y: [0, 20000] },
        { count: 26_000, x: [0, 20000], y: [0, 30000], flips: flips(10, 100, 1) },
        { count: 39_000, ...whole, wait: 5 },
        { count: 39_500, ...whole, flips: flips(2, 3000, 2), wait: 200 },
        { count: 21_000, ...whole, flips: flips(7, 20, 0) },
        { count: 20_500, ...whole, wait: 200 },
        { count: 40_000, ...whole, flips: flips(20_000, 60, 3) },
      ];
      const r = await page.evaluate(([s, j]) => window.canvasBoth(s, j), [steps, journaled] as const);
      expect(r.inked).toBeGreaterThan(10_000);
      // Stamps of one colour composite the same in any order, up to 8-bit rounding (a stamp missing
      // or too many differs by up to 191 at its centre).
      expect(r.maxDiff).toBeLessThanOrEqual(3);
    });

    it(`the canvas readied in idle tasks while the svg drew the records, before its first picture and after one, shows the pixels of one fresh draw${how}`, async () => {
      const steps: Step[] = [
        { count: 1200, ...whole, visible: false, wait: 600 },
        { count: 2500, ...whole, wait: 50 },
        { count: 3000, ...whole, flips: flips(0, 40, 2), wait: 50 },
        { count: 1800, ...whole, visible: false, flips: flips(3, 20, 1), wait: 600 },
        { count: 2600, x: [0, 20000], y: [0, 20000], wait: 50 },
        { count: 2700, x: [0, 20000], y: [0, 20000], flips: flips(5, 10, 3) },
      ];
      const r = await page.evaluate(([s, j]) => window.canvasBoth(s, j), [steps, journaled] as const);
      expect(r.inked).toBeGreaterThan(10_000);
      expect(r.maxDiff).toBeLessThanOrEqual(3);
    });

    it(`the canvas whose restamp ends in a call with no time left catches up in a task of its own${how}`, async () => {
      // 100 records restamped 64 at a time: the second draw ends the job out of time, with 30 more records to stamp.
      const steps: Step[] = [
        { count: 100, ...whole, slice: 0 },
        { count: 130, ...whole, slice: 0, flips: flips(1, 5, 3) },
      ];
      const r = await page.evaluate(([s, j]) => window.canvasBoth(s, j), [steps, journaled] as const);
      expect(r.inked).toBeGreaterThan(1000);
      expect(r.maxDiff).toBeLessThanOrEqual(3);
    });
  }

  it('the svg marks after growth, kind changes, the playhead back and new scales are the markup of one fresh draw', async () => {
    const steps: Step[] = [
      { count: 300, ...whole },
      { count: 900, ...whole, flips: flips(0, 40, 2), wait: 50 },
      { count: 700, ...whole, flips: flips(5, 30, 3) },
      { count: 1000, x: [0, 10000], y: [0, 2000], flips: flips(1, 10, 1), wait: 50 },
      // New scales that keep every mark inside the plot: marks moved, not drawn again.
      { count: 1000, x: [-500, 12000], y: [-100, 2400] },
      { count: 1600, x: [-500, 12000], y: [-100, 2400] },
    ];
    const r = await page.evaluate((s) => window.svgBoth(s), steps);
    expect(r.marks).toBeGreaterThan(100);
    expect(r.updated).toBe(r.fresh);
    // Every record stays inside the plot: the same elements, moved.
    const moved = await page.evaluate((s) => window.svgBoth(s), [{ count: 800, ...whole, wait: 50 }, { count: 800, x: [-1500, 21500], y: [-800, 27500] }] as Step[]);
    expect([moved.updated, moved.kept, moved.marks]).toEqual([moved.fresh, true, 800]);
    const gone = await page.evaluate((s) => window.svgBoth(s), [...steps, { count: 2500, ...whole }]);
    expect([gone.marks, gone.updated]).toEqual([0, gone.fresh]);
    // The canvas took over (every mark went at once), then the playhead back under the limit.
    const back = await page.evaluate((s) => window.svgBoth(s), [...steps, { count: 2500, ...whole }, { count: 1800, ...whole, wait: 300 }]);
    expect([back.marks, back.updated]).toEqual([1800, back.fresh]);
  });
});
