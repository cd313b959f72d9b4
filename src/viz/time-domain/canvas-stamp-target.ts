// Where the record canvas's stamps go: one layer canvas per record kind, each stamp a drawImage
// of its kind's sprite, with the box of what was drawn kept per kind (where a layer has ink) and
// since the last composite (what the visible canvas must take). Invariant: `dirty` covers every
// pixel a stamp or repaint touched since it was emptied; a kind's inked box, every pixel stamped.

import type { Sprite } from './record-sprites.ts';
import type { StampGeometry, StampTarget } from './record-stamps.ts';

/** A stamp target that also keeps the box (device pixels: x0, y0, x1, y1) of what it drew since `dirty` was emptied. */
export type CanvasTarget = StampTarget & { readonly dirty: number[] };

/** The box of nothing: growing it by any box gives that box. */
export const EMPTY_BOX = [Infinity, Infinity, -Infinity, -Infinity];

/** Four empty boxes, one per kind. */
export function emptyBoxes(boxes: Float64Array = new Float64Array(16)): Float64Array {
  for (let k = 0; k < 16; k += 4) boxes.set(EMPTY_BOX, k);
  return boxes;
}

/** Draws stamps on the kind layers with drawImage of each kind's sprite. */
export function canvasTarget(layers: readonly HTMLCanvasElement[], sprites: readonly Sprite[], g: StampGeometry, inked: Float64Array): CanvasTarget {
  const ctxs = layers.map((layer, kind) => {
    const c = layer.getContext('2d')!;
    c.globalAlpha = kind === 0 ? 0.75 : 1;
    return c;
  });
  const dirty = [...EMPTY_BOX];
  const grow = (x: number, y: number, w: number, h: number) => {
    dirty[0] = Math.min(dirty[0]!, x);
    dirty[1] = Math.min(dirty[1]!, y);
    dirty[2] = Math.max(dirty[2]!, x + w);
    dirty[3] = Math.max(dirty[3]!, y + h);
  };
  const draw = (c: CanvasRenderingContext2D, kind: number, cell: number) => {
    const cx = cell % g.gw;
    c.drawImage(sprites[kind]!.image, cx * g.cellPx - g.half, ((cell - cx) / g.gw) * g.cellPx - g.half);
  };
  return {
    dirty,
    stamp(kind, cell) {
      draw(ctxs[kind]!, kind, cell);
      const cx = cell % g.gw;
      const x = cx * g.cellPx - g.half;
      const y = ((cell - cx) / g.gw) * g.cellPx - g.half;
      grow(x, y, g.side, g.side);
      const at = kind * 4;
      if (x < inked[at]!) inked[at] = x;
      if (y < inked[at + 1]!) inked[at + 1] = y;
      if (x + g.side > inked[at + 2]!) inked[at + 2] = x + g.side;
      if (y + g.side > inked[at + 3]!) inked[at + 3] = y + g.side;
    },
    repaint(kind, rects, cells) {
      const c = ctxs[kind]!;
      c.save();
      c.beginPath();
      for (let r = 0; r < rects.length; r += 4) {
        grow(rects[r]!, rects[r + 1]!, rects[r + 2]!, rects[r + 3]!);
        c.rect(rects[r]!, rects[r + 1]!, rects[r + 2]!, rects[r + 3]!);
        c.clearRect(rects[r]!, rects[r + 1]!, rects[r + 2]!, rects[r + 3]!);
      }
      c.clip();
      for (const cell of cells) draw(c, kind, cell);
      c.restore();
    },
  };
}

/** Resizes (and so clears) a canvas to `w` × `h`, or clears it when the size is right. */
export function blank(canvas: HTMLCanvasElement, w: number, h: number): void {
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  } else canvas.getContext('2d')!.clearRect(0, 0, w, h);
}
