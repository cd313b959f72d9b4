// A pane: what a window of one key holds between firings. Its fields are plain data so a
// checkpoint can write it as JSON.
// - contents: an accumulator (aggregates) or the elements (process functions, evictors).
//   Merging: accumulators merge, element lists concatenate. Lifetime: cleared by discarding
//   or purging firings; the pane is deleted when its window expires (end + allowed lateness).
// - trigger: the trigger tree's state. previous: the last pane info emitted (Beam keeps it
//   as a value state, so a merged window starts again at index 0).

import type { PaneInfo } from './pane-info.ts';
import type { TriggerState } from './triggers/trigger.ts';
import type { Window } from './window.ts';

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
  /** The last value emitted, for accumulating-and-retracting panes. */
  lastEmitted: { value: unknown } | null;
  /** Event-time timers set for this pane (to avoid registering them twice). */
  eventTimers: number[];
  processingTimers: number[];
}
