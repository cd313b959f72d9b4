// The checkpoints and recovery panel: a timeline with attempts as bands, each checkpoint as a
// span from trigger to completion labelled with its id and size, acknowledgements as ticks,
// crashes and restores as marks, and the playhead; below it each recovery in words.
// Invariant: shows what had happened by the playhead; shapes and words back every colour.

import * as d3 from 'd3';
import type { PanelFactory, PanelOptions, PanelView } from '../panel.ts';
import type { CrashMark, RunModel } from '../run-model.ts';
import { setHtmlIfChanged } from '../html-if-changed.ts';
import { HeldTimeDomain } from '../held-time-domain.ts';
import { LiveThrottle } from '../live-throttle.ts';
import { observeSize } from '../element-size.ts';
import { cssVar } from '../theme.ts';
import { createPanelFrame, escapeHtml } from '../dataflow/panel-frame.ts';
import { clockTicks, formatClock, formatCount, formatDuration } from '../metrics/time-format.ts';
import { attemptBandsAt, checkpointBarsAt, recoveriesAt, type AttemptBand, type CheckpointBar, type Recovery } from './checkpoint-model.ts';
import { humanSize } from './human-size.ts';
import { estimateWidth, placeLabels } from './label-rows.ts';

const M = { left: 96, right: 16, top: 22 };
const ROW = { labels: 30, bars: 64, acks: 92, marks: 132, markLabels: 152, axis: 196 };

/**
 * Milliseconds between redraws of the timeline's marks while a run is live and its scale holds:
 * a checkpoint's trigger, acknowledgements and end each change them (the playhead moves at every frame).
 */
const LIVE_MARKS_MS = 200;

const STATUS_TEXT: Record<CheckpointBar['status'], string> = { completed: 'completed', failed: 'failed', aborted: 'aborted by a crash', inFlight: 'in flight' };

function barLabel(b: CheckpointBar): string {
  if (b.status === 'completed' && b.incremental && b.size !== undefined) return `#${b.id} Δ ${humanSize(b.size)}`;
  if (b.status === 'completed') return `#${b.id} ${b.size !== undefined ? humanSize(b.size) : ''}`.trim();
  if (b.status === 'failed') return `#${b.id} ✕ failed`;
  if (b.status === 'aborted') return `#${b.id} aborted`;
  return `#${b.id} …`;
}

/** One recovery in a sentence, for the list under the timeline and the table. */
export function recoveryText(r: Recovery, recordsSkipped: number): string {
  const parts = [`Attempt ${r.attempt} began at ${formatClock(r.t)}`];
  if (r.crash) parts[0] += ` after “${r.crash.reason}” at ${formatClock(r.crash.t)}`;
  parts.push(
    r.restoredFrom === null
      ? 'no checkpoint had completed, so it started over from the beginning'
      : `restored checkpoint ${r.restoredFrom}${r.checkpointT !== undefined ? ` (taken at ${formatClock(r.checkpointT)}${r.checkpointSize !== undefined ? `, ${humanSize(r.checkpointSize)}` : ''})` : ''}`,
  );
  parts.push(`the sources rewound to processing time ${formatClock(r.rewoundToPt)}`);
  const per = r.replays.filter((x) => x.replayed > 0).map((x) => `${x.source}/${x.partition}: ${x.replayed} up to offset ${x.reachedOffset}`);
  parts.push(`${formatCount(r.replayedTotal)} record${r.replayedTotal === 1 ? '' : 's'} read again so far${per.length ? ` (${per.join('; ')})` : ''}${recordsSkipped > 0 ? ', counting sampled records only' : ''}`);
  return `${parts.join('; ')}.`;
}

/** Creates the checkpoint and recovery panel in `el`. */
export function createCheckpointView(el: HTMLElement, options: PanelOptions = {}): PanelView {
  let model: RunModel | undefined;
  let playheadT = 0;
  const frame = createPanelFrame(el, 'Checkpoints and recovery', options.table ?? false, () => draw());
  frame.tools.innerHTML = `<span>▬ checkpoint (id, size; Δ incremental) · ▨ failed · ┆ aborted · | acknowledgement · ✕ crash · ▲ restore · bands: attempts</span>`;
  const svgEl = d3.select(frame.drawing).append('svg').attr('aria-hidden', 'true');
  const notes = frame.drawing.appendChild(document.createElement('div'));
  notes.style.padding = '0 8px 8px';
  const resize = observeSize(frame.drawing, () => draw());

  /** Held while the run grows (as the metrics cards'), so the marks are redrawn a few times over a run, not at every frame. */
  const xDomain = new HeldTimeDomain();
  /** The timeline's scale as last drawn (clicks seek through it). */
  let x = d3.scaleLinear();
  /** The last attempt's band, which reaches the playhead: redrawn with it, under the marks. */
  const lastBand = svgEl.append('g');
  const marksLayer = svgEl.append('g');
  const playhead = svgEl.append('line').attr('class', 'bk-playhead').attr('y1', M.top - 14).attr('y2', ROW.axis);
  const onSeek = options.onSeek;
  if (onSeek) {
    svgEl.style('cursor', 'crosshair').on('click', (event: MouseEvent) => {
      const px = d3.pointer(event)[0];
      if (px >= M.left) onSeek(Math.round(x.invert(px)));
    });
  }

  /** What the timeline shows of `m` at the playhead, and the keys its marks are drawn for. */
  function timelineOf(m: RunModel) {
    const width = Math.max(320, resize.width - 2);
    const domain = xDomain.of(m);
    const bands = attemptBandsAt(m, playheadT);
    const bars = checkpointBarsAt(m, playheadT);
    const crashes = m.crashes.filter((c) => c.t <= playheadT);
    const recoveries = recoveriesAt(m, playheadT);
    return {
      width, domain, bands, bars, crashes, recoveries,
      scaleKey: `${width}|${domain[0]}|${domain[1]}`,
      // The last band ends at the playhead: drawn with it, so it is not part of the marks' key.
      marksKey: JSON.stringify([bands.slice(0, -1), bars, crashes.length, recoveries.map((r) => [r.t, r.restoredFrom, r.replayedTotal])]),
    };
  }

  /** What the marks were last drawn for: the scale (width and domain), and what they show. */
  let scaleKey = '';
  let marksKey = '';
  /** While live, the marks are redrawn at most every LIVE_MARKS_MS for what they show (at once for a new scale). */
  const marksThrottle = new LiveThrottle(LIVE_MARKS_MS, () => {
    if (model) drawMarksAndPlayhead(model);
  });

  function drawTimeline(m: RunModel): void {
    const now = timelineOf(m);
    if (now.scaleKey !== scaleKey) marksThrottle.drawNow();
    else if (now.marksKey !== marksKey) marksThrottle.request(!m.finished);
    drawPlayhead(now);
    const done = now.bars.filter((b) => b.status === 'completed').length;
    frame.drawing.setAttribute('aria-label', `Checkpoints at ${formatClock(playheadT)}: ${now.bars.length} triggered, ${done} completed, ${now.bars.length - done} not; ${now.crashes.length} crash(es); ${now.bands.length} attempt(s).`);
  }

  function drawMarksAndPlayhead(m: RunModel): void {
    const now = timelineOf(m);
    scaleKey = now.scaleKey;
    marksKey = now.marksKey;
    svgEl.attr('width', now.width).attr('height', ROW.axis + 24);
    x = d3.scaleLinear().domain(now.domain).range([M.left, now.width - M.right]);
    drawMarks(now.width, now.bands.slice(0, -1), now.bars, now.crashes, now.recoveries);
    drawPlayhead(now);
  }

  /** The playhead and the last attempt's band, which reaches it, on the scale the marks were drawn with. */
  function drawPlayhead(now: ReturnType<typeof timelineOf>): void {
    lastBand.selectAll('*').remove();
    if (now.bands.length > 0) drawBand(lastBand, now.bands.at(-1)!, now.bands.length - 1);
    playhead.attr('display', playheadT >= now.domain[0] ? null : 'none').attr('x1', x(playheadT)).attr('x2', x(playheadT));
  }

  /** Attempt band `b`, the `i`th, into `g`: shaded alternately, labelled where the label fits. */
  function drawBand(g: d3.Selection<SVGGElement, unknown, null, undefined>, b: AttemptBand, i: number): void {
    g.append('rect').attr('x', x(b.fromT)).attr('width', Math.max(1, x(b.toT) - x(b.fromT))).attr('y', M.top - 14).attr('height', ROW.axis - M.top + 14).attr('fill', cssVar(i % 2 ? 'bandAlt' : 'band'));
    const label = `attempt ${b.attempt}${b.restoredFrom !== null ? ` (from ${b.fromSavepoint ? 'savepoint ' : ''}#${b.restoredFrom})` : b.attempt > 1 ? ' (from scratch)' : ''}`;
    if (x(b.toT) - x(b.fromT) > estimateWidth(label)) g.append('text').attr('x', x(b.fromT) + 4).attr('y', M.top - 3).attr('font-size', 11).attr('class', 'bk-muted').text(label);
  }

  /** Everything on the timeline but the last attempt's band and the playhead, on the scale `x`. */
  function drawMarks(width: number, bands: readonly AttemptBand[], bars: readonly CheckpointBar[], crashes: readonly CrashMark[], recoveries: readonly Recovery[]): void {
    marksLayer.selectAll('*').remove();
    const defs = marksLayer.append('defs');
    defs
      .append('pattern')
      .attr('id', 'bk-cp-hatch')
      .attr('patternUnits', 'userSpaceOnUse')
      .attr('width', 6)
      .attr('height', 6)
      .attr('patternTransform', 'rotate(45)')
      .append('rect')
      .attr('width', 2)
      .attr('height', 6)
      .attr('fill', cssVar('crash'));
    const g = marksLayer.append('g');
    bands.forEach((b, i) => drawBand(g, b, i));
    for (const [y, text] of [[ROW.bars + 4, 'checkpoints'], [ROW.acks + 4, 'acks'], [ROW.marks + 4, 'crash/restore']] as const) {
      g.append('text').attr('x', 8).attr('y', y).attr('font-size', 11).attr('class', 'bk-muted').text(text);
    }
    const labelTexts = bars.map(barLabel);
    // Labels start at their mark, shifted left where they would run off the right edge.
    const labelX = (at: number, text: string) => Math.min(at, width - M.right - estimateWidth(text));
    const rows = placeLabels(bars.map((b, i) => ({ x: labelX(x(b.startT), labelTexts[i]!), width: estimateWidth(labelTexts[i]!) })), 2);
    bars.forEach((b, i) => {
      const x0 = x(b.startT);
      const w = Math.max(4, x(b.endT) - x0);
      const bar = g.append('rect').attr('x', x0).attr('y', ROW.bars - 8).attr('width', w).attr('height', 16).attr('rx', 2);
      if (b.status === 'completed') bar.attr('fill', cssVar('checkpoint'));
      else if (b.status === 'failed') bar.attr('fill', 'url(#bk-cp-hatch)').attr('stroke', cssVar('crash'));
      else bar.attr('fill', 'none').attr('stroke', cssVar('checkpoint')).attr('stroke-width', 1.5).attr('stroke-dasharray', b.status === 'aborted' ? '3 2' : null);
      bar.append('title').text(`Checkpoint ${b.id} (attempt ${b.attempt}): ${STATUS_TEXT[b.status]}; triggered ${formatClock(b.startT)}, ${b.status === 'inFlight' ? 'running' : `ended ${formatClock(b.endT)}`} (${formatDuration(b.endT - b.startT)}); ${b.acks.length}/${b.subtasks} acks${b.size !== undefined ? `; ${humanSize(b.size)}${b.incremental ? ` written as deltas (a restore reads ${humanSize(b.fullSize ?? b.size)})` : ''}` : ''}${b.failure ? `; ${b.failure}` : ''}`);
      if (rows[i]! >= 0) {
        g.append('text').attr('x', labelX(x0, labelTexts[i]!)).attr('y', ROW.labels - rows[i]! * 13 + 12).attr('font-size', 11).attr('fill', b.status === 'failed' ? cssVar('crash') : null).text(labelTexts[i]!);
      }
      for (const t of b.acks) g.append('line').attr('x1', x(t)).attr('x2', x(t)).attr('y1', ROW.acks - 7).attr('y2', ROW.acks + 7).attr('stroke', cssVar('checkpoint')).attr('stroke-width', 1.5);
    });
    const marks: { t: number; text: string; kind: 'crash' | 'restore' }[] = [];
    for (const c of crashes) marks.push({ t: c.t, text: `✕ ${c.reason.replace(/^Crash: /, '')}`, kind: 'crash' });
    for (const r of recoveries) marks.push({ t: r.t, text: `▲ ${r.restoredFrom === null ? 'restart from scratch' : `restored #${r.restoredFrom}`} · ${formatCount(r.replayedTotal)} replayed`, kind: 'restore' });
    marks.sort((a, b) => a.t - b.t || (a.kind === 'crash' ? -1 : 1));
    const markRows = placeLabels(marks.map((mk) => ({ x: labelX(x(mk.t), mk.text), width: estimateWidth(mk.text) })), 2);
    marks.forEach((mk, i) => {
      const cx = x(mk.t);
      const color = cssVar(mk.kind);
      if (mk.kind === 'crash') {
        g.append('line').attr('x1', cx).attr('x2', cx).attr('y1', M.top - 14).attr('y2', ROW.axis).attr('stroke', color).attr('stroke-width', 1.5).attr('stroke-dasharray', '4 3');
        g.append('path').attr('d', d3.symbol(d3.symbolX, 90)()).attr('transform', `translate(${cx},${ROW.marks})`).attr('stroke', color).attr('stroke-width', 2.5);
      } else {
        g.append('path').attr('d', d3.symbol(d3.symbolTriangle, 80)()).attr('transform', `translate(${cx + 7},${ROW.marks})`).attr('fill', color);
      }
      if (markRows[i]! >= 0) g.append('text').attr('x', labelX(cx, mk.text)).attr('y', ROW.markLabels + markRows[i]! * 14 + 6).attr('font-size', 11).attr('fill', color).text(mk.text);
      else g.append('title').text(mk.text);
    });
    g.append('g').attr('transform', `translate(0,${ROW.axis})`).call(d3.axisBottom(x).tickValues(clockTicks(x.domain()[0]!, x.domain()[1]!, Math.max(2, Math.floor(width / 90)))).tickFormat((d) => formatClock(Number(d))));
  }

  function tableHtml(m: RunModel): string {
    const bars = checkpointBarsAt(m, playheadT);
    const rows = bars.map(
      (b) => `<tr><td class="num">${b.id}</td><td class="num">${b.attempt}</td><td>${STATUS_TEXT[b.status]}</td><td class="num">${formatClock(b.startT)}</td><td class="num">${b.status === 'inFlight' ? '–' : formatClock(b.endT)}</td><td class="num">${formatDuration(b.endT - b.startT)}</td><td class="num">${b.size !== undefined ? `${b.incremental ? 'Δ ' : ''}${humanSize(b.size)}${b.incremental && b.fullSize !== undefined ? ` (restore reads ${humanSize(b.fullSize)})` : ''}` : '–'}</td><td class="num">${b.acks.length}/${b.subtasks}</td><td>${escapeHtml(b.failure ?? '')}</td></tr>`,
    );
    const crashes = m.crashes.filter((c) => c.t <= playheadT).map((c) => `<tr><td class="num">${formatClock(c.t)}</td><td class="num">${c.attempt}</td><td>${escapeHtml(c.reason)}</td></tr>`);
    const recoveries = recoveriesAt(m, playheadT).map((r) => `<li>${escapeHtml(recoveryText(r, m.recordsSkipped))}</li>`);
    return `
      <table><caption>Checkpoints by ${formatClock(playheadT)}</caption><thead><tr><th class="num">Id</th><th class="num">Attempt</th><th>Status</th><th class="num">Triggered</th><th class="num">Ended</th><th class="num">Duration</th><th class="num">Size</th><th class="num">Acks</th><th>Failure</th></tr></thead><tbody>${rows.join('') || '<tr><td colspan="9">None yet (runs without a checkpoint interval take none)</td></tr>'}</tbody></table>
      <table><caption>Crashes</caption><thead><tr><th class="num">Time</th><th class="num">Attempt</th><th>Reason</th></tr></thead><tbody>${crashes.join('') || '<tr><td colspan="3">None</td></tr>'}</tbody></table>
      <h3 style="font-size:13px">Recoveries</h3><ul>${recoveries.join('') || '<li>None</li>'}</ul>`;
  }

  /** What the last draw showed; an update that changes none of it draws nothing. */
  let drawn = '';

  function draw(force = true): void {
    if (!model) return;
    const key = `${model.version}|${playheadT}|${frame.isTable()}|${resize.width}`;
    if (!force && key === drawn) return;
    drawn = key;
    if (frame.isTable()) {
      frame.table.innerHTML = tableHtml(model);
      return;
    }
    drawTimeline(model);
    const recoveries = recoveriesAt(model, playheadT);
    const none = model.checkpoints.length === 0 ? '<p class="bk-empty" style="padding:4px 0">No checkpoints in this run: set a checkpoint interval to take them.</p>' : '';
    setHtmlIfChanged(notes, `${none}${recoveries.map((r) => `<p style="margin:4px 0">${escapeHtml(recoveryText(r, model!.recordsSkipped))}</p>`).join('')}`);
  }

  return {
    update(m, t) {
      const fresh = m !== model;
      if (fresh) {
        xDomain.reset();
        scaleKey = ''; // another run: its marks are drawn at once
      }
      model = m;
      playheadT = t;
      draw(fresh);
    },
    setTable: (table) => frame.setTable(table),
    destroy() {
      marksThrottle.cancel();
      resize.disconnect();
      frame.destroy();
    },
  };
}

export const checkpointPanel: PanelFactory = (el, options) => createCheckpointView(el, options);
