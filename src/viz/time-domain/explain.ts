// What the chart says about one record: the panes it went into, and for a late or dropped record
// why, in numbers ("arrived at 1:30; watermark was 1:40; its window 0:00–1:00 expired at 1:00 +
// 30 s allowed lateness"). Invariant: texts come only from the model, so tooltips, the keyboard's
// announcements and the tests all read the same words.

import type { Window } from '../../engine/windows/window.ts';
import type { Key } from '../../engine/runtime/record-batch.ts';
import { RecordStatus, type LateOrDropped, type PaneFiring, type RunModel, type WatermarkPoint } from '../run-model.ts';
import { formatDuration, formatSpan, formatTime } from './format-time.ts';
import { RECORD_KIND_LABELS, RecordKind } from './marks.ts';
import { allowedLateness } from './window-bands.ts';
import { watermarkAt } from './watermark-series.ts';

/**
 * The panes a record went into: same attempt, a window holding its event time, fired at or
 * after it arrived. Records carry no key, so every key's pane for such a window is listed.
 * A record sent to a side output or dropped went into none.
 */
export function panesOfRecord(model: RunModel, index: number): PaneFiring[] {
  const status = model.records.get(index, 'status');
  if (status !== RecordStatus.OnTime) return [];
  const eventTime = model.records.get(index, 'eventTime');
  const t = model.records.get(index, 't');
  const attempt = model.records.get(index, 'attempt');
  return model.panes.filter((p) => p.attempt === attempt && p.t >= t && p.window.start <= eventTime && eventTime < p.window.end);
}

/**
 * The late-or-dropped trace entry of a record the model marked late or dropped: among records of
 * the same attempt and event time so marked, the k-th (by arrival) pairs with the k-th entry.
 */
export function lateEntryOf(model: RunModel, index: number): LateOrDropped | undefined {
  const status = model.records.get(index, 'status');
  if (status === RecordStatus.OnTime) return undefined;
  const eventTime = model.records.get(index, 'eventTime');
  const attempt = model.records.get(index, 'attempt');
  let rank = 0;
  for (let i = 0; i < index; i++) {
    if (model.records.get(i, 'attempt') === attempt && model.records.get(i, 'eventTime') === eventTime && model.records.get(i, 'status') !== RecordStatus.OnTime) rank++;
  }
  const entries = model.lateAndDropped.filter((e) => e.attempt === attempt && e.eventTime === eventTime);
  return entries[rank] ?? entries[entries.length - 1];
}

const keyPart = (key: Key | undefined): string => (key === undefined ? '' : ` (key ${String(key)})`);

/** The windows a side-output record belonged to, which its trace entry does not carry: from the operator's panes and timers. */
function windowsOf(model: RunModel, entry: LateOrDropped): Window[] {
  if (entry.windows.length > 0) return [...entry.windows];
  const holds = (w: Window) => w.start <= entry.eventTime && entry.eventTime < w.end;
  const found = new Map<string, Window>();
  for (const p of model.panes) if (p.operator === entry.operator && p.key === entry.key && holds(p.window)) found.set(`${p.window.start}|${p.window.end}`, p.window);
  if (found.size === 0) {
    for (const c of model.timerChanges) if (c.operator === entry.operator && c.key === entry.key && c.window && holds(c.window)) found.set(`${c.window.start}|${c.window.end}`, c.window);
  }
  return [...found.values()].sort((a, b) => a.start - b.start);
}

/** `its window 0:00–1:00 expired at 1:00 + 30 s allowed lateness`, or the same for the last of several. */
function expiry(windows: readonly Window[], lateness: number | undefined): string {
  const last = windows.reduce((a, b) => (b.end > a.end ? b : a));
  const when =
    lateness === undefined ? `at ${formatTime(last.end)} (allowed lateness unknown)`
    : lateness === 0 ? `at ${formatTime(last.end)} (no allowed lateness)`
    : `at ${formatTime(last.end)} + ${formatDuration(lateness)} allowed lateness`;
  return windows.length === 1
    ? `its window ${formatSpan(last.start, last.end)} expired ${when}`
    : `all ${windows.length} of its windows had expired, the last, ${formatSpan(last.start, last.end)}, ${when}`;
}

/** Why a late or dropped record did not count, in one sentence of numbers. */
export function explainLate(model: RunModel, index: number): string | undefined {
  const entry = lateEntryOf(model, index);
  if (!entry) return undefined;
  const arrived = `arrived at ${formatTime(model.records.get(index, 't'))}; watermark was ${formatTime(entry.watermark)}`;
  const windows = windowsOf(model, entry);
  const lateness = allowedLateness(model, entry.operator);
  switch (entry.kind) {
    case 'late': {
      const tail = windows.length > 0 ? expiry(windows, lateness) : `past its event time ${formatTime(entry.eventTime)}`;
      return `Late, sent to side output "${entry.sideOutput ?? 'late'}"${keyPart(entry.key)}: ${arrived}; ${tail}.`;
    }
    case 'windowExpired':
      return `Dropped${keyPart(entry.key)}: ${arrived}; ${windows.length > 0 ? expiry(windows, lateness) : `past its event time ${formatTime(entry.eventTime)}`}.`;
    case 'windowClosed': {
      const w = windows[0];
      const which = w ? `its window ${formatSpan(w.start, w.end)}` : 'its window';
      return `Dropped${keyPart(entry.key)}: ${arrived}; ${which} was closed: its trigger had finished.`;
    }
    default:
      return `Dropped${keyPart(entry.key)}: ${arrived}, past its event time ${formatTime(entry.eventTime)}.`;
  }
}

/** Why an accepted record was on time, or late but still counted in a LATE pane. */
function explainAccepted(model: RunModel, index: number, kind: RecordKind, lateness: readonly WatermarkPoint[] | undefined, panes: readonly PaneFiring[]): string {
  const eventTime = model.records.get(index, 'eventTime');
  const t = model.records.get(index, 't');
  // On time with the watermark passing it at the same moment: it arrived just before that step.
  let w = lateness ? watermarkAt(model, lateness, t) : Number.NEGATIVE_INFINITY;
  if (lateness && kind === RecordKind.OnTime && eventTime <= w) w = watermarkAt(model, lateness, t - 0.5);
  const arrived = `arrived at ${formatTime(t)}; watermark was ${formatTime(w)}`;
  if (kind !== RecordKind.LateCounted) return `On time: ${arrived}, before its event time ${formatTime(eventTime)}.`;
  const late = panes.find((p) => p.pane.timing === 'LATE');
  if (!late) return `Late but counted: ${arrived}, past its event time ${formatTime(eventTime)}, within the allowed lateness.`;
  const allowed = allowedLateness(model, late.operator);
  const open = allowed === undefined ? '' : ` stays open until ${formatTime(late.window.end)} + ${formatDuration(allowed)} allowed lateness, so it`;
  return `Late but counted: ${arrived}, past its event time ${formatTime(eventTime)}; its window ${formatSpan(late.window.start, late.window.end)}${open} fired a LATE pane.`;
}

/** One pane as a line: `bob 2:00–7:00 = 3 · EARLY #0 at 1:00.001`. */
export function describePane(p: PaneFiring): string {
  const key = p.key === undefined ? '' : `${String(p.key)} `;
  const last = p.pane.isLast ? ', last' : '';
  const retract = p.retraction ? ' (retraction)' : '';
  return `${key}${formatSpan(p.window.start, p.window.end)} = ${valueText(p.value)}${retract} · ${p.pane.timing} #${p.pane.index}${last} at ${formatTime(p.t)}`;
}

/** A value, short: numbers and strings as they are, objects as compact JSON cut at 60 characters. */
export function valueText(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (typeof value === 'string') return value;
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 59)}…` : json;
}

export interface RecordDescription {
  readonly title: string;
  /** Why (late or dropped) or how (on time) it fared. */
  readonly why: string;
  readonly panes: readonly string[];
  /** Everything as one text, for screen readers. */
  readonly text: string;
}

/** The tooltip of a record: what it is, why it fared as it did, and the panes it went into. */
export function describeRecord(model: RunModel, index: number, kind: RecordKind, lateness: readonly WatermarkPoint[] | undefined): RecordDescription {
  const r = (f: 'eventTime' | 't' | 'attempt' | 'source' | 'partition' | 'offset') => model.records.get(index, f);
  const source = model.sources[r('source')] ?? 'source';
  const attempt = model.attempts.length > 1 ? `, attempt ${r('attempt')}` : '';
  const title = `Record at ${formatTime(r('eventTime'))}, ${RECORD_KIND_LABELS[kind]} (${source}#${r('partition')} offset ${r('offset')}${attempt})`;
  const panes = panesOfRecord(model, index);
  const why = explainLate(model, index) ?? explainAccepted(model, index, kind, lateness, panes);
  const paneLines = panes.map(describePane);
  const panesText = paneLines.length > 0 ? ` Panes: ${paneLines.join('; ')}.` : kind >= RecordKind.SideOutput ? '' : ' No pane has fired with it yet.';
  return { title, why, panes: paneLines, text: `${title}. ${why}${panesText}` };
}
