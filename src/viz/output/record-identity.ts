// What makes two sink records "the same record", as the engine's delivery reports decide it
// (src/engine/checkpoint/delivery-report.ts): canonical JSON of key, value, timestamp, window and
// pane, a missing key equal to a null one, never the arrival time. Re-stated here because the viz
// layer may import the engine's types only; a test pins both to the same ids.

import type { Key } from '../../engine/runtime/record-batch.ts';
import type { PaneInfo } from '../../engine/windows/pane-info.ts';

/** A window as records carry it: `{start, end}`, or "global" (an infinite window counts as global). */
export type WindowLike = { readonly start: number; readonly end: number } | 'global';

/** The fields a record is identified by. */
export interface IdentifiedRecord {
  readonly key?: Key | null;
  readonly value: unknown;
  readonly timestamp: number;
  readonly window?: WindowLike;
  readonly pane?: PaneInfo;
  readonly retraction?: true;
}

/**
 * JSON with object keys sorted at every level and infinite numbers as "+inf"/"-inf"/"NaN": the
 * text of the engine's `canonicalRecordJson`, written by hand because a replacer that copies
 * every object is several times slower over 100 000 records.
 */
export function canonicalJson(value: unknown): string {
  return write(value) ?? 'undefined';
}

function write(v: unknown): string | undefined {
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? JSON.stringify(v) : v > 0 ? '"+inf"' : v < 0 ? '"-inf"' : '"NaN"';
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return JSON.stringify(v.toString());
    case 'object': {
      if (v === null) return 'null';
      const json = (v as { toJSON?: () => unknown }).toJSON;
      if (typeof json === 'function') return write(json.call(v));
      if (Array.isArray(v)) return `[${v.map((item) => write(item) ?? 'null').join(',')}]`;
      const parts: string[] = [];
      for (const k of Object.keys(v).sort()) {
        const inner = write((v as Record<string, unknown>)[k]);
        if (inner !== undefined) parts.push(`${JSON.stringify(k)}:${inner}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      return undefined;
  }
}

/** `{start: -inf, end: +inf}` is the global window. */
export function normaliseWindow(w: WindowLike | undefined): WindowLike | undefined {
  if (w === undefined || w === 'global') return w;
  return w.start === Number.NEGATIVE_INFINITY && w.end === Number.POSITIVE_INFINITY ? 'global' : { start: w.start, end: w.end };
}

/**
 * The identity of a record: equal for the records a delivery report counts as one. The
 * canonical JSON of `{key, pane, retraction, timestamp, value, window}` (keys in that sorted
 * order) written field by field: building that object and sorting its keys for each of
 * thousands of records a run writes in one burst was most of the output panel's update.
 */
export function recordId(r: IdentifiedRecord): string {
  const window = normaliseWindow(r.window);
  let out = `{"key":${write(r.key ?? null)}`;
  if (r.pane !== undefined) {
    const pane = write(r.pane);
    if (pane !== undefined) out += `,"pane":${pane}`;
  }
  if (r.retraction === true) out += ',"retraction":true';
  out += `,"timestamp":${write(r.timestamp)}`;
  const value = write(r.value);
  if (value !== undefined) out += `,"value":${value}`;
  if (window !== undefined) out += window === 'global' ? ',"window":"global"' : `,"window":{"end":${write(window.end)},"start":${write(window.start)}}`;
  return `${out}}`;
}
