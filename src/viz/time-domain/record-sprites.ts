// What the record canvas stamps: each kind's shape drawn once per size, colour and pixel ratio
// (a sprite), and each kind's theme colour as the canvas shows it.
// Invariant: a sprite looks like the SVG mark of its kind (same path, fill or outline, colour).

import { resolveColor } from '../theme.ts';
import { prefersDark } from '../color-scheme.ts';
import { isHollow, KIND_TOKEN, recordPath } from './draw-chart.ts';
import type { RecordKind } from './marks.ts';

/**
 * A record's shape drawn once, at the device pixel ratio, with its centre at (half, half) CSS
 * pixels: stamping it with drawImage costs far less than a transform and a path fill per dot.
 */
export interface Sprite {
  readonly image: HTMLCanvasElement;
  /** Half the sprite's side, in device pixels. */
  readonly half: number;
}

const sprites = new Map<string, Sprite>();

/** Kind `kind`'s shape of `size` in `colour` at device pixel ratio `ratio`, drawn once and kept. */
export function spriteFor(doc: Document, kind: RecordKind, size: number, colour: string, ratio: number): Sprite {
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

/** Each kind's colour (by kind) as `canvas` shows it now. */
export function kindColours(canvas: HTMLCanvasElement): string[] {
  const dark = prefersDark(canvas.ownerDocument.defaultView);
  const scheme = `${dark}|${canvas.closest('[data-brook-theme]')?.getAttribute('data-brook-theme') ?? ''}`;
  const cached = colours.get(canvas);
  if (cached && cached.scheme === scheme) return cached.byKind;
  const byKind = ([0, 1, 2, 3] as RecordKind[]).map((kind) => resolveColor(canvas, KIND_TOKEN[kind]));
  colours.set(canvas, { scheme, byKind });
  return byKind;
}
