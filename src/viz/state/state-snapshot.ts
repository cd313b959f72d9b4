// Richer state than the trace carries: the values themselves, as the worker's inspectState()
// returns them, handed to the state inspector with `setStateSnapshot`. Invariant: plain,
// structured-cloneable data, matched to the trace's rows by operator name, subtask, key and state.

import type { Key } from '../../engine/runtime/record-batch.ts';
import type { Window } from '../../engine/windows/window.ts';

/** One entry of one state table. */
export interface StateSnapshotEntry {
  /** The operator's display name, as in the trace. */
  readonly operator: string;
  readonly subtask: number;
  readonly key: Key | undefined;
  /** The state's name (`ctx.state.value('deadline')` is `deadline`). */
  readonly state: string;
  readonly value: unknown;
  /** The window a window-scoped entry belongs to. */
  readonly window?: Window;
}

export interface StateSnapshot {
  /** The timeline time the values were read at. */
  readonly t: number;
  readonly entries: readonly StateSnapshotEntry[];
}

/** Values of a snapshot by `operator#subtask#state#key`, for the inspector's rows. */
export function snapshotValues(snapshot: StateSnapshot | undefined): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const e of snapshot?.entries ?? []) {
    const id = `${e.operator}#${e.subtask}#${e.state}#${String(e.key ?? '')}`;
    const list = out.get(id);
    if (list) list.push(e.value);
    else out.set(id, [e.value]);
  }
  return out;
}

/** A short, one-line rendering of a state value for a table cell. */
export function previewValue(value: unknown, max = 48): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
