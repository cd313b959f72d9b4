// The state inspector panel: total state size over the run (with the playhead), keyed state
// per operator, subtask and key, windows holding state, and pending timers with how far each is
// from firing. `setStateSnapshot` adds the values themselves when the worker can read them.
// Invariant: shows the state as it was at the playhead (restores included).

import type { PanelFactory, PanelOptions, PanelView } from '../panel.ts';
import type { RunModel } from '../run-model.ts';
import { observeSize } from '../element-size.ts';
import { cssVar } from '../theme.ts';
import { createPanelFrame, escapeHtml } from '../dataflow/panel-frame.ts';
import { drawLineChart } from '../metrics/line-chart.ts';
import { attemptAt, watermarkAt } from '../metrics/sample-at.ts';
import { formatClock, formatCount, formatDuration } from '../metrics/time-format.ts';
import { paneWindowId, splitDeletedTimers, stateSizeSeries, subtaskWatermarks, type PendingTimer } from './state-model.ts';
import { StateAtPlayhead, type CatchUpPieces } from './state-at-playhead.ts';
import { previewValue, snapshotValues, type StateSnapshot } from './state-snapshot.ts';
import { LiveThrottle } from '../live-throttle.ts';
import { setHtmlIfChanged } from '../html-if-changed.ts';
import { SlicedDraw } from '../sliced-draw.ts';
import { setChipsInPlace, setRowsInPlace, setSectionsInPlace, type Chip, type ChipSection, type Piece, type Row } from './list-in-place.ts';
import { keyText } from './state-order.ts';

/** Milliseconds between draws while a run is live: a state chart need not follow every frame. */
const LIVE_DRAW_MS = 200;

export interface StateView extends PanelView {
  /** Shows state values read from the job (the worker's inspectState()); undefined clears them. */
  setStateSnapshot(snapshot: StateSnapshot | undefined): void;
}

const STYLE = `
.bk-state-chart { padding: 4px 8px 0; }
.bk-state-chart .bk-legend { display: flex; gap: 14px; color: ${cssVar('muted')}; font-size: 12px; }
.bk-state-chart .bk-swatch { display: inline-block; width: 18px; height: 0; border-top: 2px solid; vertical-align: middle; margin-right: 4px; }
.bk-state-body { padding: 0 8px 8px; }
.bk-state-body h3 { font-size: 13px; margin: 10px 0 4px; }
.bk-chips { display: flex; flex-wrap: wrap; gap: 4px; margin: 2px 0 6px; }
.bk-chip { border: 1px solid ${cssVar('axis')}; border-radius: 10px; padding: 0 8px; font-size: 12px; font-family: var(--brook-mono, ui-monospace, monospace); }
.bk-chip small { color: ${cssVar('muted')}; }
.bk-subtle { color: ${cssVar('muted')}; font-size: 12px; }
.bk-bar { display: inline-block; height: 6px; background: ${cssVar('accent')}; border-radius: 3px; vertical-align: middle; }
`;

/** Chips drawn per list; past it the list says how many more the table view holds. */
const CHIP_CAP = 200;

/** Timer rows drawn; past it the list says how many more the table view holds. */
const TIMER_ROWS = 40;

/** How the view draws in slices (tests shrink them to look at every step). */
export interface StateViewSlices {
  /** Milliseconds of drawing per task while drawing in slices (the frame budget is 10 ms for all panels). */
  readonly sliceMs: number;
  /**
   * Milliseconds of catching up with the run's changes per call of the lists' part while drawing
   * in slices (SlicedDraw calls it again while its own slice lasts, else in the next task); the
   * rest of a slice is left for writing the lists once caught up.
   */
  readonly catchUpMs: number;
  /** Changes left to apply above which even a finished run's lists are drawn in slices (a seek, the run's end). */
  readonly sliceAbove: number;
  /** The follower's pieces (its defaults when not given). */
  readonly pieces?: CatchUpPieces;
}

const SLICES: StateViewSlices = { sliceMs: 8, catchUpMs: 4, sliceAbove: 1_000 };

const keyLabel = (k: unknown) => (k === undefined ? '(no key)' : String(k));

/**
 * The longest way any of `timers` has to go before firing (at least 1), for the bars' scale: one
 * pass with one watermark lookup per subtask and the processing clock read once.
 */
function longestGap(model: RunModel, timers: readonly PendingTimer[], playheadT: number): number {
  const watermarkOf = subtaskWatermarks(model, playheadT);
  const pt = playheadT - (attemptAt(model.attempts, playheadT)?.offset ?? 0);
  let longest = 1;
  for (const t of timers) {
    if (t.domain === 'eventTime') {
      const w = watermarkOf(t.operator, t.subtask);
      if (w !== undefined && Number.isFinite(w) && t.time - w > longest) longest = t.time - w;
    } else if (t.time - pt > longest) longest = t.time - pt;
  }
  return longest;
}

/** How far a timer is from firing: the gap to the subtask's watermark or to the processing clock. */
function timerDistance(model: RunModel, timer: PendingTimer, playheadT: number): { text: string; gap: number | undefined } {
  if (timer.domain === 'eventTime') {
    const w = watermarkAt(model.watermarks.get(`${timer.operator}#${timer.subtask}`), playheadT);
    if (w === undefined || !Number.isFinite(w)) return { text: `fires when the watermark passes ${formatClock(timer.time)}`, gap: undefined };
    return { text: `watermark at ${formatClock(w)}: ${formatDuration(Math.max(0, timer.time - w))} of event time to go`, gap: timer.time - w };
  }
  const a = attemptAt(model.attempts, playheadT);
  const pt = playheadT - (a?.offset ?? 0);
  return { text: `clock at ${formatClock(pt)}: fires in ${formatDuration(Math.max(0, timer.time - pt))}`, gap: timer.time - pt };
}

/** Creates the state inspector in `el` (`slices`: see StateViewSlices; tests only). */
export function createStateView(el: HTMLElement, options: PanelOptions = {}, slices: StateViewSlices = SLICES): StateView {
  let model: RunModel | undefined;
  let playheadT = 0;
  let snapshot: StateSnapshot | undefined;
  const frame = createPanelFrame(el, 'State', options.table ?? false, () => draw());
  if (!el.ownerDocument.getElementById('brook-state-view')) {
    const style = el.ownerDocument.createElement('style');
    style.id = 'brook-state-view';
    style.textContent = STYLE;
    el.ownerDocument.head.append(style);
  }
  frame.tools.innerHTML = '<span>State and timers as they were at the playhead; after a restore, what the checkpoint brought back.</span>';
  frame.drawing.innerHTML = `<div class="bk-state-chart"><div class="bk-legend"><span><span class="bk-swatch" style="border-color:${cssVar('accent')}"></span>state entries (all subtasks)</span><span><span class="bk-swatch" style="border-color:${cssVar('checkpoint')};border-top-style:dashed"></span>timers</span></div><svg></svg></div><div class="bk-state-body"></div>`;
  const chart = frame.drawing.querySelector('svg')!;
  chart.setAttribute('aria-hidden', 'true');
  const body = frame.drawing.querySelector<HTMLElement>('.bk-state-body')!;
  // The lists' frame is written once; each draw updates its parts in place, and in the lists
  // each chip and row keeps its element, only its changed texts written (list-in-place.ts).
  body.innerHTML = `<div class="bk-snap"></div>
      <h3>Keyed state</h3><div class="bk-state-tables"></div>
      <h3>Windows holding state <span class="bk-subtle">(a timer pending)</span></h3><div class="bk-chips bk-windows"></div>
      <h3 class="bk-timers-head"></h3>
      <div class="bk-table" style="padding:0"><table><tbody class="bk-timer-rows"></tbody></table></div>
      <div class="bk-timers-more"></div>
      <p class="bk-subtle bk-timers-note"></p>`;
  const part = (s: string) => body.querySelector<HTMLElement>(s)!;
  const parts = { snap: part('.bk-snap'), tables: part('.bk-state-tables'), windows: part('.bk-windows'), timersHead: part('.bk-timers-head'), timers: part('.bk-timer-rows'), more: part('.bk-timers-more'), note: part('.bk-timers-note') };
  const resize = observeSize(frame.drawing, () => draw());

  /** What each part (chart, lists) last showed; an update that changes none of it draws nothing. */
  /** The key the table view was last written for ('' when the drawing shows). */
  let tableKey = '';
  const sliced = new SlicedDraw(2, (i) => (i === 0 ? drawChart() : drawBody()), slices.sliceMs);
  /** Whether the current draw goes in slices (then the lists catch up with the run in pieces). */
  let slicing = false;
  /** Pending timers and latest panes, extended while the playhead moves forward. */
  const tracked = new StateAtPlayhead(slices.pieces);

  /** What the panel shows at the playhead (shared by the table, the chart and the lists). */
  function stateAt(m: RunModel) {
    const tables = tracked.stateTables(m, playheadT);
    const { live: timers, deleted } = splitDeletedTimers(m, tracked.pendingTimers(m, playheadT), playheadT);
    const deletedNote = deleted.length ? `${deleted.length} deleted timer${deleted.length === 1 ? '' : 's'} not listed (due without firing: deleted, or abandoned at the end of input). ` : '';
    const windows = tracked.openWindows(m, playheadT, deleted);
    const values = snapshotValues(snapshot);
    const valueOf = (op: string, sub: number, state: string, key: unknown) => values.get(`${op}#${sub}#${state}#${String(key ?? '')}`);
    const snapNote = snapshot ? `<p class="bk-subtle">Values read at ${formatClock(snapshot.t)}${snapshot.t !== playheadT ? ' (not at the playhead)' : ''}.</p>` : '';
    return { tables, timers, deletedNote, windows, valueOf, snapNote };
  }

  /**
   * Draws the panel. While a run is live, or when the lists are far behind (a seek, a finished
   * run's last thousand changes), its two parts, the size chart and the lists, are drawn in
   * slices (each in a task of its own when together they take long, the lists catching up in
   * pieces); otherwise at once.
   */
  function draw(force = true): void {
    if (!model) return;
    const m = model;
    const key = `${m.version}|${playheadT}|${frame.isTable()}|${resize.width}`;
    if (force) sliced.invalidate();
    else if (sliced.isDrawn(key) || key === tableKey) return;
    if (!frame.isTable()) {
      tableKey = '';
      slicing = !m.finished || tracked.behind(m, playheadT) > slices.sliceAbove;
      sliced.run(key, slicing);
      return;
    }
    sliced.cancel();
    sliced.invalidate();
    tableKey = key;
    const { tables, timers, deletedNote, valueOf, snapNote } = stateAt(m);
    const series = stateSizeSeries(m);
    const stateRows = tables.flatMap((t) =>
      t.keys.length === 0
        ? [`<tr><td>${escapeHtml(t.operator)}</td><td class="num">${t.subtask}</td><td>${escapeHtml(t.state)}</td><td>–</td><td class="num">${t.entries}</td><td></td><td></td></tr>`]
        : t.keys.map((k) => {
            const v = valueOf(t.operator, t.subtask, t.state, k.key);
            return `<tr><td>${escapeHtml(t.operator)}</td><td class="num">${t.subtask}</td><td>${escapeHtml(t.state)}</td><td>${escapeHtml(keyLabel(k.key))}</td><td class="num">${t.entries}</td><td class="num">${formatClock(k.t)}</td><td>${v ? escapeHtml(v.map((x) => previewValue(x)).join(', ')) : ''}</td></tr>`;
          }),
    );
    const timerRows = timers.map((t) => `<tr><td>${escapeHtml(t.operator)}</td><td class="num">${t.subtask}</td><td>${escapeHtml(keyLabel(t.key))}</td><td>${t.domain === 'eventTime' ? 'event time' : 'processing time'}</td><td class="num">${formatClock(t.time)}</td><td>${t.window ? `[${formatClock(t.window.start)}, ${formatClock(t.window.end)})` : ''}</td><td>${escapeHtml(timerDistance(m, t, playheadT).text)}</td></tr>`);
    const sizeRows = series.filter((p) => p.t <= playheadT).map((p) => `<tr><td class="num">${formatClock(p.t)}</td><td class="num">${formatCount(p.entries)}</td><td class="num">${formatCount(p.timers)}</td></tr>`);
    frame.table.innerHTML = `${snapNote}
      <table><caption>Keyed state at ${formatClock(playheadT)}</caption><thead><tr><th>Operator</th><th class="num">Subtask</th><th>State</th><th>Key</th><th class="num">Table entries</th><th class="num">Last written</th><th>Value</th></tr></thead><tbody>${stateRows.join('') || '<tr><td colspan="7">No keyed state written yet (window contents are listed under timers).</td></tr>'}</tbody></table>
      <table><caption>Pending timers</caption><thead><tr><th>Operator</th><th class="num">Subtask</th><th>Key</th><th>Domain</th><th class="num">Time</th><th>Window</th><th>Fires</th></tr></thead><tbody>${timerRows.join('') || '<tr><td colspan="7">None</td></tr>'}</tbody></table>${deletedNote ? `<p class="bk-subtle">${deletedNote}</p>` : ''}
      <table><caption>State size (from metrics samples)</caption><thead><tr><th class="num">Time</th><th class="num">State entries</th><th class="num">Timers</th></tr></thead><tbody>${sizeRows.join('') || '<tr><td colspan="3">No samples yet</td></tr>'}</tbody></table>`;
  }

  /** Draws the state size chart. */
  function drawChart(): void {
    const m = model!;
    const series = stateSizeSeries(m);
    const start = m.attempts[0]?.startT ?? 0;
    const width = Math.max(200, resize.width - 16);
    drawLineChart(chart, {
      width,
      height: 110,
      xDomain: [start, Math.max(m.endT, start + 1)],
      series: [
        { id: 'entries', label: 'state entries', points: series.filter((p) => p.t <= playheadT).map((p) => ({ t: p.t, v: p.entries })), color: cssVar('accent'), step: true },
        { id: 'timers', label: 'timers', points: series.filter((p) => p.t <= playheadT).map((p) => ({ t: p.t, v: p.timers })), color: cssVar('checkpoint'), dash: '6 3', step: true },
      ],
      playheadT,
      yFormat: (v) => formatCount(v),
      ...(options.onSeek ? { onSeek: options.onSeek } : {}),
    });
  }

  /**
   * Draws the keyed state, windows and timers lists. While drawing in slices, the follower first
   * catches up with the run in pieces; until it has, the lists keep showing the last state they
   * drew (complete and exact at its playhead), and this returns false to be called again.
   */
  function drawBody(): boolean {
    const m = model!;
    // The catch-up leaves the last sliceMs − catchUpMs of the slice for writing the lists.
    const budget = slicing ? Math.max(0, Math.min(slices.catchUpMs, sliced.remaining() - (slices.sliceMs - slices.catchUpMs))) : Number.POSITIVE_INFINITY;
    if (!tracked.catchUp(m, playheadT, budget)) return false;
    const { tables, timers, deletedNote, windows, valueOf, snapNote } = stateAt(m);
    const series = stateSizeSeries(m);
    const latest = [...series].reverse().find((p) => p.t <= playheadT);
    const subtle = (text: string): Piece => ({ tag: 'span', cls: 'bk-subtle', text });
    const sections = tables.map(
      (t): ChipSection => ({
        key: `${t.operator}#${t.subtask}#${t.state}`,
        head: [{ tag: 'strong', text: t.operator }, ' ', subtle(`#${t.subtask} · state “${t.state}” · ${t.entries} entr${t.entries === 1 ? 'y' : 'ies'}`)],
        chips: t.keys.slice(0, CHIP_CAP).map((k): Chip => {
          const v = valueOf(t.operator, t.subtask, t.state, k.key);
          return { key: keyText(k.key), pieces: v ? [`${keyLabel(k.key)} `, { tag: 'small', text: `= ${previewValue(v[0], 24)}` }] : [keyLabel(k.key)], title: `written at ${formatClock(k.t)}` };
        }),
        tail: t.keys.length > CHIP_CAP ? `${t.keys.length - CHIP_CAP} more keys in the table view` : '',
        empty: '<span class="bk-subtle">empty</span>',
      }),
    );
    const windowChips = windows.slice(0, CHIP_CAP).map(
      (w): Chip => ({
        key: paneWindowId(w),
        pieces: [`${keyLabel(w.key)} `, { tag: 'small', text: `[${formatClock(w.window.start)}, ${formatClock(w.window.end)})${w.lastPane ? ` · ${w.lastPane.pane.timing.toLowerCase().replace('_', '-')} pane of ${w.lastPane.elements}` : ''}` }],
        title: `${w.timers} timer(s) pending`,
      }),
    );
    const maxGap = longestGap(m, timers, playheadT);
    const timerRows = timers.slice(0, TIMER_ROWS).map((t): Row => {
      const d = timerDistance(m, t, playheadT);
      const bar: Piece[] = d.gap === undefined ? [] : [{ tag: 'span', cls: 'bk-bar', style: `width:${Math.max(2, Math.round((60 * Math.max(0, d.gap)) / maxGap))}px`, text: '' }, ' '];
      const when = `${t.domain === 'eventTime' ? 'event time' : 'processing time'} ${formatClock(t.time)}`;
      return {
        key: `${t.operator}|${t.subtask}|${keyText(t.key)}|${t.domain}|${t.time}|${t.window ? `${t.window.start},${t.window.end}` : ''}`,
        cells: [
          [`${t.operator} `, subtle(`#${t.subtask}`)],
          [keyLabel(t.key)],
          t.window ? [`${when} `, subtle(`window [${formatClock(t.window.start)}, ${formatClock(t.window.end)})`)] : [when],
          [...bar, subtle(d.text)],
        ],
      };
    });
    setHtmlIfChanged(parts.snap, snapNote);
    setSectionsInPlace(parts.tables, sections, '<p class="bk-subtle">No keyed state written yet (a process function’s ctx.state appears here).</p>');
    setChipsInPlace(parts.windows, windowChips, windows.length > CHIP_CAP ? `${windows.length - CHIP_CAP} more windows in the table view` : '', '<span class="bk-subtle">none</span>');
    setHtmlIfChanged(parts.timersHead, `Pending timers <span class="bk-subtle">(${timers.length}${latest ? `; the engine counts ${latest.timers} at ${formatClock(latest.t)}` : ''})</span>`);
    setRowsInPlace(parts.timers, timerRows, '<tr><td class="bk-subtle">none</td></tr>');
    setHtmlIfChanged(parts.more, timers.length > TIMER_ROWS ? `<p class="bk-subtle">${timers.length - TIMER_ROWS} more in the table view.</p>` : '');
    setHtmlIfChanged(parts.note, `${deletedNote}The trace does not record deleted timers: one deleted and not yet due stays listed.`);
    const keys = tables.reduce((n, t) => n + t.keys.length, 0);
    frame.drawing.setAttribute('aria-label', `State at ${formatClock(playheadT)}: ${tables.length} state table(s) holding ${keys} key(s), ${windows.length} window(s) holding state, ${timers.length} pending timer(s).`);
    return true;
  }

  const live = new LiveThrottle(LIVE_DRAW_MS, () => draw(false));

  return {
    update(m, t) {
      const fresh = m !== model;
      model = m;
      playheadT = t;
      if (fresh) sliced.invalidate();
      // While a run is live, at most one draw per LIVE_DRAW_MS (the latest one comes after it).
      live.request(!fresh && !m.finished);
    },
    setTable: (table) => frame.setTable(table),
    setStateSnapshot(s) {
      snapshot = s;
      draw();
    },
    destroy() {
      live.cancel();
      sliced.cancel();
      resize.disconnect();
      frame.destroy();
    },
  };
}

export const statePanel: PanelFactory = (el, options) => createStateView(el, options);
