// The counters of a running job, one row per subtask (sources first), for the trace's periodic
// `metrics` events and the dataflow graph. Reads the subtasks; never changes them.

import type { SubtaskMetrics } from '../trace/trace-event.ts';
import type { SourceHost } from './job-graph.ts';
import type { OperatorSubtask } from './operator-subtask.ts';
import { SourceSubtask } from './source-subtask.ts';

/** Counters of every subtask: `sources` first, then each operator's subtasks in plan order. */
export function collectMetrics(sources: readonly SourceHost[], operators: Iterable<readonly OperatorSubtask[]>): SubtaskMetrics[] {
  const out: SubtaskMetrics[] = [];
  for (const s of sources) {
    out.push({
      operator: s.sourceName,
      subtask: s instanceof SourceSubtask ? s.index : 0,
      recordsIn: s.recordsIn,
      recordsOut: s.output.recordsOut,
      watermark: s.currentWatermark,
      queued: 0,
      recordsDropped: 0,
      stateEntries: 0,
      timers: 0,
    });
  }
  for (const list of operators) {
    for (const s of list) {
      out.push({
        operator: s.operatorName,
        subtask: s.index,
        recordsIn: s.recordsIn,
        recordsOut: s.output.recordsOut,
        watermark: s.currentWatermark,
        queued: s.queuedRecords,
        recordsDropped: s.recordsDropped,
        stateEntries: s.stateEntries,
        timers: s.timers.size,
      });
    }
  }
  return out;
}
