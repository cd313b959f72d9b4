import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import sessions from '../../examples/sessions.ts';
import { parseTestStream } from '../../src/engine/connectors/test-stream-parse.ts';
import { runPipeline } from '../../src/engine/api/run-pipeline.ts';
import { runToDeltas, traceToDeltas } from '../../src/app/lab/trace-to-deltas.ts';
import { decodeEvents } from '../../src/viz/delta-events.ts';
import { RecordStatus, RunModel } from '../../src/viz/run-model.ts';
import { toJson } from '../../src/engine/trace/json.ts';

const input = parseTestStream(JSON.parse(readFileSync(new URL('../../examples/sessions-input.json', import.meta.url), 'utf8')));

function sessionsModel(): RunModel {
  const model = new RunModel();
  for (const d of runToDeltas(sessions, input)) model.apply(d);
  return model;
}

describe('RunModel', () => {
  it('holds every pane the engine fired, in order, with its timing', () => {
    const model = sessionsModel();
    const { records } = runPipeline(sessions, { input, seed: 1 });
    expect(model.panes.map((p) => [p.key, p.value, p.pane.timing, p.pt])).toEqual(records.map((r) => [r.key, r.value, r.pane?.timing, r.processingTime]));
    expect(model.sinkOutput).toHaveLength(records.length);
    expect(model.finished).toBe(true);
  });

  it('keeps a dot per record and marks the dropped one', () => {
    const model = sessionsModel();
    expect(model.records.length).toBe(5);
    const statuses = Array.from({ length: model.records.length }, (_, i) => [model.records.get(i, 'eventTime'), model.records.get(i, 'status')]);
    // bob's score at 2:00 arrives when the watermark is at 20:00: past its session's lateness.
    expect(statuses.filter(([, s]) => s === RecordStatus.Dropped)).toEqual([[120000, RecordStatus.Dropped]]);
    expect(model.lateAndDropped).toEqual([expect.objectContaining({ kind: 'windowExpired', eventTime: 120000, watermark: 1200000 })]);
  });

  it('revives infinite watermarks from the JSON encoding', () => {
    const model = sessionsModel();
    const last = [...model.watermarks.values()].map((points) => points[points.length - 1]!.watermark);
    expect(last.every((w) => w === Number.POSITIVE_INFINITY)).toBe(true);
  });

  it('shifts a restored attempt so timeline time never goes back', () => {
    const model = new RunModel();
    const first = traceToDeltas([
      { type: 'recordArrived', pt: 100, source: 's', partition: 0, offset: 0, eventTime: 5, arrival: 100 },
      { type: 'recordArrived', pt: 900, source: 's', partition: 0, offset: 1, eventTime: 6, arrival: 900 },
    ]);
    for (const d of first) model.apply(d);
    model.markCrash('crash now', 900);
    model.beginAttempt(2, 500, 1, 1000);
    for (const d of traceToDeltas([{ type: 'recordArrived', pt: 600, source: 's', partition: 0, offset: 1, eventTime: 6, arrival: 600 }])) model.apply({ ...d, attempt: 2 });
    expect(model.attempts.map((a) => [a.attempt, a.startT, a.offset])).toEqual([[1, 0, 0], [2, 1900, 1400]]);
    expect(model.records.get(2, 't')).toBe(2000);
    expect(model.records.get(2, 'attempt')).toBe(2);
    expect(model.crashes).toEqual([{ t: 900, attempt: 1, reason: 'crash now' }]);
  });
});

describe('decodeEvents', () => {
  const encode = (events: unknown[]) => new TextEncoder().encode(toJson(events));

  it('turns the engine’s infinite times back into numbers', () => {
    const events = decodeEvents(encode([{ type: 'watermarkAdvanced', pt: 5, operator: 'w', subtask: 0, watermark: Number.POSITIVE_INFINITY }]));
    expect(events).toEqual([{ type: 'watermarkAdvanced', pt: 5, operator: 'w', subtask: 0, watermark: Number.POSITIVE_INFINITY }]);
  });

  it('decodes events without infinite times to what the engine traced', () => {
    const events = [
      { type: 'timerFired', pt: 7, operator: 'w', subtask: 1, key: 'k', domain: 'eventTime', time: 4999, window: { start: 0, end: 5000 } },
      { type: 'sinkRecord', pt: 8, sink: 'out', subtask: 0, value: { label: '+inf as text', n: -1 }, timestamp: 4999 },
    ];
    expect(decodeEvents(encode(events))).toEqual(events);
  });
});
