// Window assigners decide which windows an element belongs to. They write window bounds into
// reusable number arrays so the per-record path allocates nothing; merging assigners (sessions)
// also say how windows combine.

import type { Trigger } from './triggers/trigger.ts';

/**
 * What an assigner's windows are, as a savepoint records them: Flink's window serializer
 * (TimeWindow.Serializer or GlobalWindow.Serializer), which a restore must find unchanged.
 */
export type WindowKind = 'time windows' | 'global windows';

/** Decides which windows each element belongs to. */
export interface WindowAssigner {
  /** What its windows are (savepoints record it); time windows when not said. */
  readonly windowKind?: WindowKind;
  /** Name shown in traces and the dataflow graph, e.g. "TumblingWindows(10 s)". */
  readonly name: string;
  /** Sessions merge overlapping windows; all other built-in assigners do not. */
  readonly isMerging: boolean;
  /** Event-time windows use the record's timestamp; processing-time ones the clock. */
  readonly isEventTime: boolean;
  /**
   * Writes the bounds of every window the element belongs to into `starts`/`ends` (from index 0)
   * and returns how many there are.
   */
  assign(timestamp: number, processingTime: number, starts: number[], ends: number[]): number;
  /** The trigger used when none is set (Flink and Beam both fire at the end of the window). */
  defaultTrigger(): Trigger;
  /** Count windows evict all but the last `size` elements before each firing. */
  readonly evictToLast?: number;
}
