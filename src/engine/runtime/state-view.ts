// What the sandbox's state inspector shows of a running job: keyed state per operator subtask,
// table (state name), key and window, with values as plain JSON, and the pending timers.
// Invariant: read-only and bounded: at most `limit` entries and timers per subtask are copied,
// and a value whose JSON is longer than VALUE_CHARS is cut (and marked), so a view stays cheap.

import type { JsonValue } from '../connectors/partition-reader.ts';
import type { KeyedStateBackend } from '../state/state-backend.ts';
import type { TimerService } from '../time/timer-service.ts';
import { toJson } from '../trace/json.ts';
import type { Key } from './record-batch.ts';

/** Characters of JSON kept of one state value. */
export const VALUE_CHARS = 2000;

export interface StateView {
  /** The processing clock the view was taken at. */
  readonly pt: number;
  /** Every operator subtask, in plan order (sources keep no keyed state and are left out). */
  readonly subtasks: readonly SubtaskStateView[];
}

export interface SubtaskStateView {
  readonly operator: string;
  readonly operatorId: string;
  readonly subtask: number;
  /** The first `limit` entries, table by table, keys in first-insertion order. */
  readonly entries: readonly StateEntryView[];
  /** Entries over all tables; more than `entries.length` when some were left out. */
  readonly totalEntries: number;
  /** The first `limit` pending timers, in firing order. */
  readonly timers: readonly TimerView[];
  readonly totalTimers: number;
}

export interface StateEntryView {
  /** The state's name (its table: `window-panes` for a window operator's panes). */
  readonly state: string;
  readonly key: Key | null;
  readonly window?: { readonly start: number; readonly end: number };
  /** The value as JSON data (infinite numbers as "+inf"/"-inf"); a JSON string of the start of it when `truncated`. */
  readonly value: JsonValue;
  readonly truncated?: true;
}

export interface TimerView {
  readonly domain: 'eventTime' | 'processingTime';
  readonly time: number;
  readonly key: Key | null;
  readonly window?: { readonly start: number; readonly end: number };
}

/** The view of one subtask's state backend and timers. */
export function subtaskStateView(
  id: { readonly operator: string; readonly operatorId: string; readonly subtask: number },
  state: KeyedStateBackend,
  timers: TimerService,
  limit: number,
): SubtaskStateView {
  const entries: StateEntryView[] = [];
  for (const table of state.tables()) {
    if (entries.length >= limit) break;
    for (const e of table.entries()) {
      if (entries.length >= limit) break;
      entries.push({
        state: table.name,
        key: e.key ?? null,
        ...(e.namespace !== undefined ? { window: { start: e.namespace.start, end: e.namespace.end } } : {}),
        ...plainValue(e.value),
      });
    }
  }
  const pending = timers.pending();
  return {
    ...id,
    entries,
    totalEntries: state.entryCount(),
    timers: pending.slice(0, limit).map((t) => ({
      domain: t.domain,
      time: t.time,
      key: t.key ?? null,
      ...(t.window !== undefined ? { window: { start: t.window.start, end: t.window.end } } : {}),
    })),
    totalTimers: pending.length,
  };
}

function plainValue(value: unknown): { value: JsonValue; truncated?: true } {
  let text: string | undefined;
  try {
    text = toJson(value);
  } catch {
    text = JSON.stringify(String(value));
  }
  if (text === undefined) return { value: null };
  if (text.length > VALUE_CHARS) return { value: text.slice(0, VALUE_CHARS), truncated: true };
  return { value: JSON.parse(text) as JsonValue };
}
