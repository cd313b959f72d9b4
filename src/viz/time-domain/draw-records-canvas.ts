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

/** Cells already stamped in the current pass (a pass number per cell, never cleared). */
let stamped = new Uint32Array(0);
/** Which kinds (one bit each) a cell stamped in the current pass already has. */
let stampedKinds = new Uint8Array(0);
let pass = 0;
/** Per kind, the cells to stamp, in record order: a cell index, or -1 then x, y (device pixels) off the grid. */
const toStamp: number[][] = [[], [], [], []];

/**
 * Draws the first `count` records. Many dots land on the same device pixel in a long run (a
 * million records on a few hundred thousand pixels); each pixel (2×2 pixels in a crowd) gets one
 * stamp per kind, which looks the same and keeps a frame's work bounded by the chart's area.
 * One walk over the records sorts the stamps by kind (kinds are drawn in order, so on-time dots
 * lie under late ones), with the scales inlined: the walk runs over every record at each frame.
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
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, frame.width, frame.height);
  if (!visible) return;
  ctx.save();
  ctx.beginPath();
  ctx.rect(frame.left, frame.top, frame.right - frame.left, frame.bottom - frame.top);
  ctx.clip();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  // Smaller marks in a crowd, and one stamp per kind per cell of 2×2 device pixels: a crowd's
  // dots overlap anyway (a mark is several pixels wide), and stamps are most of a frame's work.
  const crowd = count > 20_000;
  const size = crowd ? 14 : 28;
  const cellPx = crowd ? 2 : 1;
  const gw = Math.ceil(w / cellPx);
  const gh = Math.ceil(h / cellPx);
  if (stamped.length < gw * gh) {
    stamped = new Uint32Array(gw * gh);
    stampedKinds = new Uint8Array(gw * gh);
  }
  pass = pass === 0xffffffff ? 1 : pass + 1;
  if (pass === 1) stamped.fill(0);
  const scale = ratio / cellPx;
  const raw = model.records.raw();
  const stride = model.records.stride;
  const et = model.records.column('eventTime');
  const tc = model.records.column('t');
  // The linear scales as a*v + b (d3's scaleLinear without clamping), in device pixels.
  const [x0, x1] = frame.x.domain() as [number, number];
  const [rx0, rx1] = frame.x.range() as [number, number];
  const [y0, y1] = frame.y.domain() as [number, number];
  const [ry0, ry1] = frame.y.range() as [number, number];
  const ax = x1 === x0 ? 0 : (rx1 - rx0) / (x1 - x0);
  const ay = y1 === y0 ? 0 : (ry1 - ry0) / (y1 - y0);
  const minX = frame.left - 6;
  const maxX = frame.right + 6;
  const minY = frame.top - 6;
  const maxY = frame.bottom + 6;
  for (const list of toStamp) list.length = 0;
  for (let i = 0, row = 0; i < count; i++, row += stride) {
    const x = x1 === x0 ? (rx0 + rx1) / 2 : rx0 + (raw[row + et]! - x0) * ax;
    const y = y1 === y0 ? (ry0 + ry1) / 2 : ry0 + (raw[row + tc]! - y0) * ay;
    if (x < minX || x > maxX || y < minY || y > maxY) continue;
    const kind = kinds[i]!;
    const px = Math.round(x * scale);
    const py = Math.round(y * scale);
    if (px >= 0 && py >= 0 && px < gw && py < gh) {
      const cell = py * gw + px;
      const bit = 1 << kind;
      if (stamped[cell] !== pass) {
        stamped[cell] = pass;
        stampedKinds[cell] = bit;
      } else if (stampedKinds[cell]! & bit) continue;
      else stampedKinds[cell] = stampedKinds[cell]! | bit;
      toStamp[kind]!.push(cell);
    } else toStamp[kind]!.push(-1, px * cellPx, py * cellPx);
  }
  const byKind = kindColours(canvas);
  for (const kind of [0, 1, 2, 3] as RecordKind[]) {
    const list = toStamp[kind]!;
    if (list.length === 0) continue;
    const sprite = spriteFor(canvas.ownerDocument, kind, size, byKind[kind]!, ratio);
    ctx.globalAlpha = kind === 0 ? 0.75 : 1;
    for (let k = 0; k < list.length; k++) {
      const cell = list[k]!;
      if (cell >= 0) ctx.drawImage(sprite.image, (cell % gw) * cellPx - sprite.half, Math.floor(cell / gw) * cellPx - sprite.half);
      else {
        ctx.drawImage(sprite.image, list[k + 1]! - sprite.half, list[k + 2]! - sprite.half);
        k += 2;
      }
    }
  }
  ctx.restore();
}
