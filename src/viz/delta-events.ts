// The events of a trace delta, decoded on the page: the worker writes them as the engine's JSON
// (src/engine/trace/json.ts: infinite times as the strings "+inf" and "-inf"), and this reads
// them back with the numbers restored. Invariant: decodeEvents(encode(events)) equals events.

import type { TraceEvent } from '../engine/trace/trace-event.ts';

const INFINITE_FIELDS = new Set(['watermark', 'start', 'end', 'time', 'eventTime', 'timestamp', 'groupMin']);

/**
 * Puts back the infinite times that JSON carries as strings: a property named as in
 * INFINITE_FIELDS holding "+inf" or "-inf", at any depth (as a JSON.parse reviver would, which
 * makes JSON.parse several times slower than this one walk of the parsed tree).
 */
function reviveInfinities(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) reviveInfinities(item);
    return;
  }
  const object = value as Record<string, unknown>;
  for (const key in object) {
    if (!Object.prototype.hasOwnProperty.call(object, key)) continue;
    const v = object[key];
    if (typeof v === 'string') {
      if (INFINITE_FIELDS.has(key)) {
        if (v === '+inf') object[key] = Number.POSITIVE_INFINITY;
        else if (v === '-inf') object[key] = Number.NEGATIVE_INFINITY;
      }
    } else if (typeof v === 'object' && v !== null) reviveInfinities(v);
  }
}

const decoder = new TextDecoder();

/**
 * Decodes the `events` buffer of a delta (the engine's JSON, infinite times included). The
 * infinite times are put back by a walk of the parsed events, only when the text holds one.
 */
export function decodeEvents(bytes: Uint8Array): TraceEvent[] {
  if (bytes.byteLength === 0) return [];
  const text = decoder.decode(bytes);
  const events = JSON.parse(text) as TraceEvent[];
  if (text.includes('"+inf"') || text.includes('"-inf"')) reviveInfinities(events);
  return events;
}
