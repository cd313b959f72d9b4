// Which record dots the time-domain canvas has stamped, per grid cell and kind, so that records
// can be added, taken back (the playhead went back) or change kind without a full restamp.
// Invariant: each kind's layer holds exactly one stamp per cell where some covered record of
// that kind lies, the same pixels as stamping the covered records from scratch.

import type { RunModel } from '../run-model.ts';

/** Where records land on the canvas: the grid of cells and the linear scales, in device pixels. */
export interface StampGeometry {
  /** Canvas size in device pixels. */
  readonly w: number;
  readonly h: number;
  /** Side of a cell in device pixels (one stamp per kind per cell). */
  readonly cellPx: number;
  readonly gw: number;
  readonly gh: number;
  /** A stamp's top-left corner is its cell's corner minus `half`; it is `side` pixels wide. */
  readonly half: number;
  readonly side: number;
  /** The scales as CSS pixel = r0 + (value − d0)·a, a = 0 for an empty domain (then the range's middle). */
  readonly x: LinearMap;
  readonly y: LinearMap;
  /** Device pixels per CSS pixel. */
  readonly ratio: number;
  /** CSS pixels outside which a record is not stamped (a margin around the plot). */
  readonly clip: { readonly left: number; readonly top: number; readonly right: number; readonly bottom: number };
}

export interface LinearMap {
  readonly d0: number;
  readonly d1: number;
  readonly r0: number;
  readonly r1: number;
}

/** Where stamps are drawn: one layer per kind. */
export interface StampTarget {
  /** Draws kind `kind`'s stamp of cell `cell` on its layer. */
  stamp(kind: number, cell: number): void;
  /**
   * Clears the rectangles (x, y, width, height in device pixels, four numbers each) on kind
   * `kind`'s layer and draws the stamps of `cells` again, clipped to those rectangles.
   */
  repaint(kind: number, rects: readonly number[], cells: readonly number[]): void;
}

const KINDS = 4;

/**
 * The cell a record falls in, or −1 when it is outside the plot's margin; the scales inlined
 * (this runs over every record in a restamp).
 */
export function cellFinder(geometry: StampGeometry, model: RunModel): (i: number) => number {
  const { x, y, clip, gw, gh } = geometry;
  const scale = geometry.ratio / geometry.cellPx;
  const raw = model.records.raw();
  const stride = model.records.stride;
  const et = model.records.column('eventTime');
  const tc = model.records.column('t');
  const ax = x.d1 === x.d0 ? 0 : (x.r1 - x.r0) / (x.d1 - x.d0);
  const ay = y.d1 === y.d0 ? 0 : (y.r1 - y.r0) / (y.d1 - y.d0);
  const midX = (x.r0 + x.r1) / 2;
  const midY = (y.r0 + y.r1) / 2;
  return (i) => {
    const row = i * stride;
    const px = ax === 0 ? midX : x.r0 + (raw[row + et]! - x.d0) * ax;
    const py = ay === 0 ? midY : y.r0 + (raw[row + tc]! - y.d0) * ay;
    if (px < clip.left || px > clip.right || py < clip.top || py > clip.bottom) return -1;
    const cx = Math.round(px * scale);
    const cy = Math.round(py * scale);
    return cx >= 0 && cy >= 0 && cx < gw && cy < gh ? cy * gw + cx : -1;
  };
}

/** The indices `changedKinds` returns, reused from call to call (no allocation per frame). */
let changedBuffer = new Int32Array(1024);

/**
 * The records below `common` whose `drawn` and `kinds` differ, sorted and once each: looked for
 * among `candidates` (a journal's entries since the layers were last brought up to date, which
 * may repeat) or, without them, among all `common` records, then stopping past `limit` found.
 * A view of a buffer that the next call reuses.
 * @example changedKinds(drawn, kinds, covered, journal.since(read), 256) // Int32Array [17, 4031]
 */
export function changedKinds(drawn: Uint8Array, kinds: Uint8Array, common: number, candidates: Int32Array | undefined, limit: number): Int32Array {
  let n = 0;
  const room = candidates ? candidates.length : limit + 1;
  if (changedBuffer.length < room) changedBuffer = new Int32Array(Math.max(room, changedBuffer.length * 2));
  const out = changedBuffer;
  if (candidates) {
    for (let k = 0; k < candidates.length; k++) {
      const i = candidates[k]!;
      if (i < common && drawn[i] !== kinds[i]) out[n++] = i;
    }
    if (n > 1) {
      out.subarray(0, n).sort();
      let unique = 1;
      for (let k = 1; k < n; k++) if (out[k] !== out[unique - 1]) out[unique++] = out[k]!;
      n = unique;
    }
  } else for (let i = 0; i < common && n <= limit; i++) if (drawn[i] !== kinds[i]) out[n++] = i;
  return out.subarray(0, n);
}

/**
 * How many covered records of each kind lie in each cell, and the stamps that follow from it.
 * - State: a count per cell and kind (16 bits when `small`, else 32), and per kind the cells
 *   whose last record left since the last `flush` (their stamps wait to be erased).
 * - Lifetime: `reset` for new geometry; the caller keeps the counts in step with its layers.
 */
export class RecordStamps {
  private geometry: StampGeometry | undefined;
  private counts: Uint16Array | Uint32Array = new Uint16Array(0);
  /**
   * The counts outside [lo, hi) are zero: only the range ever counted into since the counts
   * were last zeroed is cleared again (clearing a million counts that are already zero took
   * milliseconds of the canvas's first restamp).
   */
  private lo = Infinity;
  private hi = 0;
  private readonly erased: number[][] = [[], [], [], []];

  /** Forgets every stamp: the layers are blank, laid out by `geometry`. */
  reset(geometry: StampGeometry, small: boolean): void {
    this.geometry = geometry;
    this.prepare(geometry.gw * geometry.gh, small);
    for (const list of this.erased) list.length = 0;
  }

  /**
   * Has zeroed counts for `cells` cells ready, allocating them only when those at hand are too
   * few or of the other width: done ahead (an idle task), the first restamp allocates nothing.
   */
  prepare(cells: number, small: boolean): void {
    const size = cells * KINDS;
    const Type = small ? Uint16Array : Uint32Array;
    if (this.counts instanceof Type && this.counts.length >= size) {
      if (this.hi > this.lo) this.counts.fill(0, this.lo, this.hi);
    } else this.counts = new Type(size);
    this.lo = Infinity;
    this.hi = 0;
  }

  /** Whether cell `cell` has a stamp of `kind`. */
  has(cell: number, kind: number): boolean {
    return this.counts[cell * KINDS + kind]! > 0;
  }

  /** Counts a record of `kind` in `cell` (−1: none), stamping the cell's first of that kind. */
  add(target: StampTarget, cell: number, kind: number): void {
    if (cell < 0) return;
    const at = cell * KINDS + kind;
    if (at < this.lo) this.lo = at;
    if (at >= this.hi) this.hi = at + 1;
    if (this.counts[at]!++ === 0) target.stamp(kind, cell);
  }

  /** Takes a record of `kind` out of `cell` (−1: none); the cell's last one's stamp goes at `flush`. */
  remove(cell: number, kind: number): void {
    if (cell < 0) return;
    const at = cell * KINDS + kind;
    if (--this.counts[at]! === 0) this.erased[kind]!.push(cell);
  }

  /**
   * Moves the stamps from the first `covered` records with kinds `drawn` to the first `count`
   * with kinds `kinds`: records taken back or whose kind changed out first (erasures batched
   * per kind), then the new and changed ones in. `drawn` is brought to `kinds` and must have
   * room for `count` entries.
   */
  sync(target: StampTarget, cellOf: (i: number) => number, drawn: Uint8Array, covered: number, kinds: Uint8Array, count: number): void {
    this.takeOut(cellOf, drawn, covered, kinds, count);
    this.putIn(target, cellOf, drawn, covered, kinds, count);
  }

  /**
   * `sync`'s first half: counts out the records taken back or changing kind. Returns how many
   * stamps the erasures then draw again (`erasureCost`), so that the caller can restamp from
   * scratch instead (`reset`) when that is the cheaper way. `changed`, when given, lists (once
   * each) exactly the records below `min(covered, count)` whose `drawn` and `kinds` differ, so
   * that the others are not compared (a caller that knows what changed: `changedKinds`).
   */
  takeOut(cellOf: (i: number) => number, drawn: Uint8Array, covered: number, kinds: Uint8Array, count: number, changed?: Int32Array): number {
    const common = Math.min(covered, count);
    for (let i = common; i < covered; i++) this.remove(cellOf(i), drawn[i]!);
    if (changed) for (const i of changed) this.remove(cellOf(i), drawn[i]!);
    else for (let i = 0; i < common; i++) if (drawn[i] !== kinds[i]) this.remove(cellOf(i), drawn[i]!);
    return this.erasureCost();
  }

  /** `sync`'s second half, after `takeOut` with the same arguments: erases, then stamps the records in. */
  putIn(target: StampTarget, cellOf: (i: number) => number, drawn: Uint8Array, covered: number, kinds: Uint8Array, count: number, changed?: Int32Array): void {
    const common = Math.min(covered, count);
    this.flush(target);
    if (changed) {
      for (const i of changed) {
        this.add(target, cellOf(i), kinds[i]!);
        drawn[i] = kinds[i]!;
      }
    } else {
      for (let i = 0; i < common; i++) {
        if (drawn[i] === kinds[i]) continue;
        this.add(target, cellOf(i), kinds[i]!);
        drawn[i] = kinds[i]!;
      }
    }
    for (let i = common; i < count; i++) this.add(target, cellOf(i), kinds[i]!);
    drawn.set(kinds.subarray(common, count), common);
  }

  /**
   * How many stamps `flush` would draw again (each erased square's neighbours that reach into
   * it): the work an erasure costs, which grows with the crowd around it.
   */
  erasureCost(): number {
    let cost = 0;
    this.plan((_kind, _rects, redraw) => (cost += redraw.length));
    return cost;
  }

  /**
   * Erases the stamps of cells left without a record of their kind: clears each one's square
   * and stamps again, clipped to it, the neighbours' stamps that overlap it.
   */
  flush(target: StampTarget): void {
    this.plan((kind, rects, redraw) => target.repaint(kind, rects, redraw));
    for (const cells of this.erased) cells.length = 0;
  }

  /** Per kind with erasures: the squares to clear and the stamps that reach into them. */
  private plan(each: (kind: number, rects: number[], redraw: number[]) => void): void {
    const g = this.geometry;
    if (!g) return;
    for (let kind = 0; kind < KINDS; kind++) {
      const cells = this.erased[kind]!;
      if (cells.length === 0) continue;
      const rects: number[] = [];
      const redraw = new Set<number>();
      // A stamp covers [corner − half, corner − half + side) and may touch one more pixel each
      // side when its corner is fractional: clear that, and redraw every stamp that reaches in.
      const reach = Math.ceil((g.side + 2) / g.cellPx);
      for (const cell of cells) {
        // Counted again since it was emptied: its stamp is still wanted.
        if (this.has(cell, kind)) continue;
        const cx = cell % g.gw;
        const cy = (cell - cx) / g.gw;
        const x = Math.floor(cx * g.cellPx - g.half) - 1;
        const y = Math.floor(cy * g.cellPx - g.half) - 1;
        rects.push(x, y, Math.ceil(g.side) + 2, Math.ceil(g.side) + 2);
        for (let ny = Math.max(0, cy - reach); ny <= Math.min(g.gh - 1, cy + reach); ny++) {
          for (let nx = Math.max(0, cx - reach); nx <= Math.min(g.gw - 1, cx + reach); nx++) {
            const n = ny * g.gw + nx;
            if (this.has(n, kind)) redraw.add(n);
          }
        }
      }
      if (rects.length > 0) each(kind, rects, [...redraw]);
    }
  }
}
