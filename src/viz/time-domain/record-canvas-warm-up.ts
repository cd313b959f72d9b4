// Readies the record canvas in an idle task while the SVG still draws the records, so that the
// canvas's first restamp (past SVG_RECORD_LIMIT records) finds its sprites drawn, its kind layers
// sized with their pixels allocated and its stamp counts zeroed, instead of doing it in a frame.
// Invariant: a warm-up leaves the layers blank and the counts zero; it changes no picture.

import { whenIdle } from '../idle-task.ts';
import type { RecordKind } from './marks.ts';
import { kindColours, spriteFor } from './record-sprites.ts';
import type { RecordStamps } from './record-stamps.ts';
import { DOT_SIZES } from './stamp-geometry.ts';

/** Per canvas, the size its layers were last readied for (or are being readied for). */
const readied = new WeakMap<HTMLCanvasElement, string>();

/**
 * Readies, once per size, `layers` (each kind's canvas) at `w` × `h` device pixels and `stamps`
 * for one cell per device pixel, in an idle task; `stillWanted` is asked first (the canvas may
 * have taken over meanwhile, and then does this itself).
 * @example warmUpLater(canvas, layers, stamps, 900, 320, 1, () => state.key === '');
 */
export function warmUpLater(canvas: HTMLCanvasElement, layers: readonly HTMLCanvasElement[], stamps: RecordStamps, w: number, h: number, ratio: number, stillWanted: () => boolean): void {
  const key = `${w}|${h}|${ratio}`;
  if (readied.get(canvas) === key || w === 0 || h === 0) return;
  readied.set(canvas, key);
  // Soon at the latest: a fast run brings its first 2,000 records within a few frames.
  whenIdle(() => {
    if (!stillWanted() || !canvas.isConnected) return;
    const colours = kindColours(canvas);
    const sprites = DOT_SIZES.flatMap((size) => ([0, 1, 2, 3] as RecordKind[]).map((kind) => spriteFor(canvas.ownerDocument, kind, size, colours[kind]!, ratio)));
    layers.forEach((layer, kind) => {
      if (layer.width !== w || layer.height !== h) {
        layer.width = w;
        layer.height = h;
      }
      // One stamp drawn and cleared allocates the layer's pixels now rather than at its first stamp.
      const ctx = layer.getContext('2d')!;
      const image = sprites[kind]!.image;
      ctx.drawImage(image, 0, 0);
      ctx.clearRect(0, 0, image.width, image.height);
    });
    stamps.prepare(w * h, true);
  }, 50);
}
