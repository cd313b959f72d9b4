// Delivery reports: a run's sink output against a failure-free reference, as multisets of
// records identified by key, value, timestamp, window and pane (never processing time), per
// sink; and final upsert tables compared key by key.

import { describe, expect, it } from 'vitest';
import {
  canonicalRecordJson,
  compareToReference,
  compareUpsertTables,
  describeReport,
  describeUpsertReport,
  sinkWritesAsRecords,
  upsertTable,
  type SinkRecordLike,
} from '../../../src/engine/checkpoint/delivery-report.ts';
import type { PaneInfo } from '../../../src/engine/windows/pane-info.ts';

const pane0: PaneInfo = { timing: 'ON_TIME', index: 0, onTimeIndex: 0, isFirst: true, isLast: false };
const pane1: PaneInfo = { timing: 'LATE', index: 1, onTimeIndex: 1, isFirst: false, isLast: true };

const rec = (sink: string, value: unknown, timestamp: number, extra: Partial<SinkRecordLike> = {}): SinkRecordLike => ({
  sink,
  value,
  timestamp,
  processingTime: 0,
  ...extra,
});

describe('compareToReference', () => {
  it('finds nothing when the output equals the reference, whatever the order and processing times', () => {
    const reference = [rec('t', 1, 1, { key: 'a' }), rec('t', 2, 2, { key: 'b' })];
    const actual = [rec('t', 2, 2, { key: 'b', processingTime: 99 }), rec('t', 1, 1, { key: 'a', processingTime: 50 })];
    expect(compareToReference(reference, actual)).toEqual([
      { sink: 't', expected: 2, actual: 2, duplicated: [], lost: [], duplicates: 0, losses: 0, exact: true },
    ]);
  });

  it('counts duplicates (at-least-once replays) with how often each record was written', () => {
    const reference = [rec('t', 1, 1), rec('t', 2, 2), rec('t', 2, 2)];
    const actual = [rec('t', 1, 1), rec('t', 1, 1), rec('t', 1, 1), rec('t', 2, 2), rec('t', 2, 2), rec('t', 2, 2)];
    const [report] = compareToReference(reference, actual);
    expect(report).toMatchObject({ sink: 't', expected: 3, actual: 6, duplicates: 3, losses: 0, exact: false, lost: [] });
    expect(report!.duplicated).toEqual([
      { record: { key: null, value: 1, timestamp: 1 }, expected: 1, actual: 3 },
      { record: { key: null, value: 2, timestamp: 2 }, expected: 2, actual: 3 },
    ]);
    expect(describeReport(report!)).toBe(
      [
        'sink "t": 3 expected, 6 written, 3 duplicated, 0 lost',
        '  duplicated (×3 instead of ×1): {"key":null,"timestamp":1,"value":1}',
        '  duplicated (×3 instead of ×2): {"key":null,"timestamp":2,"value":2}',
      ].join('\n'),
    );
  });

  it('counts losses (at-most-once), including records never written', () => {
    const reference = [rec('t', 1, 1), rec('t', 2, 2), rec('t', 2, 2), rec('t', 3, 3)];
    const actual = [rec('t', 2, 2)];
    const [report] = compareToReference(reference, actual);
    expect(report).toMatchObject({ expected: 4, actual: 1, duplicates: 0, losses: 3, exact: false });
    expect(report!.lost.map((e) => [e.record.value, e.expected, e.actual])).toEqual([
      [1, 1, 0],
      [2, 2, 1],
      [3, 1, 0],
    ]);
    expect(describeReport(report!, { details: 0 })).toBe('sink "t": 4 expected, 1 written, 0 duplicated, 3 lost');
    expect(describeReport(report!, { details: 1 }).split('\n')).toEqual([
      'sink "t": 4 expected, 1 written, 0 duplicated, 3 lost',
      '  lost (×0 instead of ×1): {"key":null,"timestamp":1,"value":1}',
      '  … and 2 more lost records',
    ]);
  });

  it('reports duplicates and losses of one sink together, and each sink separately', () => {
    const reference = [rec('a', 1, 1), rec('b', 1, 1), rec('a', 2, 2)];
    const actual = [rec('a', 1, 1), rec('a', 1, 1), rec('b', 1, 1), rec('c', 9, 9)];
    const reports = compareToReference(reference, actual);
    expect(reports.map((r) => [r.sink, r.expected, r.actual, r.duplicates, r.losses, r.exact])).toEqual([
      ['a', 2, 2, 1, 1, false],
      ['b', 1, 1, 0, 0, true],
      ['c', 0, 1, 1, 0, false],
    ]);
  });

  it('tells records apart by key, timestamp, window, pane and retraction', () => {
    const base = rec('t', 10, 9, { key: 'k', window: { start: 0, end: 10 }, pane: pane0 });
    const variants = [
      base,
      { ...base, key: 'j' },
      { ...base, timestamp: 8 },
      { ...base, window: { start: 5, end: 15 } },
      { ...base, window: 'global' as const },
      { ...base, pane: pane1 },
      { ...base, retraction: true as const },
    ];
    const [report] = compareToReference(variants, [...variants].reverse());
    expect(report!.exact).toBe(true);
    const [shifted] = compareToReference(variants, variants.map((v) => ({ ...v, timestamp: v.timestamp + 100 })));
    expect(shifted).toMatchObject({ duplicates: 7, losses: 7 });
  });

  it('treats a missing key and a null key (a store write) alike, and ignores field order', () => {
    const reference = [rec('t', { b: 1, a: [1, { d: 2, c: 3 }] }, 1)];
    const actual = sinkWritesAsRecords('t', [{ key: null, value: { a: [1, { c: 3, d: 2 }], b: 1 }, timestamp: 1 }]);
    expect(compareToReference(reference, actual)[0]!.exact).toBe(true);
  });

  it('does not confuse infinite timestamps with null', () => {
    expect(canonicalRecordJson({ timestamp: Number.POSITIVE_INFINITY })).toBe('{"timestamp":"+inf"}');
    const [report] = compareToReference([rec('t', 1, Number.POSITIVE_INFINITY)], [rec('t', 1, Number.NEGATIVE_INFINITY)]);
    expect(report).toMatchObject({ duplicates: 1, losses: 1 });
  });
});

describe('upsert tables', () => {
  const w = (key: string | null, value: unknown, timestamp = 0) => ({ key, value, timestamp });

  it('keeps the last row per key and skips retractions', () => {
    const table = upsertTable([w('a', 1), w('b', 2), w('a', 3), { ...w('a', 9), retraction: true as const }]);
    expect([...table]).toEqual([
      ['a', { key: 'a', value: 3, timestamp: 0 }],
      ['b', { key: 'b', value: 2, timestamp: 0 }],
    ]);
    expect(() => upsertTable([w(null, 1)])).toThrow(/needs a key/);
  });

  it('is exact after a replay that overwrites with the same rows', () => {
    const reference = [w('a', 1), w('b', 2), w('a', 3)];
    const replayed = [w('a', 1), w('b', 2), w('a', 1), w('b', 2), w('a', 3)];
    const report = compareUpsertTables('latest', reference, replayed);
    expect(report).toEqual({ sink: 'latest', expected: 2, actual: 2, missing: [], unexpected: [], different: [], exact: true });
    expect(describeUpsertReport(report)).toBe('sink "latest": 2 keys expected, 2 in the table, 0 missing, 0 unexpected, 0 different');
  });

  it('lists missing, unexpected and different keys', () => {
    const report = compareUpsertTables('latest', [w('a', 1), w('b', 2), w('c', 3)], [w('a', 1), w('b', 5), w('d', 4)]);
    expect(report).toMatchObject({ expected: 3, actual: 3, missing: ['c'], unexpected: ['d'], exact: false });
    expect(report.different).toEqual([{ key: 'b', expected: { key: 'b', value: 2, timestamp: 0 }, actual: { key: 'b', value: 5, timestamp: 0 } }]);
    expect(describeUpsertReport(report).split('\n')).toEqual([
      'sink "latest": 3 keys expected, 3 in the table, 1 missing, 1 unexpected, 1 different',
      '  missing key "c"',
      '  unexpected key "d"',
      '  key "b": expected {"key":"b","timestamp":0,"value":2}, found {"key":"b","timestamp":0,"value":5}',
    ]);
  });
});
