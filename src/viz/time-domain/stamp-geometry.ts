// Where the record canvas puts a record's stamp: the pixel cells and scales of a chart frame at a
// device pixel ratio, and the dot size, both coarser for a crowd of records.
// Invariant: equal geometry keys stamp every record in the same cell with the same sprite size.

import type { ChartFrame } from './chart-frame.ts';
import type { StampGeometry } from './record-stamps.ts';

/** Past this many records, smaller marks and one stamp per kind per 2×2 device pixels. */
export const CROWD = 20_000;

/** The dot sizes the canvas stamps (symbol areas in px², as `spriteFor` takes them): normal, and a crowd's. */
export const DOT_SIZES = [28, 14] as const;

/** The dot size for `count` records. */
export function dotSize(count: number): number {
  return count > CROWD ? DOT_SIZES[1] : DOT_SIZES[0];
}

/** The cells and scales records are stamped with, for `count` records in `frame`. */
export function stampGeometry(frame: ChartFrame, ratio: number, count: number, half: number, side: number): StampGeometry {
  const w = Math.round(frame.width * ratio);
  const h = Math.round(frame.height * ratio);
  // A crowd's dots overlap anyway (a mark is several pixels wide), and stamps are most of the work.
  const cellPx = count > CROWD ? 2 : 1;
  const [xd0, xd1] = frame.x.domain() as [number, number];
  const [xr0, xr1] = frame.x.range() as [number, number];
  const [yd0, yd1] = frame.y.domain() as [number, number];
  const [yr0, yr1] = frame.y.range() as [number, number];
  return {
    w,
    h,
    cellPx,
    gw: Math.ceil(w / cellPx),
    gh: Math.ceil(h / cellPx),
    half,
    side,
    x: { d0: xd0, d1: xd1, r0: xr0, r1: xr1 },
    y: { d0: yd0, d1: yd1, r0: yr0, r1: yr1 },
    ratio,
    clip: { left: frame.left - 6, top: frame.top - 6, right: frame.right + 6, bottom: frame.bottom + 6 },
  };
}

/** A key that changes whenever anything deciding a stamp's place changes. */
export function geometryKey(g: StampGeometry): string {
  return `${g.w}|${g.h}|${g.ratio}|${g.cellPx}|${g.x.d0}|${g.x.d1}|${g.x.r0}|${g.x.r1}|${g.y.d0}|${g.y.d1}|${g.y.r0}|${g.y.r1}|${g.clip.left}|${g.clip.top}|${g.clip.right}|${g.clip.bottom}`;
}
