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

/** Device pixels already stamped in the current pass (a pass number per pixel, never cleared). */
let stamped = new Uint32Array(0);
let pass = 0;

/**
 * Draws the first `count` records. Many dots land on the same device pixel in a long run (a
 * million records on a few hundred thousand pixels); each pixel gets one stamp per kind, which
 * looks the same and keeps a frame's work bounded by the chart's area, not the run's length.
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
  if (stamped.length < w * h) stamped = new Uint32Array(w * h);
  // Smaller marks in a crowd.
  const size = count > 20_000 ? 14 : 28;
  const raw = model.records.raw();
  const stride = model.records.stride;
  const et = model.records.column('eventTime');
  const tc = model.records.column('t');
  const byKind = kindColours(canvas);
  for (const kind of [0, 1, 2, 3] as RecordKind[]) {
    const sprite = spriteFor(canvas.ownerDocument, kind, size, byKind[kind]!, ratio);
    ctx.globalAlpha = kind === 0 ? 0.75 : 1;
    pass = pass === 0xffffffff ? 1 : pass + 1;
    if (pass === 1) stamped.fill(0);
    for (let i = 0; i < count; i++) {
      if (kinds[i] !== kind) continue;
      const x = frame.x(raw[i * stride + et]!);
      const y = frame.y(raw[i * stride + tc]!);
      if (x < frame.left - 6 || x > frame.right + 6 || y < frame.top - 6 || y > frame.bottom + 6) continue;
      const px = Math.round(x * ratio);
      const py = Math.round(y * ratio);
      if (px >= 0 && py >= 0 && px < w && py < h) {
        const cell = py * w + px;
        if (stamped[cell] === pass) continue;
        stamped[cell] = pass;
      }
      ctx.drawImage(sprite.image, px - sprite.half, py - sprite.half);
    }
  }
  ctx.restore();
}
