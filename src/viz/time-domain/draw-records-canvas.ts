// Draws record dots on a canvas under the SVG when there are too many for SVG marks (SVG slows
// down past a few thousand). Same shapes and theme colours as the SVG marks; colours are read
// from the CSS variables whenever the colour scheme changed, so a light/dark switch redraws correctly.

import type { RunModel } from '../run-model.ts';
import { resolveColor } from '../theme.ts';
import type { ChartFrame } from './chart-frame.ts';
import { isHollow, KIND_TOKEN, recordPath } from './draw-chart.ts';
import type { RecordKind } from './marks.ts';

/** SVG marks up to this many records; above it the canvas draws them. */
export const SVG_RECORD_LIMIT = 2000;

/**
 * A record's shape drawn once, at the device pixel ratio, with its centre at (half, half) CSS
 * pixels: stamping it with drawImage costs far less than a transform and a path fill per dot.
 */
interface Sprite {
  readonly image: HTMLCanvasElement;
  /** Half the sprite's side, in device pixels. */
  readonly half: number;
}

const sprites = new Map<string, Sprite>();

function spriteFor(doc: Document, kind: RecordKind, size: number, colour: string, ratio: number): Sprite {
  const id = `${kind}|${size}|${colour}|${ratio}`;
  const cached = sprites.get(id);
  if (cached) return cached;
  const half = Math.ceil(Math.sqrt(size * 1.1) + 2);
  const image = doc.createElement('canvas');
  image.width = image.height = Math.ceil(2 * half * ratio);
  const ctx = image.getContext('2d')!;
  ctx.setTransform(ratio, 0, 0, ratio, half * ratio, half * ratio);
  ctx.fillStyle = colour;
  ctx.strokeStyle = colour;
  ctx.lineWidth = 1.4;
  const shape = new Path2D(recordPath(kind, size));
  if (isHollow(kind)) ctx.stroke(shape);
  else ctx.fill(shape);
  const sprite = { image, half: half * ratio };
  sprites.set(id, sprite);
  return sprite;
}

/**
 * Each kind's colour at `canvas`, read from the CSS variables only when the scheme that decides
 * them changes (the media query or an ancestor's `data-brook-theme`): reading a computed style
 * right after the SVG layers changed forces a style recalculation of the whole page.
 */
const colours = new WeakMap<HTMLCanvasElement, { scheme: string; byKind: string[] }>();

function kindColours(canvas: HTMLCanvasElement): string[] {
  const dark = canvas.ownerDocument.defaultView?.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
  const scheme = `${dark}|${canvas.closest('[data-brook-theme]')?.getAttribute('data-brook-theme') ?? ''}`;
  const cached = colours.get(canvas);
  if (cached && cached.scheme === scheme) return cached.byKind;
  const byKind = ([0, 1, 2, 3] as RecordKind[]).map((kind) => resolveColor(canvas, KIND_TOKEN[kind]));
  colours.set(canvas, { scheme, byKind });
  return byKind;
}

/**
 * What one canvas has drawn, kept between draws so that a growing run stamps only its new
 * records. Each kind is stamped on a layer of its own, and the layers are composited in kind
 * order, so a new on-time dot still lies under an older late one, as in a full redraw.
 * - State: the layers, the grid of cells stamped per kind, the records covered and their
 *   kinds, and a full restamp still in progress.
 * - Lifetime: started over whenever what decides a stamp's place or look changed (scales,
 *   size, crowd, colours, model) or a covered record's kind changed or the playhead went back.
 */
interface RecordLayers {
  key: string;
  model: RunModel | undefined;
  readonly layers: HTMLCanvasElement[];
  /** Which kinds (one bit each) every grid cell already has. */
  stampedKinds: Uint8Array;
  /** Records stamped or being restamped so far (the first `covered`), and their kinds. */
  covered: number;
  coveredKinds: Uint8Array;
  /** A full restamp of the first `covered` records not finished yet (see `RestampOrder`). */
  restamp: RestampOrder | undefined;
  /** The latest call's arguments, for the task that goes on with a restamp. */
  latest: { model: RunModel; frame: ChartFrame; kinds: Uint8Array; count: number } | undefined;
  continuation: ReturnType<typeof setTimeout> | undefined;
}

const canvasLayers = new WeakMap<HTMLCanvasElement, RecordLayers>();

function layersOf(canvas: HTMLCanvasElement): RecordLayers {
  let state = canvasLayers.get(canvas);
  if (!state) {
    const layers = [0, 1, 2, 3].map(() => canvas.ownerDocument.createElement('canvas'));
    state = { key: '', model: undefined, layers, stampedKinds: new Uint8Array(0), covered: 0, coveredKinds: new Uint8Array(0), restamp: undefined, latest: undefined, continuation: undefined };
    canvasLayers.set(canvas, state);
  }
  return state;
}

/** Whether the first `n` kinds are what they were when stamped. */
function sameKinds(drawn: Uint8Array, kinds: Uint8Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (drawn[i] !== kinds[i]) return false;
  return true;
}

/** Milliseconds of stamping per task while a full restamp is in progress. */
const RESTAMP_SLICE_MS = 6;
/** Records in the first pass of a restamp: a thin sample of the whole run, drawn at once. */
const RESTAMP_FIRST_PASS = 16_384;

/**
 * The order of a full restamp of `total` records: in `stride` passes, pass p taking records
 * p, p + stride, p + 2·stride, …, so the first slice already spreads over the whole run (a
 * visible approximation) and later slices fill it in. Stamps of one kind are order-free (one per
 * cell, on the kind's own layer), so the finished layers equal a restamp in record order.
 */
export class RestampOrder {
  readonly stride: number;
  private pass = 0;
  private next = 0;

  constructor(readonly total: number, firstPass = RESTAMP_FIRST_PASS) {
    this.stride = Math.max(1, Math.ceil(total / firstPass));
  }

  get done(): boolean {
    return this.pass >= this.stride || this.total === 0;
  }

  /**
   * Up to `n` next record indices into `out` (reused, no allocation); returns how many.
   * @example const n = order.take(1024, buffer);
   */
  take(n: number, out: Int32Array): number {
    let k = 0;
    while (k < n && !this.done) {
      if (this.next >= this.total) {
        this.pass++;
        this.next = this.pass;
        continue;
      }
      out[k++] = this.next;
      this.next += this.stride;
    }
    return k;
  }
}

const batch = new Int32Array(1024);

/**
 * Draws the first `count` records. Many dots land on the same device pixel in a long run (a
 * million records on a few hundred thousand pixels); each pixel (2×2 pixels in a crowd) gets one
 * stamp per kind, which looks the same and keeps the work bounded by the chart's area. A run
 * that grew under the same scales stamps only its new records onto the kind layers kept from
 * the last draw; anything else restamps every record, in slices of a few milliseconds spread
 * over tasks (a thin sample of the run first). The scales are inlined in the walk.
 */
export function drawRecordsOnCanvas(canvas: HTMLCanvasElement, model: RunModel, frame: ChartFrame, kinds: Uint8Array, count: number, visible: boolean): void {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.round(frame.width * ratio);
  const h = Math.round(frame.height * ratio);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
    canvas.style.width = `${frame.width}px`;
    canvas.style.height = `${frame.height}px`;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const state = layersOf(canvas);
  if (!visible) {
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, w, h);
    state.key = '';
    state.restamp = undefined;
    state.latest = undefined;
    return;
  }
  state.latest = { model, frame, kinds, count };
  // Smaller marks in a crowd, and one stamp per kind per cell of 2×2 device pixels: a crowd's
  // dots overlap anyway (a mark is several pixels wide), and stamps are most of the work.
  const crowd = count > 20_000;
  const size = crowd ? 14 : 28;
  const cellPx = crowd ? 2 : 1;
  const gw = Math.ceil(w / cellPx);
  const gh = Math.ceil(h / cellPx);
  const byKind = kindColours(canvas);
  // The linear scales as a*v + b (d3's scaleLinear without clamping), in device pixels.
  const [x0, x1] = frame.x.domain() as [number, number];
  const [rx0, rx1] = frame.x.range() as [number, number];
  const [y0, y1] = frame.y.domain() as [number, number];
  const [ry0, ry1] = frame.y.range() as [number, number];
  const key = `${w}|${h}|${ratio}|${crowd}|${x0}|${x1}|${rx0}|${rx1}|${y0}|${y1}|${ry0}|${ry1}|${frame.left}|${frame.top}|${frame.right}|${frame.bottom}|${byKind.join()}`;
  const same = key === state.key && model === state.model && count >= state.covered && sameKinds(state.coveredKinds, kinds, state.covered);
  if (same && count === state.covered && !state.restamp) return;
  if (!same) {
    state.key = key;
    state.model = model;
    state.covered = 0;
    state.restamp = count > 0 ? new RestampOrder(count) : undefined;
    if (state.stampedKinds.length < gw * gh) state.stampedKinds = new Uint8Array(gw * gh);
    else state.stampedKinds.fill(0);
    for (const layer of state.layers) {
      if (layer.width !== w || layer.height !== h) {
        layer.width = w;
        layer.height = h;
      } else layer.getContext('2d')!.clearRect(0, 0, w, h);
    }
  }
  // Records from `covered` to `count` are new: a restamp in progress takes them in once done.
  const from = state.restamp ? (same ? state.covered : 0) : state.covered;
  const upTo = state.restamp ? state.restamp.total : count;
  if (state.coveredKinds.length < upTo) {
    const bigger = new Uint8Array(Math.max(upTo, state.coveredKinds.length * 2));
    bigger.set(state.coveredKinds.subarray(0, from));
    state.coveredKinds = bigger;
  }
  state.coveredKinds.set(kinds.subarray(from, upTo), from);
  state.covered = upTo;

  const scale = ratio / cellPx;
  const raw = model.records.raw();
  const stride = model.records.stride;
  const et = model.records.column('eventTime');
  const tc = model.records.column('t');
  const ax = x1 === x0 ? 0 : (rx1 - rx0) / (x1 - x0);
  const ay = y1 === y0 ? 0 : (ry1 - ry0) / (y1 - y0);
  const minX = frame.left - 6;
  const maxX = frame.right + 6;
  const minY = frame.top - 6;
  const maxY = frame.bottom + 6;
  const stampedKinds = state.stampedKinds;
  const sprites = ([0, 1, 2, 3] as RecordKind[]).map((kind) => spriteFor(canvas.ownerDocument, kind, size, byKind[kind]!, ratio));
  const layerCtx = state.layers.map((layer, kind) => {
    const c = layer.getContext('2d')!;
    c.globalAlpha = kind === 0 ? 0.75 : 1;
    return c;
  });
  const stamp = (i: number) => {
    const row = i * stride;
    const x = x1 === x0 ? (rx0 + rx1) / 2 : rx0 + (raw[row + et]! - x0) * ax;
    const y = y1 === y0 ? (ry0 + ry1) / 2 : ry0 + (raw[row + tc]! - y0) * ay;
    if (x < minX || x > maxX || y < minY || y > maxY) return;
    const kind = kinds[i]!;
    const px = Math.round(x * scale);
    const py = Math.round(y * scale);
    const sprite = sprites[kind]!;
    if (px >= 0 && py >= 0 && px < gw && py < gh) {
      const cell = py * gw + px;
      const bit = 1 << kind;
      if (stampedKinds[cell]! & bit) return;
      stampedKinds[cell] = stampedKinds[cell]! | bit;
    }
    layerCtx[kind]!.drawImage(sprite.image, px * cellPx - sprite.half, py * cellPx - sprite.half);
  };
  if (state.restamp) {
    const start = performance.now();
    const order = state.restamp;
    while (!order.done && performance.now() - start < RESTAMP_SLICE_MS) {
      const n = order.take(batch.length, batch);
      for (let k = 0; k < n; k++) stamp(batch[k]!);
    }
    if (order.done) state.restamp = undefined;
  }
  if (!state.restamp) {
    for (let i = upTo; i < count; i++) stamp(i);
    if (count > upTo) {
      if (state.coveredKinds.length < count) {
        const bigger = new Uint8Array(Math.max(count, state.coveredKinds.length * 2));
        bigger.set(state.coveredKinds.subarray(0, upTo));
        state.coveredKinds = bigger;
      }
      state.coveredKinds.set(kinds.subarray(upTo, count), upTo);
      state.covered = count;
    }
  } else if (state.continuation === undefined) {
    // Go on in a task of its own with the latest arguments (an update meanwhile goes on itself).
    state.continuation = setTimeout(() => {
      state.continuation = undefined;
      const l = state.latest;
      if (l && state.restamp) drawRecordsOnCanvas(canvas, l.model, l.frame, l.kinds, l.count, true);
    }, 0);
  }
  // Composite the layers in kind order, clipped to the plot.
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, w, h);
  ctx.save();
  ctx.beginPath();
  ctx.rect(frame.left * ratio, frame.top * ratio, (frame.right - frame.left) * ratio, (frame.bottom - frame.top) * ratio);
  ctx.clip();
  for (const layer of state.layers) ctx.drawImage(layer, 0, 0);
  ctx.restore();
}
