// Runs a pipeline on the page's own thread and cuts its trace into TraceDeltas, one per
// processing-time step, without sampling. For the panel lab and viz tests only: the sandbox
// runs the engine in its worker and summarises there (src/worker).

import { runPipeline, type PipelineBuilder } from '../../engine/api/run-pipeline.ts';
import type { TestStreamSpec } from '../../engine/connectors/test-stream.ts';
import type { TraceEvent } from '../../engine/trace/trace-event.ts';
import { toJson } from '../../engine/trace/json.ts';
import { RECORD_STRIDE, type TraceDelta } from '../../worker/protocol.ts';

const encoder = new TextEncoder();

export function traceToDeltas(events: readonly TraceEvent[]): TraceDelta[] {
  const sources: string[] = [];
  const deltas: TraceDelta[] = [];
  let records: number[] = [];
  let other: TraceEvent[] = [];
  let pt = events[0]?.pt ?? 0;
  const flush = (finished: boolean) => {
    deltas.push({
      seq: deltas.length,
      attempt: 1,
      pt,
      finished,
      records: Float64Array.from(records),
      sources: [...sources],
      recordsSkipped: 0,
      events: encoder.encode(toJson(other)),
      eventsCoalesced: 0,
    });
    records = [];
    other = [];
  };
  for (const e of events) {
    if (e.pt !== pt) {
      flush(false);
      pt = e.pt;
    }
    if (e.type === 'recordArrived') {
      let s = sources.indexOf(e.source);
      if (s < 0) s = sources.push(e.source) - 1;
      records.push(e.eventTime, e.pt, s, e.partition, e.offset);
    } else other.push(e);
  }
  flush(true);
  if (records.length % RECORD_STRIDE !== 0) throw new Error('record columns out of step');
  return deltas;
}

/** Runs `build` on `input` with `seed` and returns its deltas. */
export function runToDeltas(build: PipelineBuilder, input?: TestStreamSpec<unknown>, seed = 1): TraceDelta[] {
  const events: TraceEvent[] = [];
  runPipeline(build, { seed, onTrace: (e) => events.push(e), ...(input ? { input } : {}) });
  return traceToDeltas(events);
}
