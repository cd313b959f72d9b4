// The windowed-sum job as a pipeline builder, shared by window-sum-engine.ts and the durability
// benchmarks can run exactly that job through `runDurable` as well as `runPipeline`, and turn
// what its sinks collected into a WindowSumResult that window-sum-compare.ts can diff.

import { boundedOutOfOrderness, type Pipeline, type PipelineBuilder, type SinkRecord, tumblingWindows } from '../../engine/api/index.ts';
import { emptyResult, type SumRecord, type WindowSumJob, type WindowSumResult } from './window-sum-dataset.ts';

/**
 * The same pipeline as windowSumEngine: an array source with bounded out-of-orderness
 * watermarks, keyBy, tumbling windows, sum; late records to the sink "late" (to count them).
 */
export function windowSumPipeline(records: readonly SumRecord[], job: WindowSumJob): PipelineBuilder {
  return (p: Pipeline) => {
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
}

/** The window results and the count of late records, from what the sinks collected. */
export function windowSumResultOf(records: readonly SinkRecord[]): WindowSumResult {
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

/**
 * The result with repeated window results removed (a replay after a crash emits again what was
 * emitted since the checkpoint, and a plain sink keeps both), and how many were removed.
 * `dropped` is kept as it is: late records have no identity to tell a repeat by.
 */
export function distinctWindowSums(result: WindowSumResult): { result: WindowSumResult; repeated: number } {
  const out = emptyResult();
  const seen = new Set<string>();
  for (let i = 0; i < result.keys.length; i++) {
    const id = `${result.keys[i]}/${result.windowStarts[i]}/${result.sums[i]}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.keys.push(result.keys[i]!);
    out.windowStarts.push(result.windowStarts[i]!);
    out.sums.push(result.sums[i]!);
  }
  out.dropped = result.dropped;
  return { result: out, repeated: result.keys.length - out.keys.length };
}
