// The time-domain panel: event time across, processing time down; records where they happened
// at when they arrived, the watermark, windows, every pane firing, late and dropped records,
// crashes and the playhead. Owns the DOM inside its element (the PanelView contract).
// Invariant: what it shows is a function of (model, playhead, watermark choice, zoom).

import { quadtree, select, zoom, zoomIdentity, type Quadtree, type ZoomTransform } from 'd3';
import type { PanelFactory, PanelOptions, PanelView } from '../panel.ts';
import type { RunModel } from '../run-model.ts';
import { observeSize } from '../element-size.ts';
import { installTheme } from '../theme.ts';
import { onSchemeChange } from '../color-scheme.ts';
import { chartFrame, EventTimeExtent, heldDomain, processingTimeDomain, type ChartFrame } from './chart-frame.ts';
import { chartLayers, drawChart } from './draw-chart.ts';
import { drawRecordsOnCanvas, SVG_RECORD_LIMIT } from './draw-records-canvas.ts';
import { describePane, describeRecord } from './explain.ts';
import { drawSvgRecords } from './svg-records.ts';
import { formatTime } from './format-time.ts';
import type { KindJournal } from './kind-journal.ts';
import { legendHtml } from './legend.ts';
import { PaneStacksBuilder, RecordKind, RecordKindsBuilder, timeDomainMarks } from './marks.ts';
import { PaneGroups } from './pane-groups.ts';
import { installTimeDomainCss } from './time-domain-css.ts';
import { escapeHtml, timeDomainTableHtml } from './time-domain-table.ts';
import { WatermarkSeriesCache, type WatermarkSeries } from './watermark-series.ts';
import { WindowLayoutBuilder, type WindowLayout } from './window-bands.ts';

let nextId = 0;
/** Milliseconds of script an update aims to stay within (a frame has about 16). */
const FRAME_MS = 8;

interface Derived {
  readonly series: readonly WatermarkSeries[];
  readonly lateness: WatermarkSeries | undefined;
  readonly kinds: Uint8Array;
  /** Every record's kinds counted (kept by the kinds' builder). */
  readonly kindTotals: Readonly<Uint32Array>;
  /** Which records' kinds changed after they were judged (the record canvas compares only those). */
  readonly kindJournal: KindJournal;
  readonly layout: WindowLayout;
  readonly stacks: readonly number[];
}

/**
 * What the chart derives from the model, kept per view: the window layout, the record kinds and
 * the panes' slots are extended from where the model grew (they run over every pane and record,
 * and the model changes a few dozen times a second while a run plays), the rest is recomputed.
 */
function deriver(): (model: RunModel) => Derived {
  const layouts = new WindowLayoutBuilder();
  const kinds = new RecordKindsBuilder();
  const stacks = new PaneStacksBuilder();
  const watermarks = new WatermarkSeriesCache();
  return (model) => {
    const { series, lateness } = watermarks.update(model);
    // Late-but-counted only means something where windows fire panes.
    const judged = model.panes.length > 0 ? lateness : undefined;
    return { series, lateness, kinds: kinds.update(model, judged?.id, judged?.points), kindTotals: kinds.totals, kindJournal: kinds.journal, layout: layouts.update(model), stacks: stacks.update(model) };
  };
}

/** Creates the time-domain panel on `el`. */
export const createTimeDomainView: PanelFactory = (el: HTMLElement, options: PanelOptions): PanelView => {
  installTheme(el.ownerDocument);
  installTimeDomainCss(el.ownerDocument);
  const clipId = `brook-td-clip-${nextId++}`;
  const root = el.ownerDocument.createElement('div');
  root.className = 'brook-td';
  root.innerHTML = `
    <div class="brook-td-bar">
      <ul class="brook-td-legend" aria-label="Legend"></ul>
      <div class="brook-td-controls">
        <span class="brook-td-counts" aria-live="off"></span>
        <label>Watermark of <select class="brook-td-series"></select></label>
        <button type="button" class="brook-td-reset" hidden>Reset zoom</button>
      </div>
    </div>
    <div class="brook-td-chart">
      <svg class="brook-td-back" aria-hidden="true"></svg>
      <canvas aria-hidden="true"></canvas>
      <svg class="brook-td-front" tabindex="0" role="group" aria-roledescription="chart"></svg>
      <div class="brook-td-tip" hidden></div>
    </div>
    <div class="brook-td-table" hidden></div>
    <div class="brook-td-sr" aria-live="polite"></div>`;
  el.append(root);
  const q = <T extends Element>(s: string) => root.querySelector(s) as T;
  const legend = q<HTMLUListElement>('.brook-td-legend');
  const counts = q<HTMLSpanElement>('.brook-td-counts');
  const seriesSelect = q<HTMLSelectElement>('.brook-td-series');
  const reset = q<HTMLButtonElement>('.brook-td-reset');
  const chart = q<HTMLDivElement>('.brook-td-chart');
  const canvas = q<HTMLCanvasElement>('canvas');
  const svgEl = q<SVGSVGElement>('.brook-td-front');
  const tip = q<HTMLDivElement>('.brook-td-tip');
  const tableEl = q<HTMLDivElement>('.brook-td-table');
  const live = q<HTMLDivElement>('.brook-td-sr');
  svgEl.setAttribute('aria-label', 'Time domain chart: event time across, processing time down. Use the arrow keys to move between records.');
  const svg = select(svgEl);
  const layers = chartLayers(select(q<SVGSVGElement>('.brook-td-back')), svg, clipId);
  const seekRect = svg.append('rect').attr('class', 'td-seek').attr('aria-hidden', 'true');
  const hoverRing = svg.append('circle').attr('class', 'td-hover-ring').attr('r', 8).style('display', 'none');

  let model: RunModel | null = null;
  let version = -1;
  let derived: Derived | null = null;
  const derive = deriver();
  let playheadT = 0;
  let chosen: string | null = null;
  let transform: ZoomTransform = zoomIdentity;
  let table = options.table ?? false;
  let focused: number | null = null;
  let frame: ChartFrame | null = null;
  let recordCount = 0;
  let tree: Quadtree<number> | null = null;
  let lastKey = '';
  let legendShown: string | null = null;
  const extent = new EventTimeExtent();
  const paneGroups = new PaneGroups();
  /** The domains drawn while a run grows, and the model they were held for. */
  let held: { x: [number, number]; y: [number, number] } | undefined;
  let heldFor: RunModel | null = null;
  let optionsShown: string | null = null;

  const zoomer = zoom<SVGSVGElement, unknown>()
    .scaleExtent([1, 40])
    // Wheel zooms only with a modifier (or a pinch), so the page still scrolls over the chart.
    .filter((event: Event) => (event.type === 'wheel' ? (event as WheelEvent).ctrlKey || (event as WheelEvent).metaKey : !(event as MouseEvent).button))
    .on('zoom', (event: { transform: ZoomTransform }) => {
      transform = event.transform;
      reset.hidden = transform.k === 1 && transform.x === 0 && transform.y === 0;
      render();
    });
  svg.call(zoomer).on('dblclick.zoom', null);
  svg.on('dblclick', () => svg.call(zoomer.transform, zoomIdentity));
  reset.addEventListener('click', () => svg.call(zoomer.transform, zoomIdentity));

  const series = (): WatermarkSeries | undefined => derived?.series.find((s) => s.id === chosen) ?? derived?.lateness;

  function fillSeriesSelect(): void {
    const list = derived?.series ?? [];
    const html = list
      .map((s) => `<option value="${escapeHtml(s.id)}">${s.kind === 'source' ? 'source ' : s.kind === 'sink' ? 'sink ' : ''}${escapeHtml(s.id)}${s.parallelism > 1 ? ` (min of ${s.parallelism})` : ''}</option>`)
      .join('');
    if (html !== optionsShown) seriesSelect.innerHTML = optionsShown = html;
    const current = series();
    if (current) seriesSelect.value = current.id;
    seriesSelect.disabled = list.length < 2;
  }
  seriesSelect.addEventListener('change', () => {
    chosen = seriesSelect.value;
    render(true);
  });

  /** When the update being drawn started (its derivations count against the frame's budget). */
  let updateStarted: number | undefined;

  /**
   * Brings what the chart derives up to `m` as it is now. A live model grows in place between
   * updates, and a redraw that is not an update (a resize, which comes in a task of its own, a
   * zoom, a key) must not draw the grown model with the derivations of an older version: the
   * panes' slots then ran short and every pane became a group of its own (a second of
   * attribute writes).
   */
  function follow(m: RunModel): void {
    if (m === model && m.version === version) return;
    const fresh = m !== model;
    model = m;
    version = m.version;
    derived = derive(m);
    // Rewritten only when their text changes: new markup at every version restyles the page.
    const legendNow = legendHtml(m.crashes.length > 0 || m.restores.length > 0);
    if (legendNow !== legendShown) legend.innerHTML = legendShown = legendNow;
    fillSeriesSelect();
    // A new run starts unzoomed (a growing one keeps the reader's zoom).
    if (fresh && transform !== zoomIdentity) svg.call(zoomer.transform, zoomIdentity);
  }

  function render(force = false): void {
    const started = updateStarted ?? performance.now();
    updateStarted = undefined;
    if (model) follow(model);
    if (!model || !derived) return;
    const { width, height } = resize;
    const key = `${version}|${playheadT}|${width}|${height}|${transform.toString()}|${table}|${focused}|${chosen}`;
    if (!force && key === lastKey) return;
    lastKey = key;
    // While the run grows the scales are held and grown in steps (the record canvas then stamps
    // only new records); a finished run, or another one, gets the exact whole-run domains.
    const exact = { x: extent.domain(model), y: processingTimeDomain(model) };
    const growing = !model.finished && model === heldFor;
    held = growing && held ? { x: heldDomain(held.x, exact.x), y: heldDomain(held.y, exact.y) } : exact;
    heldFor = model;
    const base = chartFrame(model, derived.layout, Math.max(width, 200), Math.max(height, 160), held);
    frame = { ...base, x: transform.rescaleX(base.x), y: transform.rescaleY(base.y) };
    const wm = series();
    const marks = timeDomainMarks(model, playheadT, derived.kinds, wm?.points ?? [], derived.kindTotals);
    recordCount = marks.recordCount;
    tree = null;
    const k = marks.recordsByKind;
    const late = k[RecordKind.LateCounted] + k[RecordKind.SideOutput];
    // Sampled-out arrivals (the worker keeps a sample of a fast stream) are counted, not drawn.
    const sampled = model.recordsSkipped > 0 ? ` (${model.recordsSkipped} more sampled out)` : '';
    counts.textContent = `${marks.recordCount} records${sampled} · ${marks.paneCount} panes${late ? ` · ${late} late` : ''}${k[RecordKind.Dropped] ? ` · ${k[RecordKind.Dropped]} dropped` : ''}`;
    chart.hidden = table;
    legend.hidden = table;
    tableEl.hidden = !table;
    if (table) {
      tableEl.innerHTML = timeDomainTableHtml(model, marks.recordCount, marks.paneCount, derived.kinds);
      return;
    }
    const canvasRecords = marks.recordCount > SVG_RECORD_LIMIT;
    drawChart(select(q<SVGSVGElement>('.brook-td-back')), svg, layers, clipId, {
      model,
      frame,
      playheadT,
      layout: derived.layout,
      watermark: wm?.points ?? [],
      watermarkLabel: wm ? `watermark` : '',
      kinds: derived.kinds,
      recordCount: marks.recordCount,
      paneCount: marks.paneCount,
      stacks: derived.stacks,
      paneGroups: paneGroups.update(model, marks.paneCount, derived.stacks),
      focused,
    });
    drawSvgRecords(layers.records.node, model, frame, derived.kinds, marks.recordCount, !canvasRecords);
    // A restamp in progress takes what is left of a frame's 8 ms here (at least a little);
    // it goes on in tasks of its own between frames.
    drawRecordsOnCanvas(canvas, model, frame, derived.kinds, marks.recordCount, canvasRecords, Math.max(1, FRAME_MS - (performance.now() - started)), derived.kindJournal);
    seekRect.attr('x', 0).attr('y', frame.top).attr('width', frame.left - 1).attr('height', frame.bottom - frame.top);
    seekRect.raise();
    hoverRing.raise();
  }

  function quad(): Quadtree<number> | null {
    if (tree || !model || !frame) return tree;
    const f = frame;
    const m = model;
    tree = quadtree<number>()
      .x((i) => f.x(m.records.get(i, 'eventTime')))
      .y((i) => f.y(m.records.get(i, 't')))
      .addAll(Array.from({ length: recordCount }, (_, i) => i));
    return tree;
  }

  function showTip(html: string, x: number, y: number): void {
    tip.innerHTML = html;
    tip.hidden = false;
    const w = tip.offsetWidth;
    const h = tip.offsetHeight;
    const left = x + 14 + w > chart.clientWidth ? Math.max(4, x - 14 - w) : x + 14;
    const top = y + 14 + h > chart.clientHeight ? Math.max(4, y - 14 - h) : y + 14;
    tip.style.left = `${left}px`;
    tip.style.top = `${top}px`;
  }

  function recordTip(i: number): { html: string; text: string } {
    const kind = derived!.kinds[i] as RecordKind;
    const d = describeRecord(model!, i, kind, derived!.lateness?.points);
    const whyClass = kind === RecordKind.Dropped ? 'td-tip-why-dropped' : kind === RecordKind.OnTime ? '' : 'td-tip-why-late';
    const panes = d.panes.length > 0 ? `<p>Panes it went into (any key whose window holds it):</p><ul>${d.panes.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>` : '';
    return { html: `<strong>${escapeHtml(d.title)}</strong><p class="${whyClass}">${escapeHtml(d.why)}</p>${panes}`, text: d.text };
  }

  svg.on('pointermove', (event: PointerEvent) => {
    if (!model || !frame || table) return;
    const [mx, my] = [event.offsetX, event.offsetY];
    const paneAttr = (event.target as Element).getAttribute?.('data-pane');
    if (paneAttr !== null && paneAttr !== undefined) {
      const p = model.panes[Number(paneAttr)]!;
      hoverRing.style('display', 'none');
      showTip(`<strong>Pane ${escapeHtml(p.pane.timing)} #${p.pane.index}${p.pane.isLast ? ' (last)' : ''}</strong><p>${escapeHtml(describePane(p))}</p><p>${p.elements} element${p.elements === 1 ? '' : 's'} in the window; the watermark was ${escapeHtml(formatTime(p.watermark))}.</p>`, mx, my);
      return;
    }
    const found = quad()?.find(mx, my, 12);
    if (found === undefined) {
      hoverRing.style('display', 'none');
      tip.hidden = true;
      return;
    }
    hoverRing.style('display', null).attr('cx', frame.x(model.records.get(found, 'eventTime'))).attr('cy', frame.y(model.records.get(found, 't')));
    showTip(recordTip(found).html, mx, my);
  });
  svg.on('pointerleave', () => {
    hoverRing.style('display', 'none');
    if (focused === null) tip.hidden = true;
  });
  seekRect.on('click', (event: MouseEvent) => {
    if (!frame || !options.onSeek) return;
    const [lo, hi] = frame.y.domain() as [number, number];
    options.onSeek(Math.round(Math.max(lo, Math.min(hi, frame.y.invert(event.offsetY)))));
  });
  svgEl.addEventListener('keydown', (event) => {
    if (!model || recordCount === 0) return;
    let next = focused;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') next = focused === null ? 0 : Math.min(recordCount - 1, focused + 1);
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') next = focused === null ? recordCount - 1 : Math.max(0, focused - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = recordCount - 1;
    else if (event.key === 'Escape') next = null;
    else return;
    event.preventDefault();
    focused = next;
    render();
    if (focused === null || !frame) {
      tip.hidden = true;
      return;
    }
    const t = recordTip(focused);
    showTip(t.html, frame.x(model.records.get(focused, 'eventTime')), frame.y(model.records.get(focused, 't')));
    live.textContent = t.text;
  });
  svgEl.addEventListener('blur', () => {
    tip.hidden = true;
  });

  const resize = observeSize(chart, () => render());
  // Redraws in the new scheme's colours once the canvas sprites can see it (color-scheme.ts).
  const stopScheme = onSchemeChange(window, () => render(true));

  return {
    update(m: RunModel, t: number): void {
      updateStarted = performance.now();
      follow(m);
      playheadT = t;
      if (focused !== null && focused >= m.records.length) focused = null;
      render();
    },
    setTable(on: boolean): void {
      table = on;
      render();
    },
    destroy(): void {
      resize.disconnect();
      stopScheme();
      svg.on('.zoom', null);
      root.remove();
    },
  };
};
