// The windowed-sum benchmark on the Brook engine, through the public API a pipeline file uses:
// an array source with bounded out-of-orderness watermarks, keyBy, tumbling windows, sum.

import {
  boundedOutOfOrderness,
  type Pipeline,
  runPipeline,
  type SinkRecord,
  tumblingWindows,
} from '../../engine/api/index.ts';
import { emptyResult, type SumRecord, type WindowSumJob, type WindowSumResult } from './window-sum-dataset.ts';

/**
 * Runs the job with the engine's defaults (no trace). Late records go to a side output instead
 * of being dropped silently, only so they can be counted: the engine's metrics do not count
 * drops, and collecting the trace would slow the run down.
 */
export function windowSumEngine(records: readonly SumRecord[], job: WindowSumJob): WindowSumResult {
  const pipeline = (p: Pipeline) => {
    const sums = p
      .fromArray(records, {
        timestampOf: (r) => r.timestamp,
        watermarks: boundedOutOfOrderness(job.outOfOrderness).withEmitInterval(job.watermarkInterval),
      })
      .keyBy((r) => r.key)
      .window(tumblingWindows(job.windowSize))
      .sideOutputLateData('late')
      .sum((r) => r.value);
    sums.sink('out');
    sums.getSideOutput('late').sink('late');
  };
  return toResult(runPipeline(pipeline).records);
}

function toResult(records: readonly SinkRecord[]): WindowSumResult {
  const result = emptyResult();
  for (const record of records) {
    if (record.sink === 'late') {
      result.dropped++;
      continue;
    }
    const window = record.window;
    if (window === undefined || window === 'global') throw new Error(`expected a time window, got ${String(window)}`);
    result.keys.push(record.key as number);
    result.windowStarts.push(window.start);
    result.sums.push(record.value as number);
  }
  return result;
}
