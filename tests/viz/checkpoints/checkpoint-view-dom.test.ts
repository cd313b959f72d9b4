import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from '@playwright/test';
import { openDriverPage } from '../chromium-page.ts';

// The checkpoints panel in a real DOM (Chromium), followed through a live durable run delta by
// delta as the page follows one: its timeline's marks are redrawn only when the (held) x domain
// changes, or at most every 200 ms when what they show changes (the latest state always drawn
// after it); the playhead moves alone in between; at the run's end it shows a fresh view's markup.

interface Followed {
  /** Updates in the live run, and how many of them redrew the marks. */
  readonly updates: number;
  readonly redraws: number;
  /** Updates that left the marks alone whose playhead line was not at the playhead's x. */
  readonly playheadOff: number;
  readonly updated: string;
  readonly fresh: string;
  readonly crashes: number;
  readonly checkpoints: number;
  /** After the live updates and a pause: bars drawn, and checkpoints triggered by then. */
  readonly liveBars: number;
  readonly triggered: number;
}

declare global {
  interface Window {
    /** Follows the durable meter run with crashes at `crashAt`, live, then finished; see Followed. */
    followCheckpoints(crashAt: readonly number[]): Promise<Followed>;
  }
}

const DRIVER = `
import { createCheckpointView } from './checkpoint-view.ts';
import { RunModel } from '../run-model.ts';
import { traceToAttempts } from '../../app/lab/trace-to-deltas.ts';
import { durableEvents } from '../../../tests/viz/checkpoints/meter-run.ts';

const mount = () => {
  const host = document.body.appendChild(document.createElement('div'));
  host.style.cssText = 'width: 900px; height: 400px; position: relative';
  return host;
};
const svgOf = (host) => host.querySelector('svg');

window.followCheckpoints = async (crashAt) => {
  const attempts = traceToAttempts(await durableEvents(crashAt));
  const model = new RunModel();
  const host = mount();
  const view = createCheckpointView(host, {});
  let updates = 0;
  let redraws = 0;
  let playheadOff = 0;
  let marks = null;
  for (const a of attempts) {
    model.beginAttempt(a.attempt, a.startPt, a.restoredFrom, 0);
    for (const d of a.deltas) {
      // The last delta of the last attempt finishes the run: followed below, not live.
      if (d.finished && a === attempts.at(-1)) continue;
      model.apply(d);
      const t = model.endT;
      view.update(model, t);
      updates++;
      const now = svgOf(host).children[1].firstElementChild;
      if (now !== marks) redraws++;
      else {
        // The marks were kept: the playhead must still be where the scale puts t (the axis' ticks say the scale).
        const line = host.querySelector('.bk-playhead');
        const ticks = [...host.querySelectorAll('.tick')];
        const a0 = ticks[0], a1 = ticks.at(-1);
        // d3's axis puts ticks half a pixel over at a device pixel ratio of 1, for crisp lines.
        const xOf = (tick) => Number(tick.getAttribute('transform').match(/translate\\(([-\\d.]+)/)[1]) - (devicePixelRatio > 1 ? 0 : 0.5);
        const tOf = (tick) => tick.__data__;
        const x = xOf(a0) + ((t - tOf(a0)) * (xOf(a1) - xOf(a0))) / (tOf(a1) - tOf(a0));
        if (Math.abs(Number(line.getAttribute('x1')) - x) > 0.01) playheadOff++;
      }
      marks = now;
    }
  }
  // Live, the marks follow within the throttle's interval: the bars drawn are those triggered.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const liveBars = svgOf(host).children[1].querySelectorAll('rect[rx]').length;
  const triggered = model.checkpoints.filter((c) => c.triggeredT <= model.endT).length;
  const last = attempts.at(-1);
  model.apply(last.deltas.at(-1));
  view.update(model, model.endT);
  const fresh = mount();
  createCheckpointView(fresh, {}).update(model, model.endT);
  return {
    updates, redraws, playheadOff, liveBars, triggered,
    updated: host.innerHTML, fresh: fresh.innerHTML,
    crashes: model.crashes.length, checkpoints: model.checkpoints.length,
  };
};
`;

describe('the checkpoints panel following a live run (Chromium)', () => {
  let page: Page;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ page, close } = await openDriverPage(DRIVER, fileURLToPath(new URL('../../../src/viz/checkpoints/', import.meta.url))));
  }, 60_000);
  afterAll(async () => close?.());

  it('redraws its marks only when they change, moves the playhead alone in between, and ends as a fresh view', async () => {
    const r = await page.evaluate((crashAt) => window.followCheckpoints(crashAt), [3_500, 7_200]);
    expect(r.crashes).toBe(2);
    expect(r.checkpoints).toBeGreaterThanOrEqual(6);
    expect(r.updates).toBeGreaterThan(100);
    // Every checkpoint's trigger, acks and end, each crash and restore, and a few domain steps:
    // far fewer redraws than updates (each of which moved the playhead).
    expect(r.redraws).toBeLessThan(r.updates / 3);
    expect(r.playheadOff).toBe(0);
    expect(r.liveBars).toBe(r.triggered);
    expect(r.updated).toBe(r.fresh);
  }, 60_000);
});
