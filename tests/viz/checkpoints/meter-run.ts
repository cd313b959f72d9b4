// A run for the panel tests: the exactly-once example's meter totals (one reading every 50 ms
// of event and processing time, 3 meters, 1-second windows, watermark 300 ms behind), run
// plainly or durably with checkpoints and crashes, folded into a RunModel as the page does.

import { boundedOutOfOrderness, seconds, tumblingWindows, type Pipeline } from '../../../src/engine/api/index.ts';
import { runPipeline } from '../../../src/engine/api/run-pipeline.ts';
import { runDurable } from '../../../src/engine/checkpoint/job-driver.ts';
import { MemoryDurableStore } from '../../../src/engine/checkpoint/memory-store.ts';
import type { TraceEvent } from '../../../src/engine/trace/trace-event.ts';
import { loadTrace, traceToDeltas } from '../../../src/app/lab/trace-to-deltas.ts';
import { RunModel } from '../../../src/viz/run-model.ts';

const readings = Array.from({ length: 240 }, (_, seq) => ({ meter: `m${seq % 3}`, wh: ((seq * 7) % 10) + 1, seq }));

export function meterTotals(parallelism = 1) {
  return (p: Pipeline) => {
    p.setParallelism(parallelism);
    const totals = p
      .fromArray(readings, { timestampOf: (r) => r.seq * 50, watermarks: boundedOutOfOrderness(300), uid: 'readings' })
      .keyBy((r) => r.meter)
      .window(tumblingWindows(seconds(1)))
      .sum((r) => r.wh)
      .uid('meter-totals');
    totals.sinkTo('billing', { guarantee: 'exactlyOnce', uid: 'billing' });
    totals.sink('dashboard');
  };
}

/** The meter job without checkpoints. */
export function plainModel(parallelism = 1): RunModel {
  const events: TraceEvent[] = [];
  runPipeline(meterTotals(parallelism), { seed: 1, onTrace: (e) => events.push(e) });
  const model = new RunModel();
  for (const d of traceToDeltas(events)) model.apply(d);
  return model;
}

/** The durable trace of the meter job: a checkpoint every second, crashes at `crashAt`. */
export async function durableEvents(crashAt: readonly number[]): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  await runDurable(meterTotals(), { store: new MemoryDurableStore(), jobId: 'meters', checkpointInterval: 1000, crashes: { atProcessingTimes: crashAt }, onTrace: (e) => events.push(e) });
  return events;
}

/** The durable meter job folded into a RunModel, attempt by attempt. */
export async function durableModel(crashAt: readonly number[]): Promise<RunModel> {
  const model = new RunModel();
  loadTrace(model, await durableEvents(crashAt));
  return model;
}
