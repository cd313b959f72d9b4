// Record dots as SVG marks (up to SVG_RECORD_LIMIT records; the canvas draws more), kept from
// draw to draw: a growing run appends its new records' marks (a few hundred per task), a record
// whose kind changed has its mark restyled, and new scales move the marks.
// Invariant: the layer holds, in record order, one mark per shown record inside the plot's
// margin, as drawing them all from scratch would.

import type { RunModel } from '../run-model.ts';
import { cssVar } from '../theme.ts';
import type { ChartFrame } from './chart-frame.ts';
import { isHollow, KIND_TOKEN, recordPath } from './draw-chart.ts';
import type { RecordKind } from './marks.ts';

/**
 * What one layer holds.
 * - State: the scales it was drawn with, the model, and per record drawn so far its mark (null
 *   when outside the plot) and kind.
 * - Lifetime: emptied for another model or new scales that move a record across the plot's
 *   edge (other new scales move the marks); cut when the playhead goes back.
 */
interface Drawn {
  key: string;
  model: RunModel | undefined;
  marks: (SVGPathElement | null)[];
  kinds: number[];
  /** The latest call's arguments and the task that goes on creating marks past the first few hundred. */
  latest: { model: RunModel; frame: ChartFrame; kinds: Uint8Array; count: number; visible: boolean } | undefined;
  continuation: ReturnType<typeof setTimeout> | undefined;
}

/** Marks created per call: a run that shows up with 2,000 records gets them over a few tasks. */
const MARKS_PER_CALL = 500;

const drawn = new WeakMap<SVGGElement, Drawn>();
const paths = ([0, 1, 2, 3] as RecordKind[]).map((k) => recordPath(k));

function style(mark: SVGPathElement, kind: RecordKind): void {
  mark.setAttribute('class', `td-record${isHollow(kind) ? ' td-hollow' : ''}`);
  mark.setAttribute('d', paths[kind]!);
  mark.style.fill = isHollow(kind) ? '' : cssVar(KIND_TOKEN[kind]);
  mark.style.stroke = isHollow(kind) ? cssVar(KIND_TOKEN[kind]) : '';
}

/** Each kind's mark without a place, per document: a new mark is a clone of it (one attribute to set, not five). */
const templates = new WeakMap<Document, SVGPathElement[]>();

function templateOf(doc: Document, kind: RecordKind): SVGPathElement {
  let list = templates.get(doc);
  if (!list) {
    list = ([0, 1, 2, 3] as RecordKind[]).map((k) => {
      const mark = doc.createElementNS('http://www.w3.org/2000/svg', 'path');
      style(mark, k);
      return mark;
    });
    templates.set(doc, list);
  }
  return list[kind]!;
}

/**
 * Brings layer `g` to the first `count` records' marks (none when `visible` is false, the canvas
 * drawing them instead).
 * @example drawSvgRecords(layers.records.node()!, model, frame, kinds, 120, true);
 */
export function drawSvgRecords(g: SVGGElement, model: RunModel, frame: ChartFrame, kinds: Uint8Array, count: number, visible: boolean): void {
  let state = drawn.get(g);
  if (!state) drawn.set(g, (state = { key: '', model: undefined, marks: [], kinds: [], latest: undefined, continuation: undefined }));
  state.latest = { model, frame, kinds, count, visible };
  const n = visible ? count : 0;
  const key = `${frame.x.domain()}|${frame.x.range()}|${frame.y.domain()}|${frame.y.range()}|${frame.left}|${frame.right}|${frame.top}|${frame.bottom}`;
  const place = (i: number): [number, number] | undefined => {
    const x = frame.x(model.records.get(i, 'eventTime'));
    const y = frame.y(model.records.get(i, 't'));
    return x < frame.left - 8 || x > frame.right + 8 || y < frame.top - 8 || y > frame.bottom + 8 ? undefined : [x, y];
  };
  if (model !== state.model || (key !== state.key && !moveAll(state, place))) {
    g.replaceChildren();
    state.model = model;
    state.marks.length = 0;
    state.kinds.length = 0;
  }
  state.key = key;
  // The playhead went back: the later records' marks go (all of them in one call when the
  // canvas takes over: two thousand removals one by one took milliseconds at the switch).
  if (n === 0 && state.marks.length > 0) g.replaceChildren();
  else for (let i = n; i < state.marks.length; i++) state.marks[i]?.remove();
  if (n < state.marks.length) {
    state.marks.length = n;
    state.kinds.length = n;
  }
  for (let i = 0; i < state.marks.length; i++) {
    const mark = state.marks[i];
    if (state.kinds[i] === kinds[i]) continue;
    state.kinds[i] = kinds[i]!;
    if (mark) style(mark, kinds[i] as RecordKind);
  }
  const doc = g.ownerDocument;
  const upTo = Math.min(n, state.marks.length + MARKS_PER_CALL);
  for (let i = state.marks.length; i < upTo; i++) {
    const kind = kinds[i] as RecordKind;
    const at = place(i);
    state.kinds.push(kind);
    if (!at) {
      state.marks.push(null);
      continue;
    }
    const mark = templateOf(doc, kind).cloneNode() as SVGPathElement;
    mark.setAttribute('transform', `translate(${at[0]},${at[1]})`);
    g.append(mark);
    state.marks.push(mark);
  }
  if (upTo < n && state.continuation === undefined) {
    // The rest in tasks of their own, with the latest arguments (an update meanwhile goes on itself).
    const s = state;
    s.continuation = setTimeout(() => {
      s.continuation = undefined;
      const l = s.latest;
      if (l) drawSvgRecords(g, l.model, l.frame, l.kinds, l.count, l.visible);
    }, 0);
  }
}

/**
 * New scales for the same records: each mark moved to its new place, when every mark stays in
 * the plot and no record outside it comes in (else false: the caller draws them all again).
 */
function moveAll(state: Drawn, place: (i: number) => [number, number] | undefined): boolean {
  const places = state.marks.map((_, i) => place(i));
  if (state.marks.some((mark, i) => (mark === null) !== (places[i] === undefined))) return false;
  state.marks.forEach((mark, i) => mark?.setAttribute('transform', `translate(${places[i]![0]},${places[i]![1]})`));
  return true;
}
