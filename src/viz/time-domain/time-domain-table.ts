// The table alternative of the time-domain chart: the records that had arrived by the playhead
// (event time, arrival, status) and the panes that had fired (window, key, value, timing, fired
// at). Invariant: same marks as the chart, capped at the latest rows so a long run stays fast.

import type { RunModel } from '../run-model.ts';
import { formatSpan, formatTime } from './format-time.ts';
import { RECORD_KIND_LABELS, type RecordKind } from './marks.ts';
import { valueText } from './explain.ts';

/** Rows shown per table; older rows are counted, not shown. */
export const TABLE_ROWS = 500;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The rows of the record table at the playhead (the latest TABLE_ROWS), as plain cells. */
export function recordRows(model: RunModel, recordCount: number, kinds: Uint8Array): string[][] {
  const rows: string[][] = [];
  for (let i = Math.max(0, recordCount - TABLE_ROWS); i < recordCount; i++) {
    const source = model.sources[model.records.get(i, 'source')] ?? '';
    rows.push([
      formatTime(model.records.get(i, 'eventTime')),
      formatTime(model.records.get(i, 't')),
      RECORD_KIND_LABELS[kinds[i] as RecordKind],
      `${source}#${model.records.get(i, 'partition')} @${model.records.get(i, 'offset')}`,
      String(model.records.get(i, 'attempt')),
    ]);
  }
  return rows;
}

/** The rows of the pane table at the playhead (the latest TABLE_ROWS). */
export function paneRows(model: RunModel, paneCount: number): string[][] {
  return model.panes.slice(Math.max(0, paneCount - TABLE_ROWS), paneCount).map((p) => [
    formatSpan(p.window.start, p.window.end),
    p.key === undefined ? '' : String(p.key),
    `${valueText(p.value)}${p.retraction ? ' (retraction)' : ''}`,
    `${p.pane.timing} #${p.pane.index}${p.pane.isLast ? ' (last)' : ''}`,
    formatTime(p.t),
  ]);
}

function table(caption: string, head: readonly string[], rows: readonly string[][], total: number): string {
  const note = total > rows.length ? `<p class="td-note">Showing the latest ${rows.length} of ${total}.</p>` : '';
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('');
  const empty = rows.length === 0 ? `<p class="td-note">None yet.</p>` : '';
  return `<h3>${caption}</h3>${note}${empty}<table><thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>`;
}

/** The whole table alternative as HTML. */
export function timeDomainTableHtml(model: RunModel, recordCount: number, paneCount: number, kinds: Uint8Array): string {
  return (
    table('Records', ['event time', 'arrived', 'status', 'source', 'attempt'], recordRows(model, recordCount, kinds), recordCount) +
    table('Panes', ['window', 'key', 'value', 'timing', 'fired at'], paneRows(model, paneCount), paneCount)
  );
}
