import { describe, expect, test } from 'vitest';
import { deliveredOutput, diffOutputs } from '../../../src/app/playground/output-diff.ts';
import type { SinkOutput } from '../../../src/viz/run-model.ts';
import type { OutputReport } from '../../../src/worker/protocol.ts';

const pane = (index: number, timing: 'EARLY' | 'ON_TIME' | 'LATE' = 'ON_TIME') => ({ timing, index, onTimeIndex: timing === 'LATE' ? 1 : 0, isFirst: index === 0, isLast: false });

function out(t: number, attempt: number, key: string, value: number, start: number, index = 0, timing: 'EARLY' | 'ON_TIME' | 'LATE' = 'ON_TIME'): SinkOutput {
  return { t, attempt, sink: 'totals', key, value, timestamp: start + 999, window: { start, end: start + 1000 }, pane: pane(index, timing) };
}

describe('deliveredOutput', () => {
  test('keeps what was written by the playhead only', () => {
    const records = [out(10, 1, 'a', 1, 0), out(20, 1, 'b', 2, 0)];
    expect(deliveredOutput({ records, atEnd: false }, 15).map((d) => d.record.key)).toEqual(['a']);
  });

  test('counts a record a restored attempt wrote again once, as exactly-once delivers it', () => {
    const records = [out(10, 1, 'a', 1, 0), out(20, 1, 'b', 2, 0), out(40, 2, 'b', 2, 0), out(50, 2, 'c', 3, 0)];
    expect(deliveredOutput({ records, atEnd: false }, 100).map((d) => [d.record.key, d.copies])).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', 1],
    ]);
  });

  test('at the end of a run takes the copies the delivery report found in the store', () => {
    const records = [out(10, 1, 'a', 1, 0), out(20, 1, 'b', 2, 0), out(40, 2, 'b', 2, 0)];
    const b = records[1]!;
    const report: OutputReport = {
      sinks: [
        {
          sink: 'totals',
          expected: 2,
          actual: 3,
          duplicated: [{ record: { key: 'b', value: 2, timestamp: b.timestamp, window: b.window!, pane: b.pane! }, expected: 1, actual: 2 }],
          lost: [],
          duplicates: 1,
          losses: 0,
          exact: false,
        },
      ],
    };
    const copies = (atEnd: boolean) => deliveredOutput({ records, report, atEnd }, 100).map((d) => [d.record.key, d.copies]);
    expect(copies(true)).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(copies(false)).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
  });
});

describe('diffOutputs', () => {
  const delivered = (records: SinkOutput[]) => deliveredOutput({ records, atEnd: false }, Infinity);

  test('finds no difference between equal outputs', () => {
    const records = [out(10, 1, 'a', 1, 0), out(20, 1, 'b', 2, 1000)];
    const diff = diffOutputs(delivered(records), delivered(records));
    expect([diff.same, diff.changed, diff.onlyA, diff.onlyB]).toEqual([2, 0, 0, 0]);
  });

  test('pairs a pane by sink, key, window and index, and marks another value as changed', () => {
    const diff = diffOutputs(delivered([out(10, 1, 'a', 3, 0)]), delivered([out(30, 1, 'a', 5, 0)]));
    expect(diff.rows.map((r) => [r.kind, r.a?.value, r.b?.value])).toEqual([['changed', 3, 5]]);
  });

  test('a late pane only one delay produced is on its side, after the panes both have', () => {
    const a = [out(10, 1, 'a', 3, 0), out(50, 1, 'a', 4, 0, 1, 'LATE')];
    const b = [out(30, 1, 'a', 4, 0)];
    const diff = diffOutputs(delivered(a), delivered(b));
    expect(diff.rows.map((r) => [r.kind, r.a?.value, r.b?.value, r.extraCopy])).toEqual([
      ['changed', 3, 4, false],
      ['onlyA', 4, undefined, false],
    ]);
  });

  test('an extra copy in one run is marked as a copy, not a new result', () => {
    const once = [{ record: out(10, 1, 'a', 1, 0), copies: 1 }];
    const twice = [{ record: out(10, 1, 'a', 1, 0), copies: 2 }];
    const diff = diffOutputs(once, twice);
    expect(diff.rows.map((r) => [r.kind, r.extraCopy])).toEqual([
      ['same', false],
      ['onlyB', true],
    ]);
  });

  test('orders rows by sink, window, key and pane index', () => {
    const a = [out(10, 1, 'b', 1, 1000), out(20, 1, 'a', 1, 1000), out(30, 1, 'z', 1, 0)];
    const diff = diffOutputs(delivered(a), []);
    expect(diff.rows.map((r) => r.a?.key)).toEqual(['z', 'a', 'b']);
  });
});
