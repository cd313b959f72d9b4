// Delivery reports: what a sink's external store holds after a run with failures, against what a
// failure-free run of the same job wrote (docs/durability.md, "Delivery guarantees at sinks").
// Runs are deterministic, so the failure-free run is the reference: any difference is what the
// failures and the sink's guarantee caused — duplicates (at-least-once) or losses (at-most-once).
//
// Invariants: records are compared as multisets of their canonical JSON over key, value,
// timestamp, window, pane (and retraction), never processingTime, which legitimately differs
// after a crash; a missing key and a null key are the same (a SinkWrite's `null` is a
// SinkRecord's absent key). Reports list entries and sinks in first-seen order (reference
// first), so they are deterministic too.

import type { Key } from '../runtime/record-batch.ts';
import type { PaneInfo } from '../windows/pane-info.ts';
import type { SinkWrite } from './durable-store.ts';

/** A record as either side presents it: a SinkRecord of a run, or a store write tagged with its sink. */
export interface SinkRecordLike {
  readonly sink: string;
  readonly key?: Key | null;
  readonly value: unknown;
  readonly timestamp: number;
  readonly window?: { readonly start: number; readonly end: number } | 'global';
  readonly pane?: PaneInfo;
  readonly retraction?: true;
  /** Ignored by every comparison. */
  readonly processingTime?: number;
}

/** The fields a record is identified by. */
export interface DeliveredRecord {
  readonly key: Key | null;
  readonly value: unknown;
  readonly timestamp: number;
  readonly window?: { readonly start: number; readonly end: number } | 'global';
  readonly pane?: PaneInfo;
  readonly retraction?: true;
}

/** One distinct record, with how often each side holds it. */
export interface DeliveryEntry {
  readonly record: DeliveredRecord;
  /** Occurrences in the reference. */
  readonly expected: number;
  /** Occurrences in the actual output. */
  readonly actual: number;
}

/** How one sink's actual output differs from the reference. */
export interface DeliveryReport {
  readonly sink: string;
  /** Records in the reference. */
  readonly expected: number;
  /** Records actually written. */
  readonly actual: number;
  /** Records written more often than in the reference (actual > expected). */
  readonly duplicated: readonly DeliveryEntry[];
  /** Records written less often than in the reference (actual < expected), including never. */
  readonly lost: readonly DeliveryEntry[];
  /** Extra copies in all: the sum of actual - expected over `duplicated`. */
  readonly duplicates: number;
  /** Missing copies in all: the sum of expected - actual over `lost`. */
  readonly losses: number;
  /** True when both sides hold the same multiset of records. */
  readonly exact: boolean;
}

/**
 * Compares each sink's records in `actual` with those in `reference` (a failure-free run), as
 * multisets: order does not matter, multiplicity does. One report per sink seen on either side,
 * sinks in first-seen order (reference first).
 * @example
 * const [report] = compareToReference(cleanRun.records, crashedRun.records);
 * report.exact; // false for an at-least-once sink that replayed
 */
export function compareToReference(reference: readonly SinkRecordLike[], actual: readonly SinkRecordLike[]): DeliveryReport[] {
  const sinks = new Map<string, Map<string, { record: DeliveredRecord; expected: number; actual: number }>>();
  const count = (records: readonly SinkRecordLike[], side: 'expected' | 'actual'): void => {
    for (const r of records) {
      let entries = sinks.get(r.sink);
      if (entries === undefined) sinks.set(r.sink, (entries = new Map()));
      const record = deliveredRecord(r);
      const id = canonicalRecordJson(record);
      let entry = entries.get(id);
      if (entry === undefined) entries.set(id, (entry = { record, expected: 0, actual: 0 }));
      entry[side]++;
    }
  };
  count(reference, 'expected');
  count(actual, 'actual');
  const reports: DeliveryReport[] = [];
  for (const [sink, entries] of sinks) {
    const duplicated: DeliveryEntry[] = [];
    const lost: DeliveryEntry[] = [];
    let expected = 0;
    let written = 0;
    let duplicates = 0;
    let losses = 0;
    for (const e of entries.values()) {
      expected += e.expected;
      written += e.actual;
      if (e.actual > e.expected) {
        duplicated.push(e);
        duplicates += e.actual - e.expected;
      } else if (e.actual < e.expected) {
        lost.push(e);
        losses += e.expected - e.actual;
      }
    }
    reports.push({ sink, expected, actual: written, duplicated, lost, duplicates, losses, exact: duplicates === 0 && losses === 0 });
  }
  return reports;
}

/** Tags what a store's `sinkRead(sink)` returned with the sink's name, for compareToReference. */
export function sinkWritesAsRecords(sink: string, writes: readonly SinkWrite[]): SinkRecordLike[] {
  return writes.map((w) => ({ ...w, sink }));
}

/** Options of describeReport and describeUpsertReport. */
export interface DescribeOptions {
  /** How many differing records to list per kind, indented under the summary. Default 3; 0 for the summary only. */
  readonly details?: number;
}

/**
 * The report as lines for the command line's summary: first
 * `sink "totals": 120 expected, 123 written, 3 duplicated, 0 lost`, then a few of the differing
 * records (`  duplicated (×2 instead of ×1): {…}`).
 */
export function describeReport(report: DeliveryReport, options: DescribeOptions = {}): string {
  const lines = [
    `sink ${JSON.stringify(report.sink)}: ${report.expected} expected, ${report.actual} written, ${report.duplicates} duplicated, ${report.losses} lost`,
  ];
  const details = options.details ?? 3;
  const list = (kind: string, entries: readonly DeliveryEntry[]): void => {
    for (const e of entries.slice(0, details)) {
      lines.push(`  ${kind} (×${e.actual} instead of ×${e.expected}): ${canonicalRecordJson(e.record)}`);
    }
    if (entries.length > details && details > 0) lines.push(`  … and ${entries.length - details} more ${kind} records`);
  };
  list('duplicated', report.duplicated);
  list('lost', report.lost);
  return lines.join('\n');
}

/** A row of an upsert table: a store write whose `key` is the primary key. */
export type UpsertRow = Pick<SinkWrite, 'key' | 'value' | 'timestamp' | 'window' | 'pane' | 'retraction'>;

/** A key whose final rows differ. */
export interface UpsertDifference {
  readonly key: Key;
  readonly expected: DeliveredRecord;
  readonly actual: DeliveredRecord;
}

/** How an upsert sink's final table differs from the reference's. */
export interface UpsertReport {
  readonly sink: string;
  /** Keys in the reference table. */
  readonly expected: number;
  /** Keys in the actual table. */
  readonly actual: number;
  /** Keys only the reference has. */
  readonly missing: readonly Key[];
  /** Keys only the actual table has. */
  readonly unexpected: readonly Key[];
  /** Keys both have, with different final rows. */
  readonly different: readonly UpsertDifference[];
  /** True when both tables hold the same keys with the same final rows. */
  readonly exact: boolean;
}

/**
 * The final table of a sequence of upserts: the last row per key, in first-write order of the
 * keys. Retractions are skipped (an upsert sink does not write them; the next upsert replaces the
 * value). Throws on a row without a key, which no upsert table can hold.
 */
export function upsertTable(rows: readonly UpsertRow[]): Map<Key, DeliveredRecord> {
  const table = new Map<Key, DeliveredRecord>();
  for (const row of rows) {
    if (row.retraction === true) continue;
    if (row.key === null) throw new TypeError(`an upsert row needs a key: ${canonicalRecordJson(deliveredRecord(row))}`);
    table.set(row.key, deliveredRecord(row));
  }
  return table;
}

/**
 * Compares the final upsert tables of `reference` and `actual` (each a sequence of writes, or
 * a store's `sinkRead`, in write order): an idempotent upsert sink is exact after a replay, since
 * replayed writes overwrite with the same rows.
 */
export function compareUpsertTables(sink: string, reference: readonly UpsertRow[], actual: readonly UpsertRow[]): UpsertReport {
  const want = upsertTable(reference);
  const got = upsertTable(actual);
  const missing: Key[] = [];
  const different: UpsertDifference[] = [];
  for (const [key, expected] of want) {
    const found = got.get(key);
    if (found === undefined) missing.push(key);
    else if (canonicalRecordJson(found) !== canonicalRecordJson(expected)) different.push({ key, expected, actual: found });
  }
  const unexpected = [...got.keys()].filter((key) => !want.has(key));
  return {
    sink,
    expected: want.size,
    actual: got.size,
    missing,
    unexpected,
    different,
    exact: missing.length === 0 && unexpected.length === 0 && different.length === 0,
  };
}

/** The upsert report as lines: `sink "latest": 12 keys expected, 12 in the table, 0 missing, 0 unexpected, 0 different`, then a few keys. */
export function describeUpsertReport(report: UpsertReport, options: DescribeOptions = {}): string {
  const lines = [
    `sink ${JSON.stringify(report.sink)}: ${report.expected} keys expected, ${report.actual} in the table, ` +
      `${report.missing.length} missing, ${report.unexpected.length} unexpected, ${report.different.length} different`,
  ];
  const details = options.details ?? 3;
  for (const key of report.missing.slice(0, details)) lines.push(`  missing key ${JSON.stringify(key)}`);
  for (const key of report.unexpected.slice(0, details)) lines.push(`  unexpected key ${JSON.stringify(key)}`);
  for (const d of report.different.slice(0, details)) {
    lines.push(`  key ${JSON.stringify(d.key)}: expected ${canonicalRecordJson(d.expected)}, found ${canonicalRecordJson(d.actual)}`);
  }
  return lines.join('\n');
}

/** The identifying fields of a record, with a null key for a missing one and no processingTime. */
function deliveredRecord(r: UpsertRow | SinkRecordLike): DeliveredRecord {
  return {
    key: r.key ?? null,
    value: r.value,
    timestamp: r.timestamp,
    ...(r.window !== undefined ? { window: r.window } : {}),
    ...(r.pane !== undefined ? { pane: r.pane } : {}),
    ...(r.retraction === true ? { retraction: true as const } : {}),
  };
}

/**
 * JSON with object keys sorted at every level, so equal records give equal text whatever order
 * their fields were built in; infinite and NaN numbers become "+inf", "-inf" and "NaN" as in the
 * engine's other JSON (trace/json.ts), where JSON.stringify would turn them all into null.
 */
export function canonicalRecordJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (typeof inner === 'number' && !Number.isFinite(inner)) return inner > 0 ? '+inf' : inner < 0 ? '-inf' : 'NaN';
    if (typeof inner === 'bigint') return inner.toString();
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(inner).sort()) sorted[k] = (inner as Record<string, unknown>)[k];
    return sorted;
  });
}
