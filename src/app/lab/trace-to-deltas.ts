// Runs a pipeline on the page's own thread and cuts its trace into TraceDeltas, one per
// processing-time step, without sampling. For the panel lab and viz tests only: the sandbox
// runs the engine in its worker and summarises there (src/worker).

import { runPipeline, type PipelineBuilder } from '../../engine/api/run-pipeline.ts';
import type { TestStreamSpec } from '../../engine/connectors/test-stream.ts';
import type { TraceEvent } from '../../engine/trace/trace-event.ts';
import { toJson } from '../../engine/trace/json.ts';
import { RECORD_STRIDE, type TraceDelta } from '../../worker/protocol.ts';
import type { RunModel } from '../../viz/run-model.ts';

const encoder = new TextEncoder();

/** Cuts `events` into deltas of `attempt`; the last says finished unless the attempt crashed. */
export function traceToDeltas(events: readonly TraceEvent[], attempt = 1, finishes = true): TraceDelta[] {
  const sources: string[] = [];
  const deltas: TraceDelta[] = [];
  let records: number[] = [];
  let other: TraceEvent[] = [];
  let pt = events[0]?.pt ?? 0;
  const flush = (finished: boolean) => {
    deltas.push({
      seq: deltas.length,
      attempt,
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
  flush(finishes);
  if (records.length % RECORD_STRIDE !== 0) throw new Error('record columns out of step');
  return deltas;
}

/** Runs `build` on `input` with `seed` and returns its deltas. */
export function runToDeltas(build: PipelineBuilder, input?: TestStreamSpec<unknown>, seed = 1): TraceDelta[] {
  const events: TraceEvent[] = [];
  runPipeline(build, { seed, onTrace: (e) => events.push(e), ...(input ? { input } : {}) });
  return traceToDeltas(events);
}

/** One attempt of a durable run's trace: what it restored and its deltas. */
export interface AttemptTrace {
  readonly attempt: number;
  /** The processing time the attempt's clock started from. */
  readonly startPt: number;
  readonly restoredFrom: number | null;
  readonly deltas: TraceDelta[];
}

/**
 * Cuts a durable run's trace (runDurable's onTrace) into attempts: a `jobCrashed` ends one, and
 * everything after it, from the new attempt's `jobStarted` on, belongs to the next.
 */
export function traceToAttempts(events: readonly TraceEvent[]): AttemptTrace[] {
  const attempts: AttemptTrace[] = [];
  let start = 0;
  const cut = (end: number) => {
    const slice = events.slice(start, end);
    if (slice.length === 0) return;
    const attempt = attempts.length + 1;
    const restored = slice.find((e) => e.type === 'jobRestored');
    attempts.push({
      attempt,
      startPt: slice[0]!.pt,
      restoredFrom: restored?.type === 'jobRestored' ? restored.checkpointId : null,
      deltas: traceToDeltas(slice, attempt, slice.at(-1)?.type !== 'jobCrashed'),
    });
  };
  events.forEach((e, i) => {
    if (e.type === 'jobCrashed') {
      cut(i + 1);
      start = i + 1;
    }
  });
  cut(events.length);
  return attempts;
}

/** Folds a durable run's trace into `model`, beginning each attempt as the page does on a restart. */
export function loadTrace(model: RunModel, events: readonly TraceEvent[], gap = 0): void {
  for (const a of traceToAttempts(events)) {
    model.beginAttempt(a.attempt, a.startPt, a.restoredFrom, a.attempt === 1 ? 0 : gap);
    for (const d of a.deltas) model.apply(d);
  }
}
