// The metrics panel: small multiples of throughput, end-to-end latency, event-time lag and
// records ahead of the watermark, each with a band for what normal looked like so far and an
// alert threshold the user sets; a crossed threshold highlights its chart and lists the spans.
// Invariant: series are computed once per model version and cut at the playhead by index; while
// a run grows, a card's x domain steps (held between steps), so its thinning is kept.

import type { PanelFactory, PanelOptions, PanelView } from '../panel.ts';
import type { RunModel } from '../run-model.ts';
import { observeSize, type ElementSize } from '../element-size.ts';
import { cssVar, seriesVar } from '../theme.ts';
import { HeldTimeDomain } from '../held-time-domain.ts';
import { createPanelFrame, escapeHtml } from '../dataflow/panel-frame.ts';
import { DASHES, drawLineChart, type BandPoint, type ChartPoint } from './line-chart.ts';
import { aheadOfWatermarkSeries, clipAt, eventTimeLagSeries, LatencySeries, latencySeries, throughputSeries, type MetricSeries } from './metrics-series.ts';
import { lastIndexAtOrBefore } from './sample-at.ts';
import { normalBand } from './normal-band.ts';
import { AheadOfWatermark } from './ahead-of-watermark.ts';
import { alertText, thresholdCrossings, type Threshold, type ThresholdDirection } from './threshold-alerts.ts';
import { compactCount, compactDuration, formatClock, formatCount, formatDuration } from './time-format.ts';
import { LiveThrottle } from '../live-throttle.ts';
import { setHtmlIfChanged } from '../html-if-changed.ts';
import { SlicedDraw } from '../sliced-draw.ts';

/** Milliseconds between draws while a run is live: a rate chart need not follow every frame. */
const LIVE_DRAW_MS = 250;

/** Milliseconds of card drawing per task: the rest of the cards are drawn in the next task(s). */
const SLICE_MS = 8;

/**
 * Record dots the read-ahead series takes in per piece of work: a long catch-up (a card not
 * drawn for a while, a first draw of a long run) is spread over tasks. SlicedDraw calls the part
 * again at once while its slice lasts, so small pieces cost nothing warm; while code is cold
 * (the first draws of a run) 10,000 dots took 40-65 ms of one task, 2,000 stay near the slice.
 */
const AHEAD_RECORDS_PER_PIECE = 2_000;

export type MetricId = 'throughput' | 'latency' | 'lag' | 'ahead';

interface MetricDef {
  readonly id: MetricId;
  readonly title: string;
  /** What the chart measures, in a sentence (shown under the title). */
  readonly means: string;
  /** The name alerts use. */
  readonly metric: string;
  /** The unit of the threshold input, and the factor from it to the series' unit. */
  readonly inputUnit: string;
  readonly inputFactor: number;
  readonly compute: (m: RunModel) => MetricSeries[];
  readonly format: (v: number) => string;
  /** Shorter labels for the y axis; `format` when absent. */
  readonly axis?: (v: number) => string;
  readonly dots?: boolean;
  /** A count that holds until its next change. */
  readonly step?: boolean;
}

const METRICS: readonly MetricDef[] = [
  { id: 'throughput', title: 'Throughput', means: 'records out per second of processing time, per operator (sinks: records written)', metric: 'throughput', inputUnit: 'records/s', inputFactor: 1, compute: throughputSeries, format: (v) => `${formatCount(v)}/s`, axis: (v) => `${compactCount(v)}/s` },
  { id: 'latency', title: 'End-to-end latency', means: 'processing time a record reached its sink minus its event timestamp (early panes can be negative)', metric: 'latency', inputUnit: 's', inputFactor: 1000, compute: latencySeries, format: formatDuration, axis: compactDuration, dots: true },
  { id: 'lag', title: 'Event-time lag', means: 'processing time minus the operator’s watermark (how far event time trails the clock)', metric: 'event-time lag', inputUnit: 's', inputFactor: 1000, compute: eventTimeLagSeries, format: formatDuration, axis: compactDuration },
  { id: 'ahead', title: 'Read ahead of the watermark', means: 'per source partition: records read whose event time its watermark has not passed yet (not broker lag: the log’s end is not traced)', metric: 'records ahead of the watermark', inputUnit: 'records', inputFactor: 1, compute: aheadOfWatermarkSeries, format: (v) => formatCount(v), axis: compactCount, step: true },
];

export type Thresholds = Partial<Record<MetricId, Threshold>>;

export interface MetricsViewOptions extends PanelOptions {
  readonly thresholds?: Thresholds;
  /** Called when the user changes a threshold, so the page can keep it. */
  readonly onThresholdsChange?: (thresholds: Thresholds) => void;
}

export interface MetricsView extends PanelView {
  getThresholds(): Thresholds;
  setThresholds(thresholds: Thresholds): void;
}

const STYLE = `
.bk-metrics-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(max(340px, 45%), 1fr)); gap: 8px; padding: 8px; }
.bk-metric { border: 1px solid ${cssVar('grid')}; border-radius: 8px; padding: 6px 8px; min-width: 0; }
.bk-metric[data-alert="true"] { border: 2px solid ${cssVar('dropped')}; }
.bk-metric header { display: flex; align-items: baseline; gap: 8px; flex-wrap: wrap; }
.bk-metric h3 { font-size: 13px; margin: 0; }
.bk-metric .bk-alert-badge { font-size: 11px; font-weight: 700; color: ${cssVar('dropped')}; }
.bk-metric .bk-means { font-size: 11px; color: ${cssVar('muted')}; margin: 0 0 2px; }
.bk-metric label { font-size: 12px; color: ${cssVar('muted')}; margin-left: auto; display: inline-flex; gap: 4px; align-items: center; }
.bk-metric input, .bk-metric select { font: inherit; font-size: 12px; line-height: 18px; height: 22px; min-height: 0; border-radius: 4px; box-sizing: border-box; margin: 0; width: 64px; padding: 0 4px; background: ${cssVar('surface')}; color: ${cssVar('ink')}; border: 1px solid ${cssVar('axis')}; border-radius: 4px; }
.bk-metric select { width: auto; }
.bk-legend { display: flex; flex-wrap: wrap; gap: 4px 12px; font-size: 11px; color: ${cssVar('muted')}; }
.bk-legend svg { vertical-align: middle; margin-right: 3px; }
.bk-alerts { margin: 4px 0 0; padding-left: 18px; font-size: 12px; color: ${cssVar('ink')}; }
`;

/** Creates the metrics panel in `el`. */
export function createMetricsView(el: HTMLElement, options: MetricsViewOptions = {}): MetricsView {
  let model: RunModel | undefined;
  let playheadT = 0;
  let thresholds: Thresholds = { ...options.thresholds };
  /** The model version each metric's series were computed for (per metric: each card in its own slice). */
  const computedFor = new Map<MetricId, number>();
  const ahead = new AheadOfWatermark();
  const latency = new LatencySeries();
  const series = new Map<MetricId, MetricSeries[]>();
  /**
   * Each metric's band over its whole primary series, extended as the series grows, and the
   * same band floored at zero while the series has no negative value (counts and rates get no
   * band below zero); both extended in place, so a draw copies neither.
   */
  const bands = new Map<MetricId, { readonly id: string; readonly serial: number; points: number; readonly band: BandPoint[]; nonNegative: boolean; readonly floored: BandPoint[] }>();
  /** Counts band caches made, so a chart knows when its band's past may have changed. */
  let bandSerial = 0;
  /** Counts the models shown: a chart keeps its series' thinning only within one (`history`). */
  let modelSerial = 0;
  /** The cards' x domain, held while a run grows: they rescale (and thin again) a few times over a run, not at every draw. */
  const xDomain = new HeldTimeDomain();
  /** What each card last showed; an update that changes none of it draws nothing. */
  /** The key the table view was last written for ('' when the drawing shows). */
  let tableKey = '';
  // Two parts per card: its metric's series and band (the computing), then its chart, so a long
  // computation and a long drawing fall in tasks of their own.
  const sliced = new SlicedDraw(METRICS.length * 2, (i) => (i % 2 === 0 ? metricAt(METRICS[i >> 1]!) !== undefined : drawCard(METRICS[i >> 1]!)), SLICE_MS);
  const frame = createPanelFrame(el, 'Metrics', options.table ?? false, () => draw());
  if (!el.ownerDocument.getElementById('brook-metrics-view')) {
    const style = el.ownerDocument.createElement('style');
    style.id = 'brook-metrics-view';
    style.textContent = STYLE;
    el.ownerDocument.head.append(style);
  }
  frame.tools.innerHTML = '<span>Shaded band: normal so far (median ± 3·MAD of earlier points). Dashed line: your alert threshold.</span>';
  frame.drawing.removeAttribute('role');
  frame.drawing.removeAttribute('tabindex');
  const grid = el.ownerDocument.createElement('div');
  grid.className = 'bk-metrics-grid';
  frame.drawing.append(grid);
  const cards = new Map<MetricId, { card: HTMLElement; size: ElementSize; svg: SVGSVGElement; legend: HTMLElement; alerts: HTMLElement; badge: HTMLElement; input: HTMLInputElement; select: HTMLSelectElement }>();
  for (const def of METRICS) {
    const card = el.ownerDocument.createElement('section');
    card.className = 'bk-metric';
    card.tabIndex = 0;
    card.setAttribute('aria-label', def.title);
    card.innerHTML = `<header><h3>${def.title}</h3><span class="bk-alert-badge"></span>
      <label>alert if <select aria-label="${def.title}: alert direction"><option value="above">above</option><option value="below">below</option></select>
      <input type="number" min="0" step="any" aria-label="${def.title}: alert threshold in ${def.inputUnit}" placeholder="off"> ${def.inputUnit}</label></header>
      <p class="bk-means">${escapeHtml(def.means)}</p><div class="bk-legend"></div><svg aria-hidden="true"></svg><ul class="bk-alerts"></ul>`;
    grid.append(card);
    const input = card.querySelector('input')!;
    const select = card.querySelector('select')!;
    const onChange = () => {
      const value = input.value.trim() === '' ? Number.NaN : Number(input.value) * def.inputFactor;
      const next = { ...thresholds };
      if (Number.isFinite(value)) next[def.id] = { value, direction: select.value as ThresholdDirection };
      else delete next[def.id];
      thresholds = next;
      options.onThresholdsChange?.(thresholds);
      draw();
    };
    input.addEventListener('change', onChange);
    select.addEventListener('change', onChange);
    cards.set(def.id, { card, size: observeSize(card, () => draw(false)), svg: card.querySelector('svg')!, legend: card.querySelector('.bk-legend')!, alerts: card.querySelector('.bk-alerts')!, badge: card.querySelector('.bk-alert-badge')!, input, select });
  }
  const syncInputs = () => {
    for (const def of METRICS) {
      const c = cards.get(def.id)!;
      const th = thresholds[def.id];
      c.input.value = th ? String(th.value / def.inputFactor) : '';
      c.select.value = th?.direction ?? 'above';
    }
  };
  syncInputs();
  const resize = observeSize(frame.drawing, () => draw(false));

  /**
   * `def`'s series for the model as it is: computed when its card is drawn (so a slice holds one
   * metric's work), once per model version; undefined while the read-ahead series is still
   * catching up (`budget` record dots per call).
   */
  function seriesOf(def: MetricDef, budget = AHEAD_RECORDS_PER_PIECE): MetricSeries[] | undefined {
    const m = model!;
    if (computedFor.get(def.id) !== m.version || !series.has(def.id)) {
      // Read-ahead walks every record dot and latency every sink record: both extended from where
      // the model grew, not recomputed (a point per sink record at each version was most garbage).
      if (def.id === 'ahead') {
        series.set(def.id, ahead.update(m, budget));
        if (!ahead.complete) return undefined;
      } else series.set(def.id, def.id === 'latency' ? latency.update(m) : def.compute(m));
      computedFor.set(def.id, m.version);
    }
    return series.get(def.id)!;
  }

  /**
   * The band of `id`'s full series (`points`, unclipped), how much of it the playhead shows, and
   * a key that changes when its past may have (another band, or floored no more). The band is
   * causal, so it is computed once per point and cut, not recomputed at every frame.
   */
  function bandOf(metric: MetricId, id: string, points: readonly ChartPoint[]): { band: readonly BandPoint[]; end: number; key: string } {
    let cached = bands.get(metric);
    if (!cached || cached.id !== id || cached.points > points.length) cached = { id, serial: ++bandSerial, points: 0, band: [], nonNegative: true, floored: [] };
    if (cached.points < points.length) {
      // Extended in place: copying the whole band at every model version is quadratic over a run.
      for (let i = cached.points; i < points.length && cached.nonNegative; i++) if (points[i]!.v < 0) cached.nonNegative = false;
      for (const b of normalBand(points, { from: cached.points })) {
        cached.band.push(b);
        if (cached.nonNegative) cached.floored.push(b.lo < 0 ? { ...b, lo: 0 } : b);
      }
      cached.points = points.length;
      bands.set(metric, cached);
    }
    const band = cached.nonNegative ? cached.floored : cached.band;
    // The playhead usually follows the run; either way the band is cut by index, not copied.
    return { band, end: lastIndexAtOrBefore(band, playheadT) + 1, key: `${cached.serial}${cached.nonNegative ? '+' : ''}` };
  }

  /** The draw key: what the cards show; a card drawn for the current key is up to date. */
  function drawKey(m: RunModel): string {
    return `${m.version}|${playheadT}|${frame.isTable()}|${[...cards.values()].map((c) => c.size.width).join(',')}`;
  }

  /**
   * A metric's series, each with how many of its points the playhead shows (`end`: cut by
   * index, not copied), its alerts and its band; undefined while its series are catching up.
   */
  function metricAt(def: MetricDef, budget?: number) {
    const computed = seriesOf(def, budget);
    if (!computed) return undefined;
    const all = computed.map((s) => ({ ...s, end: lastIndexAtOrBefore(s.points, playheadT) + 1 }));
    const th = thresholds[def.id];
    // Crossings stop at the playhead themselves.
    const alerts = th ? thresholdCrossings(all, th, playheadT) : [];
    const primary = all.find((s) => s.end > 0);
    // A metric that cannot go negative (counts, rates) gets no band below zero (see `bands`).
    const band = primary ? bandOf(def.id, primary.id, primary.points) : { band: [], end: 0, key: '' };
    return { all, th, alerts, primary, band };
  }

  /**
   * Draws one metric's card (the drawing, not the table); false while its series are catching
   * up (the card keeps its drawing until they have).
   */
  function drawCard(def: MetricDef): boolean {
    const m = model!;
    const at = metricAt(def);
    if (!at) return false;
    const { all, th, alerts, primary, band } = at;
    const c = cards.get(def.id)!;
    const width = Math.max(240, c.size.width - 18);
    drawLineChart(c.svg, {
      width,
      height: 104,
      xDomain: xDomain.of(m),
      series: all.map((s, i) => ({ id: s.id, label: s.label, points: s.points, end: s.end, color: seriesVar(i), ...(DASHES[i % DASHES.length] ? { dash: DASHES[i % DASHES.length]! } : {}), ...(def.dots ? { dots: true } : {}), ...(def.step ? { step: true } : {}) })),
      band: band.band,
      bandEnd: band.end,
      // The series are causal and the model grows at its end only: their past stays.
      history: `${modelSerial}|${band.key}`,
      ...(th ? { threshold: th.value } : {}),
      alerts: alerts.map((a) => ({ from: a.from, to: a.to ?? playheadT })),
      playheadT,
      yFormat: def.axis ?? def.format,
      ...(options.onSeek ? { onSeek: options.onSeek } : {}),
    });
    setHtmlIfChanged(
      c.legend,
      all
        .map((s, i) => `<span><svg width="18" height="6"><line x1="0" x2="18" y1="3" y2="3" stroke="${seriesVar(i)}" stroke-width="2" ${DASHES[i % DASHES.length] ? `stroke-dasharray="${DASHES[i % DASHES.length]}"` : ''}/></svg>${escapeHtml(s.label)}</span>`)
        .concat(primary && band.end > 0 ? [`<span>band: ${escapeHtml(primary.label)}</span>`] : [])
        .join(''),
    );
    const alerted = String(alerts.length > 0);
    if (c.card.dataset.alert !== alerted) c.card.dataset.alert = alerted;
    const badge = alerts.length ? `⚠ ${alerts.length} alert${alerts.length === 1 ? '' : 's'}` : '';
    if (c.badge.textContent !== badge) c.badge.textContent = badge;
    setHtmlIfChanged(c.alerts, alerts.map((a) => `<li>${escapeHtml(alertText(def.metric, a, th!, def.format))}</li>`).join(''));
    const latest = all.map((s) => (s.end > 0 ? `${s.label} ${def.format(s.points[s.end - 1]!.v)}` : '')).filter(Boolean);
    c.card.setAttribute('aria-label', `${def.title} at ${formatClock(playheadT)}: ${latest.join(', ') || 'no data yet'}${alerts.length ? `; ${alerts.length} alert(s)` : ''}`);
    return true;
  }

  /**
   * Draws the panel: the four cards in slices (one task need not hold all four charts), also at
   * the run's end, when every card rescales to the whole run.
   */
  function draw(force = true): void {
    if (!model) return;
    const m = model;
    const key = drawKey(m);
    if (force) sliced.invalidate();
    else if (sliced.isDrawn(key) || key === tableKey) return;
    if (!frame.isTable()) {
      tableKey = '';
      sliced.run(key, true);
      return;
    }
    sliced.cancel();
    sliced.invalidate();
    tableKey = key;
    const tables: string[] = [];
    for (const def of METRICS) {
      const { all, th, alerts } = metricAt(def, Number.POSITIVE_INFINITY)!;
      const rows = all.flatMap((s) => clipAt(s.points, playheadT).map((p) => `<tr><td>${escapeHtml(s.label)}</td><td class="num">${formatClock(p.t)}</td><td class="num">${def.format(p.v)}</td></tr>`));
      tables.push(`<table><caption>${def.title}: ${escapeHtml(def.means)}</caption><thead><tr><th>Series</th><th class="num">Time</th><th class="num">Value</th></tr></thead><tbody>${rows.join('') || '<tr><td colspan="3">No data yet</td></tr>'}</tbody></table>${alerts.length ? `<ul>${alerts.map((a) => `<li>${escapeHtml(alertText(def.metric, a, th!, def.format))}</li>`).join('')}</ul>` : ''}`);
    }
    frame.table.innerHTML = tables.join('');
  }

  const live = new LiveThrottle(LIVE_DRAW_MS, () => draw(false));

  return {
    update(next, t) {
      const fresh = next !== model;
      model = next;
      playheadT = t;
      if (fresh) {
        sliced.invalidate();
        series.clear();
        modelSerial++;
        xDomain.reset();
      }
      // While a run is live, at most one draw per LIVE_DRAW_MS (the latest one comes after it).
      live.request(!fresh && !next.finished);
    },
    setTable: (table) => frame.setTable(table),
    getThresholds: () => thresholds,
    setThresholds(next) {
      thresholds = { ...next };
      syncInputs();
      draw();
    },
    destroy() {
      live.cancel();
      sliced.cancel();
      resize.disconnect();
      for (const c of cards.values()) c.size.disconnect();
      frame.destroy();
    },
  };
}

export const metricsPanel: PanelFactory = (el, options) => createMetricsView(el, options);
