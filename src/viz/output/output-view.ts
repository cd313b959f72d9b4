// The output panel: sink records up to the playhead, per sink, with key, value, event time,
// window, pane and arrival; duplicates and losses against a failure-free reference and the diff
// against an exercise's expected output marked. The list is virtualised (only the rows in view
// are in the DOM), so 100 000 rows scroll and scrub smoothly.

import type { PanelFactory, PanelOptions, PanelView } from '../panel.ts';
import type { RunModel } from '../run-model.ts';
import type { OutputReport } from '../../worker/protocol.ts';
import { installTheme } from '../theme.ts';
import { escapeHtml } from '../time-domain/time-domain-table.ts';
import { installOutputCss, ROW_HEIGHT } from './output-css.ts';
import { rowCells } from './output-cells.ts';
import { isProblem, rowSink, type ExpectedRecord, type OutputRow, type OutputTable } from './output-rows.ts';
import { OutputFollower } from './output-follower.ts';
import { setHtmlIfChanged } from '../html-if-changed.ts';
import { forgetChildren, setChildrenHtml } from '../keyed-children.ts';

/** The output panel's extra methods: a reference run's report and an exercise's expected output. */
export interface OutputPanelView extends PanelView {
  setReference(report: OutputReport | undefined): void;
  setExpected(records: readonly ExpectedRecord[] | undefined): void;
}

/**
 * A burst of output (a window closing over many keys), a seek or a first draw of a long run is
 * marked in pieces of this many rows for at most CATCH_UP_MS per task, what is marked shown, the
 * rest in tasks of their own: a row's identity and marks cost a few microseconds warm, but while
 * code is cold (a run's first frames) 1,000 rows took 15-20 ms.
 */
const ROWS_PER_PIECE = 250;
const CATCH_UP_MS = 4;

const COLUMNS = ['#', 'sink', 'key', 'value', 'event time', 'window', 'pane', 'arrived', 'compared'];

function rowHtml(row: OutputRow, top: number, n: number): string {
  const c = rowCells(row);
  const cls = row.kind === 'written' ? row.marks.filter((m) => m !== 'matched').map((m) => `o-${m}`).join(' ') : `o-${row.kind}`;
  const badges = c.badges.map((b) => `<span class="brook-out-badge b-${b.kind}" title="${escapeHtml(b.detail)}">${escapeHtml(b.text)}</span>`).join('');
  const cell = (text: string, extra = '') => `<span role="cell"${extra} title="${escapeHtml(text)}">${escapeHtml(text)}</span>`;
  return (
    `<div class="brook-out-row ${cls}" role="row" aria-rowindex="${n + 2}" style="top:${top}px">` +
    `<span role="cell" class="o-num">${c.num}</span>${cell(c.sink)}${cell(c.key)}${cell(c.value, ' class="o-value"')}${cell(c.eventTime)}${cell(c.window)}` +
    `<span role="cell" class="brook-out-pane-${c.paneTiming}">${escapeHtml(c.pane)}</span>${cell(c.arrived)}<span role="cell">${badges}</span></div>`
  );
}

/** Creates the output panel on `el`. */
export const createOutputView = ((el: HTMLElement, _options: PanelOptions): OutputPanelView => {
  installTheme(el.ownerDocument);
  installOutputCss(el.ownerDocument);
  const root = el.ownerDocument.createElement('div');
  root.className = 'brook-out';
  root.innerHTML = `
    <div class="brook-out-bar">
      <div class="brook-out-tabs" role="group" aria-label="Sink"></div>
      <div class="brook-out-summary" aria-live="polite"></div>
      <label class="brook-out-filter"><input type="checkbox" class="brook-out-problems"> only differences</label>
    </div>
    <div class="brook-out-body" tabindex="0" role="table" aria-label="Sink output">
      <div class="brook-out-head" role="row">${COLUMNS.map((h) => `<span role="columnheader">${h}</span>`).join('')}</div>
      <div class="brook-out-spacer" role="rowgroup"></div>
    </div>`;
  el.append(root);
  const tabs = root.querySelector<HTMLDivElement>('.brook-out-tabs')!;
  const summaryEl = root.querySelector<HTMLDivElement>('.brook-out-summary')!;
  const problems = root.querySelector<HTMLInputElement>('.brook-out-problems')!;
  const body = root.querySelector<HTMLDivElement>('.brook-out-body')!;
  const head = root.querySelector<HTMLDivElement>('.brook-out-head')!;
  const spacer = root.querySelector<HTMLDivElement>('.brook-out-spacer')!;
  head.style.position = 'sticky';
  head.style.top = '0';
  head.style.zIndex = '1';

  const follower = new OutputFollower();
  let model: RunModel | null = null;
  let version = -1;
  let playheadT = 0;
  let reference: OutputReport | undefined;
  let expected: readonly ExpectedRecord[] | undefined;
  let tableData: OutputTable | null = null;
  let shown: readonly OutputRow[] = [];
  let sink: string | null = null;
  // Follow the newest rows while the reader is at the bottom, as a log does.
  let follow = true;
  let lastKey = '';
  // Bumped when the reference or the expected output changes: the same rows then get other marks.
  let marksVersion = 0;
  // Layout is read only where it is fresh (a ResizeObserver, a user's scroll): reading it right
  // after another panel changed the page forces a layout of the whole page, at every frame of a
  // run. Following the newest rows computes the bottom from the row count instead, and scrolls
  // there from the ResizeObserver of the rows, which runs once the page is laid out anyway.
  let headH = head.offsetHeight;
  let viewH = body.clientHeight;
  let scrollTop = body.scrollTop;
  /** `shown.length` when the view last scrolled to the bottom to follow. */
  let followedRows = -1;
  /** A scroll position to apply once laid out, and whether the next scroll event is its echo. */
  let pendingScroll: number | undefined;
  let echo = false;
  /** The body's scroll position as last written or read in a scroll event (no read needed). */
  let bodyScrollTop = body.scrollTop;
  /** The spacer's height as last written, and as its ResizeObserver last reported it (px). */
  let spacerWritten = 0;
  let spacerSeen = 0;

  /** The bottom of the rows: the scroll position that shows the newest row last. */
  const bottom = () => Math.max(0, headH + shown.length * ROW_HEIGHT - viewH);

  function scrollToEnd(): void {
    scrollTop = bottom();
    pendingScroll = scrollTop;
    followedRows = shown.length;
    // The spacer's observer applies it, layout clean, in the frame's rendering, when the spacer's
    // height is still to be laid out; otherwise a task after the next frame does. Never the
    // frame's callbacks: they run before that observer, after other panels changed the page, and
    // a scroll written there forced a layout of the whole page (31 times in five traced runs of
    // the UI benchmark, up to 15 ms each). A task may find the page changed again (a panel's
    // timer draw), so it is only the fallback.
    if (spacerWritten === spacerSeen) requestAnimationFrame(() => setTimeout(applyScroll, 0));
  }

  /** Applies a pending follow scroll (layout is clean here: called from a ResizeObserver). */
  function applyScroll(): void {
    if (pendingScroll === undefined) return;
    const target = pendingScroll;
    pendingScroll = undefined;
    if (bodyScrollTop === target) return;
    echo = true;
    body.scrollTop = bodyScrollTop = target;
  }

  /** The task that goes on marking rows of a catch-up (see ROWS_PER_PIECE). */
  let catchUp: ReturnType<typeof setTimeout> | undefined;

  function recompute(): void {
    if (!model) return;
    if (catchUp !== undefined) clearTimeout(catchUp);
    catchUp = undefined;
    const start = performance.now();
    do tableData = follower.table(model, playheadT, reference, expected, ROWS_PER_PIECE);
    while (!follower.complete && performance.now() - start < CATCH_UP_MS);
    if (!follower.complete) {
      catchUp = setTimeout(() => {
        catchUp = undefined;
        recompute();
      }, 0);
    }
    if (sink !== null && !tableData.sinks.some((s) => s.sink === sink)) sink = null;
    shown = sink === null && !problems.checked ? tableData.rows : tableData.rows.filter((r) => (sink === null || rowSink(r) === sink) && (!problems.checked || isProblem(r)));
    renderBar();
    spacerWritten = shown.length * ROW_HEIGHT;
    spacer.style.height = `${spacerWritten}px`;
    if (follow && shown.length !== followedRows) scrollToEnd();
    renderRows();
  }

  function renderBar(): void {
    if (!tableData) return;
    const total = tableData.sinks.reduce((n, s) => n + s.written, 0);
    const buttons = [`<button type="button" data-sink="" aria-pressed="${sink === null}">All sinks · ${total}</button>`];
    if (tableData.sinks.length > 1) {
      for (const s of tableData.sinks) buttons.push(`<button type="button" data-sink="${escapeHtml(s.sink)}" aria-pressed="${sink === s.sink}">${escapeHtml(s.sink)} · ${s.written}</button>`);
    }
    setHtmlIfChanged(tabs, buttons.join(''));
    const of = tableData.sinks.filter((s) => sink === null || s.sink === sink);
    const sum = (f: 'duplicates' | 'uncommitted' | 'rolledBack' | 'lost' | 'matched' | 'missing' | 'unexpected') => of.reduce((n, s) => n + s[f], 0);
    const chips: string[] = [];
    if (tableData.hasReference) {
      chips.push(`<span class="brook-out-chip"><span class="brook-out-badge b-duplicate">↻ ${sum('duplicates')}</span>duplicated</span>`);
      chips.push(`<span class="brook-out-chip"><span class="brook-out-badge b-lost">∅ ${sum('lost')}</span>lost vs. failure-free run</span>`);
    }
    if (sum('rolledBack') > 0 || sum('uncommitted') > 0) {
      chips.push(`<span class="brook-out-chip"><span class="brook-out-badge b-rolledBack">⟲ ${sum('rolledBack')}</span>rolled back</span>`);
      chips.push(`<span class="brook-out-chip"><span class="brook-out-badge b-uncommitted">◌ ${sum('uncommitted')}</span>not yet committed</span>`);
    }
    if (tableData.hasExpected) {
      chips.push(`<span class="brook-out-chip"><span class="brook-out-badge b-matched">✓ ${sum('matched')}</span>matched</span>`);
      chips.push(`<span class="brook-out-chip"><span class="brook-out-badge b-missing">− ${sum('missing')}</span>missing</span>`);
      chips.push(`<span class="brook-out-chip"><span class="brook-out-badge b-unexpected">+ ${sum('unexpected')}</span>unexpected</span>`);
    }
    setHtmlIfChanged(summaryEl, chips.join(''));
  }

  function renderRows(): void {
    const key = `${shown.length}|${scrollTop}|${viewH}|${version}|${playheadT}|${sink}|${problems.checked}|${marksVersion}`;
    if (key === lastKey) return;
    lastKey = key;
    if (shown.length === 0) {
      forgetChildren(spacer);
      spacer.innerHTML = `<div class="brook-out-empty">${model && model.sinkOutput.length > 0 ? 'No output by this point of the run yet.' : 'No sink output yet.'}</div>`;
      return;
    }
    if (spacer.firstElementChild?.classList.contains('brook-out-empty')) spacer.replaceChildren();
    const first = Math.max(0, Math.floor((scrollTop - headH) / ROW_HEIGHT) - 8);
    const last = Math.min(shown.length, Math.ceil((scrollTop + viewH) / ROW_HEIGHT) + 8);
    const rows: string[] = [];
    for (let i = first; i < last; i++) rows.push(rowHtml(shown[i]!, i * ROW_HEIGHT, i));
    // Rows still in view keep their elements: a following list adds a few rows per frame.
    setChildrenHtml(spacer, rows);
  }

  let frame = 0;
  body.addEventListener('scroll', () => {
    // The echo of a follow scroll: the position is known, and reading it could force a layout.
    if (echo) {
      echo = false;
      return;
    }
    scrollTop = bodyScrollTop = body.scrollTop;
    follow = scrollTop + viewH >= headH + shown.length * ROW_HEIGHT - ROW_HEIGHT;
    if (!frame) frame = requestAnimationFrame(() => {
      frame = 0;
      renderRows();
    });
  });
  tabs.addEventListener('click', (event) => {
    const b = (event.target as Element).closest('button');
    if (!b) return;
    sink = b.dataset.sink ? b.dataset.sink : null;
    recompute();
  });
  problems.addEventListener('change', () => recompute());
  /** A task that redraws the rows for a new view size (see the ResizeObserver below). */
  let resized: ReturnType<typeof setTimeout> | undefined;
  const resize = new ResizeObserver((entries) => {
    // The rows' spacer grew (a follow scroll waits for it) or the view or its header resized.
    for (const e of entries) if (e.target === spacer) spacerSeen = e.contentRect.height;
    if (entries.some((e) => e.target !== spacer)) {
      headH = head.offsetHeight;
      viewH = body.clientHeight;
      // The rows are written in a task of their own: this callback runs in the frame's rendering
      // task, after every panel's update and the page's layout (as element-size.ts says).
      resized ??= setTimeout(() => {
        resized = undefined;
        if (follow) scrollToEnd();
        renderRows();
      }, 0);
    }
    applyScroll();
  });
  resize.observe(body);
  resize.observe(head);
  resize.observe(spacer);

  return {
    update(m: RunModel, t: number): void {
      if (m === model && m.version === version && t === playheadT) return;
      model = m;
      version = m.version;
      playheadT = t;
      recompute();
    },
    setReference(report: OutputReport | undefined): void {
      reference = report;
      marksVersion++;
      recompute();
    },
    setExpected(records: readonly ExpectedRecord[] | undefined): void {
      expected = records;
      marksVersion++;
      recompute();
    },
    // The panel is already a table (with ARIA table roles); there is no drawing to swap.
    setTable(): void {},
    destroy(): void {
      resize.disconnect();
      if (catchUp !== undefined) clearTimeout(catchUp);
      if (resized !== undefined) clearTimeout(resized);
      if (frame) cancelAnimationFrame(frame);
      root.remove();
    },
  };
}) satisfies PanelFactory;
