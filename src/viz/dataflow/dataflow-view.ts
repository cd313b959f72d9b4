// The dataflow graph panel: a box per operator with a row per subtask (counts, rate, watermark,
// queue), channels labelled with partitioning and the watermark they carry, and the barriers of
// a checkpoint in flight. ELK places the boxes once per operator list; every update only
// rewrites numbers. Invariant: shows the run as it was at the playhead.

import * as d3 from 'd3';
import type { PanelFactory, PanelOptions, PanelView } from '../panel.ts';
import type { RunModel } from '../run-model.ts';
import { observeSize } from '../element-size.ts';
import { cssVar } from '../theme.ts';
import { barrierProgress, checkpointsInFlight, type BarrierProgress, type SubtaskBarrier } from './barrier-progress.ts';
import { dataflowTableHtml } from './dataflow-table.ts';
import { BOX, cachedLayout, slotsShown, warmUpLayout, type GraphLayout } from './graph-layout.ts';
import { edgeWatermark, graphOf, graphSignature, subtaskKey, subtaskStatsAt, type DataflowGraph, type GraphNode, type SubtaskStats } from './graph-model.ts';
import { createPanelFrame } from './panel-frame.ts';
import { formatClock, formatCount } from '../metrics/time-format.ts';

/** Below this the drawing scrolls sideways instead of shrinking further. */
const MIN_SCALE = 0.72;

const BARRIER_TEXT: Record<SubtaskBarrier['status'], string> = {
  waiting: '○ waiting',
  injected: '◆ injected',
  received: '◐ received',
  aligned: '◑ aligned',
  acknowledged: '● acked',
};

/** Sources only emit and sinks only take in: show the counter that means something. */
function countsText(kind: GraphNode['kind'] | undefined, st: SubtaskStats | undefined): string {
  if (!st) return 'no sample yet';
  if (kind === 'source') return `read ${formatCount(st.recordsOut)}`;
  if (kind === 'sink') return `in ${formatCount(st.recordsIn)}`;
  return `in ${formatCount(st.recordsIn)}  out ${formatCount(st.recordsOut)}`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Creates the dataflow graph panel in `el`. */
export function createDataflowView(el: HTMLElement, options: PanelOptions = {}): PanelView {
  let model: RunModel | undefined;
  let playheadT = 0;
  let signature = '';
  let graph: DataflowGraph = { nodes: [], edges: [] };
  let layout: GraphLayout | undefined;
  let maxQueued = 0;
  let queuedVersion = -1;
  const frame = createPanelFrame(el, 'Dataflow graph', options.table ?? false, () => draw());
  const legend = frame.tools;
  legend.innerHTML = `<span>Rows are subtasks: records in/out, rate, watermark (wm), queue. Shaded rows are backed up.</span>`;
  const svg = d3.select(frame.drawing).append('svg').attr('aria-hidden', 'true');
  const defs = svg.append('defs');
  defs
    .append('marker')
    .attr('id', 'bk-df-arrow')
    .attr('viewBox', '0 0 10 10')
    .attr('refX', 9)
    .attr('refY', 5)
    .attr('markerUnits', 'userSpaceOnUse')
    .attr('markerWidth', 9)
    .attr('markerHeight', 9)
    .attr('orient', 'auto-start-reverse')
    .append('path')
    .attr('d', 'M0,0L10,5L0,10z')
    .attr('fill', cssVar('muted'));
  const scene = svg.append('g');
  const resize = observeSize(frame.drawing, () => draw());
  // ELK's first layout is slow (cold code): have it done before a run needs one.
  void warmUpLayout();

  function ensureLayout(m: RunModel): void {
    const sig = graphSignature(m.operators);
    if (sig === signature) return;
    signature = sig;
    graph = graphOf(m.operators);
    layout = undefined;
    if (graph.nodes.length === 0) return;
    void cachedLayout(sig, graph).then((l) => {
      if (sig !== signature) return;
      layout = l;
      buildScene();
      draw();
    });
  }

  /** The most any subtask ever queued, so shading compares like with like across the run. */
  function queueScaleMax(m: RunModel): number {
    if (queuedVersion === m.version) return maxQueued;
    queuedVersion = m.version;
    maxQueued = 0;
    for (const s of m.metrics) for (const st of s.subtasks) maxQueued = Math.max(maxQueued, st.queued);
    return maxQueued;
  }

  function buildScene(): void {
    scene.selectAll('*').remove();
    if (!layout) return;
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const edges = scene.append('g').attr('class', 'bk-df-edges');
    for (const e of graph.edges) {
      const route = layout.edges.get(e.id);
      if (!route) continue;
      const g = edges.append('g').attr('data-edge', e.id);
      g.append('path')
        .attr('d', d3.line<{ x: number; y: number }>().x((p) => p.x).y((p) => p.y)(route.points as { x: number; y: number }[]))
        .attr('fill', 'none')
        .attr('stroke', cssVar('muted'))
        .attr('stroke-width', e.partitioning === 'forward' ? 1.5 : 2)
        .attr('stroke-dasharray', e.sideOutput !== undefined ? '5 4' : e.partitioning === 'broadcast' ? '2 3' : null)
        .attr('marker-end', 'url(#bk-df-arrow)');
      if (route.label) {
        const lg = g.append('g').attr('transform', `translate(${route.label.x},${route.label.y})`);
        lg.append('rect').attr('width', BOX.labelWidth).attr('height', BOX.labelHeight).attr('rx', 4).attr('fill', cssVar('surface')).attr('stroke', cssVar('grid'));
        lg.append('text')
          .attr('x', BOX.labelWidth / 2)
          .attr('y', 14)
          .attr('text-anchor', 'middle')
          .attr('font-size', 11)
          .attr('font-weight', 600)
          .text(e.sideOutput !== undefined ? `side: ${truncate(e.sideOutput, 10)}` : e.partitioning);
        lg.append('text').attr('class', 'bk-df-edge-wm bk-mono').attr('x', BOX.labelWidth / 2).attr('y', 28).attr('text-anchor', 'middle').attr('font-size', 11).attr('fill', cssVar('watermark'));
        lg.append('title').text(`${byId.get(e.from)?.name} → ${byId.get(e.to)?.name}: ${e.partitioning}`);
      }
    }
    const nodes = scene.append('g').attr('class', 'bk-df-nodes');
    for (const n of graph.nodes) {
      const box = layout.nodes.get(n.id);
      if (!box) continue;
      const g = nodes.append('g').attr('data-node', n.id).attr('transform', `translate(${box.x},${box.y})`);
      g.append('rect').attr('width', box.width).attr('height', box.height).attr('rx', 8).attr('fill', cssVar('surface')).attr('stroke', n.kind === 'operator' ? cssVar('axis') : cssVar('accent')).attr('stroke-width', 1.5);
      g.append('title').text(`${n.name} (${n.id}): ${n.kind}, parallelism ${n.parallelism}`);
      g.append('text').attr('x', 10).attr('y', 17).attr('font-weight', 600).attr('font-size', 13).text(truncate(n.name, 30));
      g.append('text').attr('class', 'bk-muted').attr('x', 10).attr('y', 32).attr('font-size', 11).text(`${n.kind} · ${n.parallelism} subtask${n.parallelism === 1 ? '' : 's'}`);
      const shown = slotsShown(n.parallelism);
      for (let s = 0; s < shown; s++) slot(g, n, s, box.width);
      if (shown < n.parallelism) {
        const y = BOX.header + shown * BOX.slot;
        g.append('text').attr('class', 'bk-df-more bk-muted').attr('x', 10).attr('y', y + 16).attr('font-size', 11);
      }
    }
  }

  function slot(g: d3.Selection<SVGGElement, unknown, null, undefined>, n: GraphNode, s: number, width: number): void {
    const y = BOX.header + s * BOX.slot;
    const row = g.append('g').attr('data-slot', subtaskKey(n.id, s)).attr('transform', `translate(4,${y})`);
    const w = width - 8;
    row.append('rect').attr('class', 'bk-df-slot').attr('width', w).attr('height', BOX.slot - 3).attr('rx', 4).attr('fill', cssVar('late')).attr('fill-opacity', 0).attr('stroke', cssVar('grid'));
    row.append('rect').attr('class', 'bk-df-queue').attr('x', 0).attr('y', BOX.slot - 6).attr('height', 3).attr('width', 0).attr('fill', cssVar('dropped'));
    row.append('text').attr('class', 'bk-mono').attr('x', 6).attr('y', 15).attr('font-size', 11).attr('font-weight', 600).text(`#${s}`);
    row.append('text').attr('class', 'bk-df-counts bk-mono').attr('x', 28).attr('y', 15).attr('font-size', 11);
    row.append('text').attr('class', 'bk-df-rate bk-mono').attr('x', w - 6).attr('y', 15).attr('text-anchor', 'end').attr('font-size', 11);
    row.append('text').attr('class', 'bk-df-wm bk-mono').attr('x', 28).attr('y', 30).attr('font-size', 11).attr('fill', cssVar('watermark'));
    row.append('text').attr('class', 'bk-df-q bk-mono').attr('x', w - 6).attr('y', 30).attr('text-anchor', 'end').attr('font-size', 11);
    row.append('text').attr('class', 'bk-df-barrier').attr('x', w - 70).attr('y', 30).attr('text-anchor', 'end').attr('font-size', 11).attr('fill', cssVar('checkpoint'));
  }

  function updateScene(stats: Map<string, SubtaskStats>, barriers: BarrierProgress | undefined, qMax: number): void {
    if (!layout) return;
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const shade = (q: number) => (q <= 0 || qMax <= 0 ? 0 : 0.12 + 0.5 * (Math.log1p(q) / Math.log1p(qMax)));
    scene.selectAll<SVGGElement, unknown>('[data-slot]').each(function () {
      const key = this.dataset.slot!;
      const st = stats.get(key);
      const node = byId.get(key.slice(0, key.lastIndexOf('#')));
      const row = d3.select(this);
      const width = (layout!.nodes.get(node?.id ?? '')?.width ?? BOX.width) - 8;
      const q = st?.queued ?? 0;
      row.select('.bk-df-slot').attr('fill-opacity', shade(q));
      row.select('.bk-df-queue').attr('width', qMax > 0 && q > 0 ? Math.max(4, (width * Math.log1p(q)) / Math.log1p(qMax)) : 0);
      row.select('.bk-df-counts').text(countsText(node?.kind, st));
      const r = node?.kind === 'sink' ? st?.inRate : st?.outRate;
      row.select('.bk-df-rate').text(r === undefined ? '' : `${formatCount(r)}/s`);
      row.select('.bk-df-wm').text(`wm ${st?.watermark === undefined ? '–' : formatClock(st.watermark)}`);
      row.select('.bk-df-q').text(`queue ${formatCount(q)}`).attr('font-weight', q > 0 ? 700 : 400);
      const b = barriers?.subtasks.get(key);
      row.select('.bk-df-barrier').text(b ? `${BARRIER_TEXT[b.status]}${b.status === 'received' ? ` ${b.channels}` : ''}` : '');
    });
    scene.selectAll<SVGTextElement, unknown>('.bk-df-more').each(function () {
      const id = (this.parentNode as SVGGElement).dataset.node!;
      const n = byId.get(id)!;
      let inn = 0;
      let out = 0;
      let q = 0;
      for (let s = slotsShown(n.parallelism); s < n.parallelism; s++) {
        const st = stats.get(subtaskKey(id, s));
        inn += st?.recordsIn ?? 0;
        out += st?.recordsOut ?? 0;
        q = Math.max(q, st?.queued ?? 0);
      }
      d3.select(this).text(`+${n.parallelism - slotsShown(n.parallelism)} more: in ${formatCount(inn)} out ${formatCount(out)} · max queue ${q} (Table)`);
    });
    scene.selectAll<SVGGElement, unknown>('[data-edge]').each(function () {
      const e = graph.edges.find((x) => x.id === this.dataset.edge);
      const from = e && byId.get(e.from);
      const w = e && from ? edgeWatermark(e, from, stats) : undefined;
      d3.select(this).select('.bk-df-edge-wm').text(`wm ${w === undefined ? '–' : formatClock(w)}`);
    });
  }

  function describe(stats: Map<string, SubtaskStats>, barriers: BarrierProgress | undefined): string {
    const parts = graph.nodes.map((n) => {
      let out = 0;
      let q = 0;
      for (let s = 0; s < n.parallelism; s++) {
        const st = stats.get(subtaskKey(n.id, s));
        out += n.kind === 'sink' ? (st?.recordsIn ?? 0) : (st?.recordsOut ?? 0);
        q += st?.queued ?? 0;
      }
      return `${n.name}: ${n.parallelism} subtask${n.parallelism === 1 ? '' : 's'}, ${formatCount(out)} records ${n.kind === 'sink' ? 'written' : 'out'}${q ? `, ${q} queued` : ''}`;
    });
    const cp = barriers ? ` Checkpoint ${barriers.checkpointId} in flight.` : '';
    return `Dataflow graph at ${formatClock(playheadT)}: ${parts.join('; ')}.${cp} Switch to Table for every number.`;
  }

  /** What the last draw showed; an update that changes none of it draws nothing. */
  let drawn = '';

  function draw(force = true): void {
    if (!model) return;
    const key = `${model.version}|${playheadT}|${frame.isTable()}|${resize.width}|${layout !== undefined}`;
    if (!force && key === drawn) return;
    drawn = key;
    const stats = subtaskStatsAt(model, playheadT);
    const inFlight = checkpointsInFlight(model, playheadT).at(-1);
    const barriers = inFlight ? barrierProgress(model, inFlight, playheadT) : undefined;
    if (frame.isTable()) {
      frame.table.innerHTML = dataflowTableHtml(graph, stats, barriers, playheadT);
      return;
    }
    frame.drawing.setAttribute('aria-label', graph.nodes.length ? describe(stats, barriers) : 'Dataflow graph: no job has started yet');
    if (!layout) {
      svg.attr('width', 0).attr('height', 0);
      return;
    }
    const available = Math.max(1, resize.width);
    const scale = Math.max(MIN_SCALE, Math.min(1, available / layout.width));
    svg.attr('width', layout.width * scale).attr('height', layout.height * scale).attr('viewBox', `0 0 ${layout.width} ${layout.height}`);
    updateScene(stats, barriers, queueScaleMax(model));
  }

  return {
    update(m, t) {
      const fresh = m !== model;
      model = m;
      playheadT = t;
      ensureLayout(m);
      draw(fresh);
    },
    setTable: (table) => frame.setTable(table),
    destroy() {
      resize.disconnect();
      frame.destroy();
    },
  };
}

export const dataflowPanel: PanelFactory = (el, options) => createDataflowView(el, options);
