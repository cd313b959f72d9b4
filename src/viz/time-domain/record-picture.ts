// How the record canvas gets from one complete picture to the next without one long task: the
// order in which a large restamp visits records (a thin sample of the whole run first), and how
// the last complete picture is moved onto new scales while the next one is built.
// Invariant: every record of a restamp is visited exactly once; a moved picture puts each dot
// where the new scales put it (its size aside).

import type { LinearMap, StampGeometry } from './record-stamps.ts';

/** Records in the first pass of a restamp: a thin sample of the whole run. */
export const RESTAMP_FIRST_PASS = 16_384;

/**
 * The order of a restamp of `total` records: in `stride` passes, pass p taking records
 * p, p + stride, p + 2·stride, …, so the first pass already spreads over the whole run and later
 * passes fill it in. Stamps of one kind are order-free (one per cell, on the kind's own layer),
 * so the finished layers equal a restamp in record order.
 */
export class RestampOrder {
  readonly stride: number;
  private pass = 0;
  private next = 0;

  constructor(
    readonly total: number,
    firstPass = RESTAMP_FIRST_PASS,
  ) {
    this.stride = Math.max(1, Math.ceil(total / firstPass));
  }

  get done(): boolean {
    return this.pass >= this.stride || this.total === 0;
  }

  /** Whether the thin sample over the whole run (the first pass) is taken. */
  get firstPassDone(): boolean {
    return this.pass > 0 || this.done;
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

/** Device pixel = scale·(device pixel before) + offset, per axis. */
export interface PictureTransform {
  readonly sx: number;
  readonly tx: number;
  readonly sy: number;
  readonly ty: number;
}

/** A map's slope in CSS pixels per unit (0 for an empty domain). */
const slope = (m: LinearMap): number => (m.d1 === m.d0 ? 0 : (m.r1 - m.r0) / (m.d1 - m.d0));

function axis(from: LinearMap, fromRatio: number, to: LinearMap, toRatio: number): [number, number] | undefined {
  const a = slope(from);
  const b = slope(to);
  if (a === 0 || b === 0) return undefined;
  // v = d0 + (X / ratio − r0) / a, then X' = ratio' · (r0' + (v − d0') · b).
  const s = (toRatio * b) / (fromRatio * a);
  return [s, toRatio * (to.r0 + (from.d0 - to.d0) * b) - s * fromRatio * from.r0];
}

/**
 * The affine map that moves a picture drawn with `from`'s scales onto `to`'s, or undefined when
 * either has an empty domain (nothing sensible to show).
 * @example pictureTransform(before, after) // { sx: 0.5, tx: 34, sy: 1, ty: 0 }
 */
export function pictureTransform(from: StampGeometry, to: StampGeometry): PictureTransform | undefined {
  const x = axis(from.x, from.ratio, to.x, to.ratio);
  const y = axis(from.y, from.ratio, to.y, to.ratio);
  return x && y ? { sx: x[0], tx: x[1], sy: y[0], ty: y[1] } : undefined;
}
