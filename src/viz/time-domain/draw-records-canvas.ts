// Draws record dots on a canvas under the SVG when there are too many for SVG marks (SVG slows
// down past a few thousand). Same shapes and theme colours as the SVG marks; colours are read
// from the CSS variables whenever the colour scheme changed, so a light/dark switch redraws correctly.
// Invariant: the canvas shows a complete picture (or the last one, moved onto the new scales)
// and no task stamps more than a few milliseconds' worth of records.

import type { RunModel } from '../run-model.ts';
import type { ChartFrame } from './chart-frame.ts';
import type { RecordKind } from './marks.ts';
import { pictureTransform, RestampOrder } from './record-picture.ts';
import { kindColours, spriteFor, type Sprite } from './record-sprites.ts';
import { blank, canvasTarget, EMPTY_BOX, emptyBoxes } from './canvas-stamp-target.ts';
import { CROWD, dotSize, geometryKey, stampGeometry } from './stamp-geometry.ts';
import type { KindJournal } from './kind-journal.ts';
import { warmUpLater } from './record-canvas-warm-up.ts';
import { cellFinder, changedKinds, RecordStamps, type StampGeometry, type StampTarget } from './record-stamps.ts';

/** SVG marks up to this many records; above it the canvas draws them. */
export const SVG_RECORD_LIMIT = 2000;

/**
 * What one canvas has drawn, kept between draws. Each kind is stamped on a layer of its own and
 * the layers are composited in kind order, so a new on-time dot still lies under an older late
 * one, as in a full redraw. Small changes (new records, a few records' kinds, the playhead a
 * little back) are stamped or erased at once; large ones (new scales or size, a long jump of
 * the playhead) are stamped in slices of a few milliseconds over tasks while the canvas keeps
 * showing the last complete picture, moved onto the new scales.
 * - State: the layers and their stamps' counts, the records they hold (or will hold once the
 *   job is done) with their kinds, the job, and the picture shown meanwhile.
 * - Lifetime: the layers start over whenever what decides a stamp's place or look changed
 *   (scales, size, crowd, colours, model).
 */
interface RecordLayers {
  key: string;
  model: RunModel | undefined;
  geometry: StampGeometry | undefined;
  readonly layers: HTMLCanvasElement[];
  readonly stamps: RecordStamps;
  /** The first `covered` records are on the layers (or will be once `job` is done), with these kinds. */
  covered: number;
  coveredKinds: Uint8Array;
  /** The kinds' journal of the latest call, and where in it `coveredKinds` were last brought up to date. */
  journal: KindJournal | undefined;
  readEpoch: number;
  readPosition: number;
  /** Records `from + k` for the order's k still to stamp; the layers are not shown meanwhile. */
  job: { readonly order: RestampOrder; readonly from: number } | undefined;
  /** What the visible canvas shows when complete: the layers' geometry and records. */
  picture: { readonly geometry: StampGeometry; readonly count: number } | undefined;
  /** The last complete picture, copied aside and shown (moved) while a job runs. */
  snapshot: { readonly geometry: StampGeometry; readonly count: number } | undefined;
  readonly snapshotCanvas: HTMLCanvasElement;
  /** The latest call's arguments, for the task that goes on with a job. */
  latest: { model: RunModel; frame: ChartFrame; kinds: Uint8Array; count: number; journal: KindJournal | undefined } | undefined;
  continuation: ReturnType<typeof setTimeout> | undefined;
  /**
   * Per kind, the box (device pixels x0, y0, x1, y1) holding every stamp on its layer since it
   * was blanked: the layer is transparent outside it, so compositing skips the rest (a layer of
   * late or dropped records is mostly empty, and a software canvas blends every pixel it is given).
   */
  readonly inked: Float64Array;
  /** A job ended this call with no time left: what came meanwhile is caught up in the next task. */
  behind: boolean;
}

const canvasLayers = new WeakMap<HTMLCanvasElement, RecordLayers>();

function layersOf(canvas: HTMLCanvasElement): RecordLayers {
  let state = canvasLayers.get(canvas);
  if (!state) {
    const make = () => canvas.ownerDocument.createElement('canvas');
    state = {
      key: '',
      model: undefined,
      geometry: undefined,
      layers: [make(), make(), make(), make()],
      stamps: new RecordStamps(),
      covered: 0,
      coveredKinds: new Uint8Array(0),
      journal: undefined,
      readEpoch: -1,
      readPosition: 0,
      job: undefined,
      picture: undefined,
      snapshot: undefined,
      snapshotCanvas: make(),
      latest: undefined,
      continuation: undefined,
      behind: false,
      inked: emptyBoxes(),
    };
    canvasLayers.set(canvas, state);
  }
  return state;
}

/** Milliseconds of canvas work per call (or task) while a job is in progress, the job's slice included. */
const SLICE_MS = 6;
/**
 * Records taken back or changing kind that are erased at once; past it the layers are restamped
 * in slices. An erasure clears a stamp's square and stamps its neighbours again (tens of stamps).
 */
const DIRECT_CHANGES = 256;
/**
 * Stamps drawn again at once by erasures (an erasure clears its square and stamps the
 * neighbours reaching into it again, clipped: a few in a sparse area, hundreds in a crowd);
 * past it, a restamp in slices.
 */
const DIRECT_REDRAWS = 1024;
/** New records stamped at once (a live frame brings a few hundred); past it they are stamped in slices. */
const DIRECT_ADDS = 2048;
/**
 * Records stamped between looks at the clock: a stamp costs up to ~20 µs on a software canvas
 * (and more while the code is cold), so a batch stays well under a millisecond.
 */
const batch = new Int32Array(64);

/** The covered kinds are up to date with the journal as it stands. */
function markRead(state: RecordLayers): void {
  state.readEpoch = state.journal?.epoch ?? -1;
  state.readPosition = state.journal?.position ?? 0;
}

/** Keeps the first `n` entries of `kinds` as what the layers hold. */
function cover(state: RecordLayers, kinds: Uint8Array, from: number, n: number): void {
  if (state.coveredKinds.length < n) {
    const bigger = new Uint8Array(Math.max(n, state.coveredKinds.length * 2));
    bigger.set(state.coveredKinds.subarray(0, from));
    state.coveredKinds = bigger;
  }
  state.coveredKinds.set(kinds.subarray(from, n), from);
  state.covered = n;
  markRead(state);
}

/**
 * Starts stamping records `from` to `count` in slices: after blank layers for new geometry
 * (`geometry` given), else onto the layers as they are. The picture shown is set aside first,
 * unless a job (and so its snapshot) is already running.
 */
function startJob(state: RecordLayers, canvas: HTMLCanvasElement, kinds: Uint8Array, from: number, count: number, geometry?: StampGeometry): void {
  if (!state.job && state.picture) {
    blank(state.snapshotCanvas, canvas.width, canvas.height);
    state.snapshotCanvas.getContext('2d')!.drawImage(canvas, 0, 0);
    state.snapshot = state.picture;
  }
  if (geometry) {
    state.geometry = geometry;
    state.stamps.reset(geometry, count <= CROWD);
    // A layer without ink at the right size is blank already (clearing it is a full pass over its pixels).
    state.layers.forEach((layer, kind) => {
      const unsized = layer.width !== geometry.w || layer.height !== geometry.h;
      if (unsized || state.inked[kind * 4]! <= state.inked[kind * 4 + 2]!) blank(layer, geometry.w, geometry.h);
    });
    emptyBoxes(state.inked);
  }
  cover(state, kinds, from, count);
  state.job = { order: new RestampOrder(count - from), from };
}

/**
 * Brings the layers (same geometry, no job running) to the first `count` records with `kinds`:
 * records taken back and records whose kind changed are erased or restamped at once when few,
 * new records stamped at once when few; else a job. Which kinds changed comes from the kinds'
 * journal when it can tell (else every covered record is compared), so that a live frame costs
 * what it brought, not the whole run. Returns whether the layers changed now.
 */
function catchUp(state: RecordLayers, canvas: HTMLCanvasElement, model: RunModel, kinds: Uint8Array, count: number, target: StampTarget): boolean {
  const common = Math.min(count, state.covered);
  const changed = changedKinds(state.coveredKinds, kinds, common, state.journal?.since(state.readEpoch, state.readPosition), DIRECT_CHANGES);
  const changes = state.covered - common + changed.length;
  if (changes > DIRECT_CHANGES) {
    startJob(state, canvas, kinds, 0, count, state.geometry);
    return false;
  }
  // A long jump forward: the new records in slices, after the rest is brought up to date.
  const upTo = count - common > DIRECT_ADDS ? common : count;
  if (changes === 0 && upTo === state.covered) {
    markRead(state);
    if (upTo < count) startJob(state, canvas, kinds, upTo, count);
    return false;
  }
  if (state.coveredKinds.length < upTo) {
    const bigger = new Uint8Array(Math.max(upTo, state.coveredKinds.length * 2));
    bigger.set(state.coveredKinds.subarray(0, state.covered));
    state.coveredKinds = bigger;
  }
  const cellOf = cellFinder(state.geometry!, model);
  if (state.stamps.takeOut(cellOf, state.coveredKinds, state.covered, kinds, upTo, changed) > DIRECT_REDRAWS) {
    startJob(state, canvas, kinds, 0, count, state.geometry);
    return false;
  }
  state.stamps.putIn(target, cellOf, state.coveredKinds, state.covered, kinds, upTo, changed);
  state.covered = upTo;
  markRead(state);
  if (upTo < count) startJob(state, canvas, kinds, upTo, count);
  return true;
}

/** Stamps the job's records until `deadline` (at least one batch); returns whether it is done. */
function runJob(state: RecordLayers, model: RunModel, target: StampTarget, deadline: number): boolean {
  const job = state.job!;
  const cellOf = cellFinder(state.geometry!, model);
  const kinds = state.coveredKinds;
  do {
    const n = job.order.take(batch.length, batch);
    for (let k = 0; k < n; k++) {
      const i = job.from + batch[k]!;
      state.stamps.add(target, cellOf(i), kinds[i]!);
    }
  } while (!job.order.done && performance.now() < deadline);
  return job.order.done;
}

/**
 * The layers composited in kind order, clipped to the plot: all of it, or only `box` (device
 * pixels x0, y0, x1, y1: where the layers changed; a live frame's new records are a thin band).
 */
function composite(ctx: CanvasRenderingContext2D, state: RecordLayers, frame: ChartFrame, ratio: number, box?: readonly number[]): void {
  const { width, height } = ctx.canvas;
  const x0 = Math.max(0, Math.floor(box?.[0] ?? 0) - 1);
  const y0 = Math.max(0, Math.floor(box?.[1] ?? 0) - 1);
  const x1 = Math.min(width, Math.ceil(box?.[2] ?? width) + 1);
  const y1 = Math.min(height, Math.ceil(box?.[3] ?? height) + 1);
  if (x1 <= x0 || y1 <= y0) return;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(x0, y0, x1 - x0, y1 - y0);
  ctx.save();
  ctx.beginPath();
  ctx.rect(frame.left * ratio, frame.top * ratio, (frame.right - frame.left) * ratio, (frame.bottom - frame.top) * ratio);
  ctx.clip();
  for (let kind = 0; kind < state.layers.length; kind++) {
    // Only where the layer has ink (a stamp's antialiased edge reaches a pixel further).
    const at = kind * 4;
    const lx0 = Math.max(x0, Math.floor(state.inked[at]!) - 1);
    const ly0 = Math.max(y0, Math.floor(state.inked[at + 1]!) - 1);
    const lx1 = Math.min(x1, Math.ceil(state.inked[at + 2]!) + 1);
    const ly1 = Math.min(y1, Math.ceil(state.inked[at + 3]!) + 1);
    if (lx1 > lx0 && ly1 > ly0) ctx.drawImage(state.layers[kind]!, lx0, ly0, lx1 - lx0, ly1 - ly0, lx0, ly0, lx1 - lx0, ly1 - ly0);
  }
  ctx.restore();
}

/**
 * While a job runs: the last complete picture moved onto the current scales, clipped to the
 * plot and, when the playhead went back, to the last shown record's row (no future shows);
 * with no picture yet, the job's layers once their thin sample of the whole run is stamped.
 */
function showMeanwhile(ctx: CanvasRenderingContext2D, state: RecordLayers, model: RunModel, frame: ChartFrame, count: number): void {
  const g = state.geometry!;
  const snap = state.snapshot;
  if (!snap) {
    if (state.job!.order.firstPassDone) composite(ctx, state, frame, g.ratio);
    else {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    }
    return;
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  const move = pictureTransform(snap.geometry, g);
  if (!move || count === 0) return;
  let bottom = frame.bottom * g.ratio;
  if (count < snap.count) {
    const ay = g.y.d1 === g.y.d0 ? 0 : (g.y.r1 - g.y.r0) / (g.y.d1 - g.y.d0);
    const t = model.records.get(count - 1, 't');
    bottom = Math.min(bottom, (ay === 0 ? (g.y.r0 + g.y.r1) / 2 : g.y.r0 + (t - g.y.d0) * ay) * g.ratio + g.half);
  }
  ctx.save();
  ctx.beginPath();
  ctx.rect(frame.left * g.ratio, frame.top * g.ratio, (frame.right - frame.left) * g.ratio, Math.max(0, bottom - frame.top * g.ratio));
  ctx.clip();
  ctx.setTransform(move.sx, 0, 0, move.sy, move.tx, move.ty);
  ctx.drawImage(state.snapshotCanvas, 0, 0);
  ctx.restore();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
}

/** Goes on with a job, or the catch-up after one, in a task of its own with the latest arguments (an update meanwhile goes on itself). */
function goOnLater(state: RecordLayers, canvas: HTMLCanvasElement): void {
  if (state.continuation !== undefined) return;
  state.continuation = setTimeout(() => {
    state.continuation = undefined;
    const l = state.latest;
    if (l && (state.job || state.behind)) drawRecordsOnCanvas(canvas, l.model, l.frame, l.kinds, l.count, true, SLICE_MS, l.journal);
  }, 0);
}

/**
 * Draws the first `count` records. Many dots land on the same device pixel in a long run (a
 * million records on a few hundred thousand pixels); each pixel (2×2 pixels in a crowd) gets one
 * stamp per kind, which looks the same and keeps the work bounded by the chart's area. What
 * changed since the last draw is stamped or erased on the kind layers kept from it; a restamp
 * of every record (new scales or size) or a long jump runs in slices of a few milliseconds
 * over tasks while the last complete picture stays on screen, then the new one replaces it.
 * `sliceMs` bounds this call's share of such a job (the caller's own work left less room).
 * `journal`, the journal of whatever keeps `kinds` up to date (`RecordKindsBuilder.journal`),
 * tells which records' kinds changed since the last call; without it every kind is compared.
 */
export function drawRecordsOnCanvas(canvas: HTMLCanvasElement, model: RunModel, frame: ChartFrame, kinds: Uint8Array, count: number, visible: boolean, sliceMs = SLICE_MS, journal?: KindJournal): void {
  const started = performance.now();
  const ratio = window.devicePixelRatio || 1;
  const w = Math.round(frame.width * ratio);
  const h = Math.round(frame.height * ratio);
  const state = layersOf(canvas);
  if (!visible) {
    // Cleared only when it showed something (clearing a blank canvas at every frame is a pass over its pixels).
    if (state.key !== '' || canvas.width !== w || canvas.height !== h) blank(canvas, w, h);
    canvas.style.width = `${frame.width}px`;
    canvas.style.height = `${frame.height}px`;
    state.key = '';
    state.job = undefined;
    state.picture = undefined;
    state.snapshot = undefined;
    state.latest = undefined;
    state.readEpoch = -1;
    // A fast run's first frames bring thousands of records (the first may already need the
    // canvas): the layers, counts and sprites readied in an idle task before any, at mount
    // (getting their contexts and allocating took ~10 ms of the canvas's first frame).
    warmUpLater(canvas, state.layers, state.stamps, w, h, ratio, () => state.key === '');
    return;
  }
  state.latest = { model, frame, kinds, count, journal };
  if (journal !== state.journal) {
    state.journal = journal;
    state.readEpoch = -1;
  }
  const size = dotSize(count);
  const byKind = kindColours(canvas);
  const sprites = ([0, 1, 2, 3] as RecordKind[]).map((kind) => spriteFor(canvas.ownerDocument, kind, size, byKind[kind]!, ratio));
  const geometry = stampGeometry(frame, ratio, count, sprites[0]!.half, sprites[0]!.image.width);
  const key = `${geometryKey(geometry)}|${byKind.join()}`;
  let changed = false;
  // Plan before resizing the canvas: a job sets the picture on it aside first.
  if (key !== state.key || model !== state.model) {
    state.key = key;
    state.model = model;
    startJob(state, canvas, kinds, 0, count, geometry);
  } else if (state.job && count < state.covered) startJob(state, canvas, kinds, 0, count, geometry);
  const resized = canvas.width !== w || canvas.height !== h;
  if (resized) {
    canvas.width = w;
    canvas.height = h;
    canvas.style.width = `${frame.width}px`;
    canvas.style.height = `${frame.height}px`;
    changed = true;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const target = canvasTarget(state.layers, sprites, state.geometry!, state.inked);
  if (!state.job) changed = catchUp(state, canvas, model, kinds, count, target) || changed;
  state.behind = false;
  if (state.job && runJob(state, model, target, started + sliceMs)) {
    // The new picture replaces the last one; then what came meanwhile (a lot starts another job),
    // in this call when its time allows, else in a task of its own.
    state.job = undefined;
    state.snapshot = undefined;
    composite(ctx, state, frame, ratio);
    state.picture = { geometry: state.geometry!, count: state.covered };
    target.dirty.splice(0, 4, ...EMPTY_BOX);
    if (performance.now() < started + sliceMs) changed = catchUp(state, canvas, model, kinds, count, target);
    else {
      state.behind = true;
      goOnLater(state, canvas);
      return;
    }
  }
  if (state.job) {
    showMeanwhile(ctx, state, model, frame, count);
    goOnLater(state, canvas);
    return;
  }
  if (!changed && state.picture) return;
  // The picture on screen is the layers' but where they changed since.
  composite(ctx, state, frame, ratio, resized || !state.picture ? undefined : target.dirty);
  state.picture = { geometry: state.geometry!, count: state.covered };
}
