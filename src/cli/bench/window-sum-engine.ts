// The windowed-sum benchmark on the Brook engine, through the public API a pipeline file uses:
// an array source with bounded out-of-orderness watermarks, keyBy, tumbling windows, sum.

import { runPipeline } from '../../engine/api/index.ts';
import type { SumRecord, WindowSumJob, WindowSumResult } from './window-sum-dataset.ts';
import { windowSumPipeline, windowSumResultOf } from './durable-window-sum.ts';

/**
 * Runs the job with the engine's defaults (no trace). Late records go to a side output instead
 * of being dropped silently, only so they can be counted: the engine's metrics do not count
 * drops, and collecting the trace would slow the run down.
 */
export function windowSumEngine(records: readonly SumRecord[], job: WindowSumJob): WindowSumResult {
  return windowSumResultOf(runPipeline(windowSumPipeline(records, job)).records);
}
