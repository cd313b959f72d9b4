// One output row as the texts of its cells and badges: key, value, event time, window, pane,
// arrival, and how it compares (duplicate, lost, matched, missing, unexpected). Each badge has a
// symbol and a word, so the marking never relies on colour alone.

import { formatSpan, formatTime } from '../time-domain/format-time.ts';
import { valueText } from '../time-domain/explain.ts';
import type { OutputRow } from './output-rows.ts';
import type { WindowLike } from './record-identity.ts';

export type BadgeKind = 'duplicate' | 'lost' | 'matched' | 'missing' | 'unexpected' | 'uncommitted' | 'rolledBack';

export interface Badge {
  readonly kind: BadgeKind;
  readonly text: string;
  /** A longer explanation (the cell's title). */
  readonly detail: string;
}

export interface RowCells {
  readonly num: string;
  readonly sink: string;
  readonly key: string;
  readonly value: string;
  readonly eventTime: string;
  readonly window: string;
  readonly pane: string;
  readonly paneTiming: string;
  readonly arrived: string;
  readonly badges: readonly Badge[];
}

function windowText(w: WindowLike | undefined): string {
  if (w === undefined) return '';
  if (w === 'global') return 'global';
  return formatSpan(w.start, w.end);
}

const times = (n: number) => `${n} ${n === 1 ? 'copy' : 'copies'}`;

/** The cells of `row`. */
export function rowCells(row: OutputRow): RowCells {
  if (row.kind === 'written') {
    const r = row.record;
    const badges: Badge[] = [];
    for (const m of row.marks) {
      if (m === 'duplicate') badges.push({ kind: 'duplicate', text: `↻ duplicate #${row.copy}`, detail: `Copy ${row.copy} of this record; the failure-free run wrote ${times(row.referenceCopies ?? 0)}.` });
      else if (m === 'rolledBack') badges.push({ kind: 'rolledBack', text: '⟲ rolled back', detail: 'Written in a transaction the crash aborted before it was pre-committed: no reader of the sink ever saw it. The replay writes it again.' });
      else if (m === 'uncommitted') badges.push({ kind: 'uncommitted', text: '◌ uncommitted', detail: 'In a transaction not committed yet: readers of the sink see it once the checkpoint that pre-committed it completes.' });
      else if (m === 'matched') badges.push({ kind: 'matched', text: '✓ expected', detail: 'Matches a record of the expected output.' });
      else badges.push({ kind: 'unexpected', text: '+ unexpected', detail: 'No record of the expected output matches it.' });
    }
    const pane = r.pane ? `${r.pane.timing} #${r.pane.index}${r.pane.isLast ? ' · last' : ''}` : '';
    return {
      num: String(row.index + 1),
      sink: r.sink,
      key: r.key === undefined ? '' : String(r.key),
      value: valueText(r.value),
      eventTime: formatTime(r.timestamp),
      window: windowText(r.window as WindowLike | undefined),
      pane,
      paneTiming: r.pane?.timing ?? '',
      arrived: formatTime(r.t),
      badges,
    };
  }
  if (row.kind === 'lost') {
    const r = row.record;
    return {
      num: '',
      sink: row.sink,
      key: r.key === null ? '' : String(r.key),
      value: valueText(r.value),
      eventTime: formatTime(r.timestamp),
      window: windowText(r.window),
      pane: r.pane ? `${r.pane.timing} #${r.pane.index}${r.pane.isLast ? ' · last' : ''}` : '',
      paneTiming: r.pane?.timing ?? '',
      arrived: '—',
      badges: [{ kind: 'lost', text: `∅ lost (${row.actual} of ${row.expected})`, detail: `The failure-free run wrote ${times(row.expected)}; this run wrote ${times(row.actual)}.` }],
    };
  }
  const e = row.expected;
  const pane = e.pane ? [e.pane.timing, e.pane.index !== undefined ? `#${e.pane.index}` : ''].filter(Boolean).join(' ') : '';
  return {
    num: '',
    sink: e.sink,
    key: e.key === undefined || e.key === null ? '' : String(e.key),
    value: valueText(e.value),
    eventTime: '',
    window: windowText(e.window),
    pane,
    paneTiming: e.pane?.timing ?? '',
    arrived: '—',
    badges: [{ kind: 'missing', text: '− missing', detail: 'Expected, but not written by the playhead.' }],
  };
}
