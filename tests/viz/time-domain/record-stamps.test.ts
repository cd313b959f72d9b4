import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RestampOrder } from '../../../src/viz/time-domain/record-picture.ts';
import { cellFinder, changedKinds, RecordStamps, type StampGeometry, type StampTarget } from '../../../src/viz/time-domain/record-stamps.ts';
import { RunModel } from '../../../src/viz/run-model.ts';

/**
 * The kind layers as sets of stamps per pixel: a pixel lists every stamp drawn over it. Canvas
 * compositing of one colour is order-free, so two layers look the same when every pixel lists
 * the same stamps the same number of times.
 */
class PixelLayers implements StampTarget {
  readonly layers: Map<number, number[]>[] = [new Map(), new Map(), new Map(), new Map()];
  constructor(private readonly g: StampGeometry) {}

  /** The pixels a cell's stamp touches (a fractional corner touches one more). */
  private pixels(cell: number): number[] {
    const { g } = this;
    const cx = cell % g.gw;
    const x0 = cx * g.cellPx - g.half;
    const y0 = ((cell - cx) / g.gw) * g.cellPx - g.half;
    const out: number[] = [];
    for (let y = Math.floor(y0); y < Math.ceil(y0 + g.side); y++) {
      for (let x = Math.floor(x0); x < Math.ceil(x0 + g.side); x++) if (x >= 0 && y >= 0 && x < g.w && y < g.h) out.push(y * g.w + x);
    }
    return out;
  }

  stamp(kind: number, cell: number): void {
    for (const p of this.pixels(cell)) this.put(kind, p, cell);
  }

  repaint(kind: number, rects: readonly number[], cells: readonly number[]): void {
    const inside = new Set<number>();
    for (let r = 0; r < rects.length; r += 4) {
      for (let y = rects[r + 1]!; y < rects[r + 1]! + rects[r + 3]!; y++) {
        for (let x = rects[r]!; x < rects[r]! + rects[r + 2]!; x++) if (x >= 0 && y >= 0 && x < this.g.w && y < this.g.h) inside.add(y * this.g.w + x);
      }
    }
    for (const p of inside) this.layers[kind]!.delete(p);
    for (const cell of cells) for (const p of this.pixels(cell)) if (inside.has(p)) this.put(kind, p, cell);
  }

  private put(kind: number, p: number, cell: number): void {
    const list = this.layers[kind]!.get(p);
    if (list) list.push(cell);
    else this.layers[kind]!.set(p, [cell]);
  }

  /** Every layer's pixels, each with its stamps sorted, for comparison. */
  picture(): string[][] {
    return this.layers.map((layer) => [...layer.entries()].sort((a, b) => a[0] - b[0]).map(([p, cells]) => `${p}:${[...cells].sort((a, b) => a - b).join(',')}`));
  }
}

/** 200 records scattered over event time, arriving in timeline order, in pairs at the same spot. */
const model = new RunModel();
for (let i = 0; i < 200; i++) model.records.push([((i >> 1) * 7919) % 997, (i >> 1) * 3, (i >> 1) * 3, 0, 0, 0, 0, 0]);
const n = model.records.length;

/** A geometry over the model's whole extent, with a fractional stamp corner at ratio 1.25. */
function geometry(cellPx: number): StampGeometry {
  let [xLo, xHi, tLo, tHi] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    xLo = Math.min(xLo, model.records.get(i, 'eventTime'));
    xHi = Math.max(xHi, model.records.get(i, 'eventTime'));
    tLo = Math.min(tLo, model.records.get(i, 't'));
    tHi = Math.max(tHi, model.records.get(i, 't'));
  }
  const ratio = 1.25;
  // A small plot, so that stamps crowd and overlap.
  const [w, h] = [Math.round(60 * ratio), Math.round(40 * ratio)];
  return {
    w,
    h,
    cellPx,
    gw: Math.ceil(w / cellPx),
    gh: Math.ceil(h / cellPx),
    half: 6 * ratio,
    side: Math.ceil(12 * ratio),
    x: { d0: xLo, d1: xHi, r0: 8, r1: 52 },
    y: { d0: tLo, d1: tHi, r0: 6, r1: 34 },
    ratio,
    clip: { left: 4, top: 2, right: 56, bottom: 38 },
  };
}

/** Stamps the first `count` records from scratch, one stamp per cell and kind. */
function wholeRestamp(g: StampGeometry, kinds: Uint8Array, count: number): string[][] {
  const layers = new PixelLayers(g);
  const cellOf = cellFinder(g, model);
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const cell = cellOf(i);
    if (cell < 0 || seen.has(`${kinds[i]}|${cell}`)) continue;
    seen.add(`${kinds[i]}|${cell}`);
    layers.stamp(kinds[i]!, cell);
  }
  return layers.picture();
}

const kindsArb = fc.uint8Array({ min: 0, max: 3, minLength: n, maxLength: n });
/** A step: the playhead at `count` records, and some records' kinds changed. */
const stepArb = fc.record({ count: fc.nat({ max: n }), flips: fc.array(fc.record({ i: fc.nat({ max: n - 1 }), kind: fc.nat({ max: 3 }) }), { maxLength: 12 }) });

describe('RecordStamps', () => {
  it('has records to stamp, crowding the cells', () => {
    expect(n).toBeGreaterThan(20);
    const cellOf = cellFinder(geometry(2), model);
    const cells = new Set(Array.from({ length: n }, (_, i) => cellOf(i)));
    expect(cells.has(-1)).toBe(false);
    expect(cells.size).toBeLessThan(n);
  });

  for (const cellPx of [1, 2]) {
    for (const told of [false, true]) {
      it(`after any playhead moves and kind changes, holds the same pixels as a whole restamp (cells of ${cellPx} px, ${told ? 'changed records listed from the flips, repeats included' : 'every kind compared'})`, () => {
        fc.assert(
          fc.property(kindsArb, fc.nat({ max: n }), fc.array(stepArb, { minLength: 1, maxLength: 6 }), (first, start, steps) => {
            const g = geometry(cellPx);
            const layers = new PixelLayers(g);
            const stamps = new RecordStamps();
            stamps.reset(g, true);
            const cellOf = cellFinder(g, model);
            const drawn = new Uint8Array(n);
            const kinds = first.slice();
            stamps.sync(layers, cellOf, drawn, 0, kinds, start);
            let covered = start;
            expect(layers.picture()).toEqual(wholeRestamp(g, kinds, covered));
            for (const step of steps) {
              for (const f of step.flips) kinds[f.i] = f.kind;
              const common = Math.min(covered, step.count);
              // A journal lists each flipped record, however often and whether or not its kind ends up different.
              const changed = told ? changedKinds(drawn, kinds, common, Int32Array.from([...step.flips, ...step.flips].map((f) => f.i)), n).slice() : undefined;
              if (changed) expect([...changed]).toEqual(Array.from({ length: common }, (_, i) => i).filter((i) => drawn[i] !== kinds[i]));
              stamps.takeOut(cellOf, drawn, covered, kinds, step.count, changed);
              stamps.putIn(layers, cellOf, drawn, covered, kinds, step.count, changed);
              covered = step.count;
              expect([...drawn.subarray(0, covered)]).toEqual([...kinds.subarray(0, covered)]);
              expect(layers.picture()).toEqual(wholeRestamp(g, kinds, covered));
            }
          }),
          { numRuns: 25 },
        );
      });
    }
  }

  it('after any stamps, a reset (or a prepare ahead of it) clears every count, so that stamping again holds the same pixels as a whole restamp', () => {
    fc.assert(
      fc.property(kindsArb, fc.array(fc.record({ count: fc.nat({ max: n }), cellPx: fc.constantFrom(1, 2), prepared: fc.boolean() }), { minLength: 1, maxLength: 5 }), (kinds, rounds) => {
        const stamps = new RecordStamps();
        for (const round of rounds) {
          const g = geometry(round.cellPx);
          if (round.prepared) stamps.prepare(g.gw * g.gh, true);
          stamps.reset(g, true);
          for (let cell = 0; cell < g.gw * g.gh; cell++) for (let kind = 0; kind < 4; kind++) expect(stamps.has(cell, kind)).toBe(false);
          const layers = new PixelLayers(g);
          stamps.sync(layers, cellFinder(g, model), new Uint8Array(n), 0, kinds, round.count);
          expect(layers.picture()).toEqual(wholeRestamp(g, kinds, round.count));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('lists the records whose kinds differ, sorted and once each, from candidates or by comparing all up to a limit', () => {
    const drawn = Uint8Array.from([0, 1, 2, 3, 0, 1, 2, 3]);
    const kinds = Uint8Array.from([0, 2, 2, 0, 0, 3, 1, 3]);
    expect([...changedKinds(drawn, kinds, 8, undefined, 10)]).toEqual([1, 3, 5, 6]);
    expect([...changedKinds(drawn, kinds, 8, undefined, 1)]).toEqual([1, 3]);
    expect([...changedKinds(drawn, kinds, 6, undefined, 10)]).toEqual([1, 3, 5]);
    expect([...changedKinds(drawn, kinds, 6, Int32Array.from([6, 5, 2, 5, 1, 0, 5]), 10)]).toEqual([1, 5]);
    expect([...changedKinds(drawn, kinds, 8, new Int32Array(0), 10)]).toEqual([]);
  });

  it('a restamp in slices of any size, in the thin-sample-first order, ends as a whole restamp', () => {
    fc.assert(
      fc.property(kindsArb, fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 64 }), (kinds, firstPass, slice) => {
        const g = geometry(2);
        const layers = new PixelLayers(g);
        const stamps = new RecordStamps();
        stamps.reset(g, false);
        const cellOf = cellFinder(g, model);
        const order = new RestampOrder(n, firstPass);
        const batch = new Int32Array(slice);
        const visited: number[] = [];
        while (!order.done) {
          const k = order.take(slice, batch);
          for (let j = 0; j < k; j++) {
            visited.push(batch[j]!);
            stamps.add(layers, cellOf(batch[j]!), kinds[batch[j]!]!);
          }
        }
        expect(visited.sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(layers.picture()).toEqual(wholeRestamp(g, kinds, n));
      }),
      { numRuns: 20 },
    );
  });

  it('erases a cell left empty together with the overlapping part of its neighbours, then stamps the neighbours again clipped', () => {
    const g = { ...geometry(1), w: 20, h: 20, gw: 20, gh: 20, half: 2, side: 4 };
    const calls: string[] = [];
    const target: StampTarget = {
      stamp: (kind, cell) => calls.push(`stamp ${kind} ${cell}`),
      repaint: (kind, rects, cells) => calls.push(`repaint ${kind} [${rects.join(',')}] [${[...cells].sort((a, b) => a - b).join(',')}]`),
    };
    const stamps = new RecordStamps();
    stamps.reset(g, true);
    // Cell (5, 5) twice, its neighbour (7, 5) once, a far cell (15, 15) once.
    stamps.add(target, 105, 0);
    stamps.add(target, 105, 0);
    stamps.add(target, 107, 0);
    stamps.add(target, 315, 0);
    stamps.remove(105, 0);
    stamps.flush(target);
    stamps.remove(105, 0);
    stamps.flush(target);
    expect(calls).toEqual(['stamp 0 105', 'stamp 0 107', 'stamp 0 315', 'repaint 0 [2,2,6,6] [107]']);
  });
});
