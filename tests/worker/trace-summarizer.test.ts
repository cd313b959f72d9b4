import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toJson } from '../../src/engine/trace/json.ts';
import type { TraceEvent } from '../../src/engine/trace/trace-event.ts';
import { decodeEvents } from '../../src/viz/delta-events.ts';
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

  it('cuts a part again where its JSON passes partChars: same events in order, each part a JSON array of whole events within the limit', () => {
    const sink = (pt: number, label: string): TraceEvent => ({ type: 'sinkRecord', pt, sink: 'out', subtask: 0, value: { label }, timestamp: pt === 3 ? Number.POSITIVE_INFINITY : pt });
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 120 }), { maxLength: 60 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 900 }), (labels, maxEvents, partChars) => {
        const s = new TraceSummarizer(1, { partChars });
        s.push(arrival(0));
        const events = labels.map((label, i) => sink(i, label));
        events.forEach((e) => s.push(e));
        const parts = s.flushParts(7, true, maxEvents);
        const texts = parts.map((p) => new TextDecoder().decode(p.delta.events));
        expect(parts.flatMap((p) => decodeEvents(p.delta.events))).toEqual(events);
        for (const [k, p] of parts.entries()) {
          const decoded = decodeEvents(p.delta.events);
          expect(texts[k]).toBe(decoded.length === 0 ? '' : toJson(decoded));
          expect(decoded.length).toBeLessThanOrEqual(maxEvents);
          if (decoded.length > 1) expect(texts[k]!.length).toBeLessThanOrEqual(partChars);
          expect([p.delta.records.length, p.delta.finished]).toEqual([k === 0 ? 5 : 0, k === parts.length - 1]);
        }
        // At least the parts maxEvents alone asks for.
        expect(parts.length).toBeGreaterThanOrEqual(Math.max(1, Math.ceil(events.length / maxEvents)));
      }),
    );
  });

  it('sends a burst of a thousand pane firings in parts of at most 64 KiB of JSON by default', () => {
    const s = new TraceSummarizer(1);
    for (let i = 0; i < 1000; i++) {
      s.push({ type: 'paneFired', pt: 15_000, operator: 'count TumblingWindows(5 s)', subtask: 0, key: i, window: { start: 10_000, end: 15_000 }, pane: { timing: 'ON_TIME', index: 0, onTimeIndex: 0, isFirst: true, isLast: true }, value: 31, timestamp: 14_999, watermark: Number.POSITIVE_INFINITY, retraction: false, elements: 31 });
    }
    const parts = s.flushParts(15_000, false, 1000);
    const sizes = parts.map((p) => p.delta.events.byteLength);
    // A firing is about 295 characters (the key's digits vary): 222 a part.
    expect(parts.map((p) => decodeEvents(p.delta.events).length)).toEqual([222, 222, 222, 222, 112]);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(65_536);
    expect(parts.flatMap((p) => decodeEvents(p.delta.events).map((e) => (e.type === 'paneFired' ? e.key : -1)))).toEqual(Array.from({ length: 1000 }, (_, i) => i));
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
