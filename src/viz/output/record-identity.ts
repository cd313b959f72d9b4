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

/** JSON with object keys sorted at every level and infinite numbers as "+inf"/"-inf"/"NaN". */
export function canonicalJson(value: unknown): string {
  return (
    JSON.stringify(value, (_key, inner: unknown) => {
      if (typeof inner === 'number' && !Number.isFinite(inner)) return inner > 0 ? '+inf' : inner < 0 ? '-inf' : 'NaN';
      if (typeof inner === 'bigint') return inner.toString();
      if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(inner).sort()) sorted[k] = (inner as Record<string, unknown>)[k];
      return sorted;
    }) ?? 'undefined'
  );
}

/** `{start: -inf, end: +inf}` is the global window. */
export function normaliseWindow(w: WindowLike | undefined): WindowLike | undefined {
  if (w === undefined || w === 'global') return w;
  return w.start === Number.NEGATIVE_INFINITY && w.end === Number.POSITIVE_INFINITY ? 'global' : { start: w.start, end: w.end };
}

/** The identity of a record: equal for the records a delivery report counts as one. */
export function recordId(r: IdentifiedRecord): string {
  const window = normaliseWindow(r.window);
  return canonicalJson({
    key: r.key ?? null,
    value: r.value,
    timestamp: r.timestamp,
    ...(window !== undefined ? { window } : {}),
    ...(r.pane !== undefined ? { pane: r.pane } : {}),
    ...(r.retraction === true ? { retraction: true } : {}),
  });
}
