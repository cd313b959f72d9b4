// The dataflow graph's table alternative: one row per operator subtask with the same numbers
// the boxes show, plus each channel's partitioning and watermark. Invariant: plain HTML text,
// every value escaped.

import type { BarrierProgress } from './barrier-progress.ts';
import { edgeWatermark, subtaskKey, type DataflowGraph, type SubtaskStats } from './graph-model.ts';
import { escapeHtml } from './panel-frame.ts';
import { formatClock, formatCount } from '../metrics/time-format.ts';

const rateText = (r: number | undefined) => (r === undefined ? '–' : `${formatCount(r)}/s`);

/** The HTML of the operators × subtasks table and the channels table. */
export function dataflowTableHtml(graph: DataflowGraph, stats: ReadonlyMap<string, SubtaskStats>, barriers: BarrierProgress | undefined, playheadT: number): string {
  if (graph.nodes.length === 0) return '<p class="bk-empty">No job has started yet.</p>';
  const barrierHead = barriers ? `<th>Checkpoint ${barriers.checkpointId}</th>` : '';
  const rows = graph.nodes.flatMap((n) =>
    Array.from({ length: n.parallelism }, (_, s) => {
      const key = subtaskKey(n.id, s);
      const st = stats.get(key);
      const b = barriers?.subtasks.get(key);
      const cells = [
        `<th scope="row">${escapeHtml(n.name)} <span class="bk-muted">(${n.kind})</span></th>`,
        `<td class="num">${s}</td>`,
        `<td class="num">${formatCount(st?.recordsIn ?? 0)}</td>`,
        `<td class="num">${formatCount(st?.recordsOut ?? 0)}</td>`,
        `<td class="num">${rateText(st?.inRate)}</td>`,
        `<td class="num">${rateText(st?.outRate)}</td>`,
        `<td class="num">${st?.watermark === undefined ? '–' : formatClock(st.watermark)}</td>`,
        `<td class="num">${formatCount(st?.queued ?? 0)}</td>`,
        `<td class="num">${formatCount(st?.dropped ?? 0)}</td>`,
        `<td class="num">${formatCount(st?.stateEntries ?? 0)}</td>`,
        `<td class="num">${formatCount(st?.timers ?? 0)}</td>`,
        barriers ? `<td>${b ? b.status + (b.status === 'received' ? ` (${b.channels} channel${b.channels === 1 ? '' : 's'})` : '') : '–'}</td>` : '',
      ];
      return `<tr>${cells.join('')}</tr>`;
    }),
  );
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const channels = graph.edges.map((e) => {
    const from = byId.get(e.from)!;
    const w = edgeWatermark(e, from, stats);
    return `<tr><th scope="row">${escapeHtml(from.name)} → ${escapeHtml(byId.get(e.to)?.name ?? e.to)}</th><td>${e.partitioning}${e.sideOutput ? ` (side output ${escapeHtml(e.sideOutput)})` : ''}</td><td class="num">${w === undefined ? '–' : formatClock(w)}</td></tr>`;
  });
  return `
    <table><caption>Operators and subtasks at ${formatClock(playheadT)}</caption>
      <thead><tr><th>Operator</th><th class="num">Subtask</th><th class="num">Records in</th><th class="num">Records out</th><th class="num">In rate</th><th class="num">Out rate</th><th class="num">Watermark</th><th class="num">Queued</th><th class="num">Dropped</th><th class="num">State entries</th><th class="num">Timers</th>${barrierHead}</tr></thead>
      <tbody>${rows.join('')}</tbody></table>
    <table><caption>Channels</caption>
      <thead><tr><th>From → to</th><th>Partitioning</th><th class="num">Watermark carried</th></tr></thead>
      <tbody>${channels.join('') || '<tr><td colspan="3">none</td></tr>'}</tbody></table>`;
}
