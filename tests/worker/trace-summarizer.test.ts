import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/engine/trace/trace-event.ts';
import { decodeEvents } from '../../src/viz/run-model.ts';
import { coalesce, TraceSummarizer } from '../../src/worker/trace-summarizer.ts';

const arrival = (i: number, source = 'in'): TraceEvent => ({ type: 'recordArrived', pt: i, source, partition: 0, offset: i, eventTime: i * 10, arrival: i });
const watermark = (pt: number, subtask: number, w: number): TraceEvent => ({ type: 'watermarkAdvanced', pt, operator: 'win', subtask, watermark: w });

describe('TraceSummarizer', () => {
  it('packs record arrivals as columns and other events as JSON, with infinite times as "+inf"', () => {
    const s = new TraceSummarizer(2);
    s.push(arrival(0));
    s.push(arrival(1, 'other'));
    s.push(watermark(1, 0, Number.POSITIVE_INFINITY));
    const { delta, transfer } = s.flush(5, true);
    expect(Array.from(delta.records)).toEqual([0, 0, 0, 0, 0, 10, 1, 1, 0, 1]);
    expect(delta.sources).toEqual(['in', 'other']);
    expect(new TextDecoder().decode(delta.events)).toBe('[{"type":"watermarkAdvanced","pt":1,"operator":"win","subtask":0,"watermark":"+inf"}]');
    expect(decodeEvents(delta.events)).toEqual([watermark(1, 0, Number.POSITIVE_INFINITY)]);
    expect(delta).toMatchObject({ seq: 0, attempt: 2, pt: 5, finished: true, recordsSkipped: 0, eventsCoalesced: 0 });
    expect(transfer).toEqual([delta.records.buffer, delta.events.buffer]);
  });

  it('splits a flush into deltas of at most n events: dots and counts in the first, finished on the last', () => {
    const s = new TraceSummarizer(1, { recordCap: 1, recordEvery: 2 });
    // Arrivals 0 and 1 kept, 2 sampled out.
    for (let i = 0; i < 3; i++) s.push(arrival(i));
    for (let i = 0; i < 5; i++) s.push(watermark(i, i, i * 100));
    const parts = s.flushParts(9, true, 2);
    expect(parts.map((p) => decodeEvents(p.delta.events).map((e) => e.pt))).toEqual([[0, 1], [2, 3], [4]]);
    expect(parts.map((p) => p.delta.records.length)).toEqual([10, 0, 0]);
    expect(parts.map((p) => [p.delta.seq, p.delta.pt, p.delta.finished, p.delta.recordsSkipped])).toEqual([
      [0, 9, false, 1],
      [1, 9, false, 0],
      [2, 9, true, 0],
    ]);
    expect(s.flushParts(10, false, 2).map((p) => [p.delta.seq, p.delta.events.byteLength, p.delta.records.length])).toEqual([[3, 0, 0]]);
  });

  it('keeps the first arrivals up to the cap, then every k-th, and counts the rest', () => {
    const s = new TraceSummarizer(1, { recordCap: 3, recordEvery: 4 });
    for (let i = 0; i < 12; i++) s.push(arrival(i));
    const { delta } = s.flush(12, false);
    // Kept: 0, 1, 2 (the cap), then 3, 7, 11 (every 4th past it).
    expect(Array.from(delta.records).filter((_, i) => i % 5 === 4)).toEqual([0, 1, 2, 3, 7, 11]);
    expect(delta.recordsSkipped).toBe(6);
    // Sampling goes on across deltas: the next kept arrival is 15.
    for (let i = 12; i < 16; i++) s.push(arrival(i));
    const next = s.flush(16, false).delta;
    expect(Array.from(next.records).filter((_, i) => i % 5 === 4)).toEqual([15]);
    expect(next.recordsSkipped).toBe(3);
    expect(next.seq).toBe(1);
  });

  it('coalesces high-rate events per subtask only when a delta holds many, counting what it folded', () => {
    const few = new TraceSummarizer(1, { coalesceAbove: 4 });
    for (let i = 0; i < 4; i++) few.push(watermark(i, 0, i));
    expect(few.flush(4, false).delta.eventsCoalesced).toBe(0);

    const many = new TraceSummarizer(1, { coalesceAbove: 4 });
    const late: TraceEvent = { type: 'recordLate', pt: 2, operator: 'win', subtask: 0, key: 'a', eventTime: 1, watermark: 5, sideOutput: 'late' };
    many.push(watermark(0, 0, 0));
    many.push(watermark(1, 1, 10));
    many.push(late);
    many.push(watermark(3, 0, 30));
    many.push(watermark(4, 1, 40));
    many.push(watermark(5, 0, 50));
    const { delta } = many.flush(6, false);
    expect(decodeEvents(delta.events)).toEqual([late, watermark(4, 1, 40), watermark(5, 0, 50)]);
    expect(delta.eventsCoalesced).toBe(3);
  });

  it('never coalesces panes, late and dropped records, checkpoints, crashes or sink records', () => {
    const events: TraceEvent[] = [
      { type: 'checkpointTriggered', pt: 1, checkpointId: 1 },
      { type: 'checkpointTriggered', pt: 1, checkpointId: 1 },
      { type: 'recordDropped', pt: 1, operator: 'w', subtask: 0, reason: 'windowExpired', key: 'a', eventTime: 0, watermark: 9, windows: [] },
      { type: 'recordDropped', pt: 1, operator: 'w', subtask: 0, reason: 'windowExpired', key: 'a', eventTime: 0, watermark: 9, windows: [] },
      { type: 'sinkRecord', pt: 1, sink: 'out', value: 1, timestamp: 0 },
      { type: 'sinkRecord', pt: 1, sink: 'out', value: 1, timestamp: 0 },
      { type: 'jobCrashed', pt: 1, attempt: 1, reason: 'x' },
    ];
    expect(coalesce(events)).toEqual({ events, coalesced: 0 });
  });

  it('counts pane firings and sink records past the run cap in eventsSkipped', () => {
    const s = new TraceSummarizer(1, { resultCap: 2 });
    for (let i = 0; i < 5; i++) s.push({ type: 'sinkRecord', pt: i, sink: 'out', value: i, timestamp: i });
    const { delta } = s.flush(5, false);
    expect(decodeEvents(delta.events).map((e) => (e.type === 'sinkRecord' ? e.value : null))).toEqual([0, 1]);
    expect(delta.eventsSkipped).toBe(3);
    expect(s.isEmpty).toBe(true);
  });
});
