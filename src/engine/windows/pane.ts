// A pane: what a window of one key holds between firings. Its fields are plain data so a
// checkpoint can write it as JSON.
// - contents: an accumulator (aggregates) or the elements (process functions, evictors).
//   Merging: accumulators merge, element lists concatenate. Lifetime: cleared by discarding
//   or purging firings; the pane is deleted when its window expires (end + allowed lateness).
// - trigger: the trigger tree's state. previous: the last pane info emitted (Beam keeps it
//   as a value state, so a merged window starts again at index 0).
// - lastEmitted / mergedEmitted (accumulating-and-retracting only): what the next firing must
//   retract first; a merge hands the merged-away windows' results to the merged window.

import type { StateCodec } from '../state/state-backend.ts';
import type { PaneInfo } from './pane-info.ts';
import type { TriggerState } from './triggers/trigger.ts';
import type { Window } from './window.ts';

/**
 * The empty list every new pane starts with, for its timer and retraction lists: most panes
 * never add to some of them, so they share this one and get their own on the first write.
 */
export const NONE_YET: readonly never[] = Object.freeze([]);

/** Appends to one of a pane's lists, replacing the shared empty list on the first write. */
export function appended<T>(list: T[], item: T): T[] {
  if (list === (NONE_YET as unknown)) return [item];
  list.push(item);
  return list;
}

export interface Pane {
  readonly window: Window;
  /** Accumulator, when the window function is an aggregate and nothing is evicted. */
  acc: unknown;
  /** Elements, when the window function needs them all. */
  elements: unknown[] | null;
  /** Elements currently in the contents. */
  size: number;
  /** Elements added since the last firing (Beam's NonEmptyPanes). */
  added: number;
  trigger: TriggerState;
  /** The trigger has finished: the window is closed to new elements (kept in step with trigger.finished[0]). */
  closed: boolean;
  previous: PaneInfo | null;
  /** The results of this window's last pane, for accumulating-and-retracting mode. */
  lastEmitted: unknown[];
  /** Results of windows merged into this one, still to be retracted (accumulating-and-retracting). */
  mergedEmitted: { readonly window: Window; readonly values: unknown[] }[];
  /** Event-time timers set for this pane (to avoid registering them twice). */
  eventTimers: number[];
  processingTimers: number[];
}

/**
 * Panes in a snapshot: positional arrays without the window (the entry's namespace is the
 * window), a quarter of the size of the object form, which checkpoints write many thousands of.
 */
export const PANE_CODEC: StateCodec<Pane> = {
  encode: (p) => [
    p.acc,
    p.elements,
    p.size,
    p.added,
    p.trigger.data,
    p.trigger.finished,
    p.trigger.user ?? null,
    p.closed,
    p.previous === null ? null : [p.previous.timing, p.previous.index, p.previous.onTimeIndex, p.previous.isFirst, p.previous.isLast],
    p.lastEmitted,
    p.mergedEmitted,
    p.eventTimers,
    p.processingTimers,
  ],
  decode: (e, namespace) => {
    const a = e as unknown[];
    const prev = a[8] as [PaneInfo['timing'], number, number, boolean, boolean] | null;
    const trigger: TriggerState = { data: a[4] as (number | null)[], finished: a[5] as boolean[] };
    if (a[6] !== null) trigger.user = a[6] as (Record<string, unknown> | null)[];
    return {
      window: namespace!,
      acc: a[0],
      elements: a[1] as unknown[] | null,
      size: a[2] as number,
      added: a[3] as number,
      trigger,
      closed: a[7] as boolean,
      previous: prev === null ? null : { timing: prev[0], index: prev[1], onTimeIndex: prev[2], isFirst: prev[3], isLast: prev[4] },
      lastEmitted: a[9] as unknown[],
      mergedEmitted: a[10] as Pane['mergedEmitted'],
      eventTimers: a[11] as number[],
      processingTimers: a[12] as number[],
    };
  },
};
