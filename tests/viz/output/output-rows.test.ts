import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../../src/engine/api/run-pipeline.ts';
import { canonicalRecordJson, compareToReference } from '../../../src/engine/checkpoint/delivery-report.ts';
import type { TraceEvent } from '../../../src/engine/trace/trace-event.ts';
import { traceToDeltas } from '../../../src/app/lab/trace-to-deltas.ts';
import { RunModel } from '../../../src/viz/run-model.ts';
import { rowCells } from '../../../src/viz/output/output-cells.ts';
import { diffExpected, isProblem, outputTable, RecordIds, type ExpectedRecord } from '../../../src/viz/output/output-rows.ts';
import { canonicalJson, normaliseWindow, recordId } from '../../../src/viz/output/record-identity.ts';
import { exampleBuild, exampleInput, exampleModel } from '../time-domain/example-model.ts';

/** late-data, run once without failures: its sink records are the reference. */
function reference() {
  const events: TraceEvent[] = [];
  const { records } = runPipeline(exampleBuild('late-data'), { seed: 1, input: exampleInput('late-data')!, onTrace: (e) => events.push(e) });
  return { records, events };
}

/** late-data crashing at 1:00 and restarting from the checkpoint at `restartPt` after a 1 s downtime. */
function crashedModel(restartPt: number, crashPt = 60_000): RunModel {
  const { events } = reference();
  const model = new RunModel();
  for (const d of traceToDeltas(events.filter((e) => e.pt <= crashPt))) model.apply(d);
  model.markCrash('crash now', crashPt);
  model.beginAttempt(2, restartPt, 1, 1_000);
  for (const d of traceToDeltas(events.filter((e) => e.pt >= restartPt))) model.apply({ ...d, attempt: 2 });
  return model;
}

describe('output rows', () => {
  it('shows the sink records written by the playhead, with window, pane and arrival', () => {
    const model = exampleModel('late-data');
    const at = (t: number) => outputTable(model, t, new RecordIds());
    expect(at(59_999).rows).toEqual([]);
    expect(at(60_000).rows.map((r) => rowCells(r))).toEqual([
      { num: '1', sink: 'view-counts', key: '/home', value: '2', eventTime: '0:59.999', window: '0:00–1:00', pane: 'ON_TIME #0', paneTiming: 'ON_TIME', arrived: '1:00', badges: [] },
      { num: '2', sink: 'view-counts', key: '/pricing', value: '1', eventTime: '0:59.999', window: '0:00–1:00', pane: 'ON_TIME #0', paneTiming: 'ON_TIME', arrived: '1:00', badges: [] },
      { num: '3', sink: 'view-counts', key: '/home', value: '3', eventTime: '0:59.999', window: '0:00–1:00', pane: 'LATE #1', paneTiming: 'LATE', arrived: '1:00', badges: [] },
    ]);
    expect(at(120_000).sinks.map((s) => [s.sink, s.written])).toEqual([['view-counts', 4], ['late-views', 1]]);
  });

  it('identifies records exactly as the engine\'s delivery reports do', () => {
    for (const r of reference().records) {
      const { processingTime: _pt, sink: _sink, ...rest } = r;
      expect(recordId(r)).toBe(canonicalRecordJson({ ...rest, key: r.key ?? null }));
    }
    const odd = { a: [1, undefined, Infinity], z: { y: -Infinity, x: NaN, w: undefined }, d: new Date(0), n: null, s: 'é"' };
    expect(canonicalJson(odd)).toBe(canonicalRecordJson(odd));
  });

  it('writes a record\'s id field by field exactly as the canonical JSON of its identifying fields', () => {
    const num = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(Infinity, -Infinity, NaN));
    const record = fc.record(
      {
        key: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant(undefined)),
        value: fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.object(), fc.array(num)),
        timestamp: num,
        window: fc.oneof(fc.constant('global' as const), fc.record({ start: num, end: num })),
        pane: fc.record({ timing: fc.constantFrom('EARLY', 'ON_TIME', 'LATE'), index: fc.nat(), isFirst: fc.boolean(), isLast: fc.boolean() }),
        retraction: fc.constant(true as const),
      },
      { requiredKeys: ['value', 'timestamp'] },
    );
    fc.assert(
      fc.property(record, (r) => {
        const window = normaliseWindow(r.window);
        const whole = { key: r.key ?? null, value: r.value, timestamp: r.timestamp, ...(window !== undefined ? { window } : {}), ...(r.pane !== undefined ? { pane: r.pane } : {}), ...(r.retraction === true ? { retraction: true } : {}) };
        expect(recordId(r as Parameters<typeof recordId>[0])).toBe(canonicalJson(whole));
      }),
      { numRuns: 500 },
    );
  });

  it('marks the copies a replay wrote beyond the failure-free run as duplicates', () => {
    // Restarting from 0:00 replays the first minute: the three panes fired at 1:00 are written twice.
    const model = crashedModel(0);
    const report = { sinks: compareToReference(reference().records, model.sinkOutput) };
    expect(report.sinks.map((s) => [s.sink, s.duplicates, s.losses])).toEqual([['view-counts', 3, 0], ['late-views', 0, 0]]);
    const table = outputTable(model, model.endT, new RecordIds(), report);
    const marked = table.rows.filter(isProblem).map((r) => (r.kind === 'written' ? [r.index, r.record.key, r.record.value, r.copy, r.marks] : r.kind));
    expect(marked).toEqual([
      [3, '/home', 2, 2, ['duplicate']],
      [4, '/pricing', 1, 2, ['duplicate']],
      [5, '/home', 3, 2, ['duplicate']],
    ]);
    expect(table.sinks.map((s) => [s.sink, s.written, s.duplicates, s.lost])).toEqual([['view-counts', 7, 3, 0], ['late-views', 1, 0, 0]]);
    expect(rowCells(table.rows[3]!).badges).toEqual([{ kind: 'duplicate', text: '↻ duplicate #2', detail: 'Copy 2 of this record; the failure-free run wrote 1 copy.' }]);
  });

  it('lists what the failure-free run wrote and this run lost', () => {
    // Restarting past 1:30 skips the late view the side output wrote at 1:30.
    const model = crashedModel(90_001, 60_000);
    const report = { sinks: compareToReference(reference().records, model.sinkOutput) };
    const table = outputTable(model, model.endT, new RecordIds(), report);
    const lost = table.rows.filter((r) => r.kind === 'lost');
    expect(lost.map((r) => rowCells(r))).toEqual([
      {
        num: '', sink: 'late-views', key: '/pricing', value: '{"page":"/pricing","user":"eve"}', eventTime: '0:40', window: '', pane: '', paneTiming: '', arrived: '—',
        badges: [{ kind: 'lost', text: '∅ lost (0 of 1)', detail: 'The failure-free run wrote 1 copy; this run wrote 0 copies.' }],
      },
    ]);
    expect(table.sinks.map((s) => [s.sink, s.lost])).toEqual([['view-counts', 0], ['late-views', 1]]);
  });

  it('diffs the output against an exercise\'s expected records: matched, missing, unexpected', () => {
    const model = exampleModel('late-data');
    const expected: ExpectedRecord[] = [
      { sink: 'view-counts', key: '/home', value: 2, window: { start: 0, end: 60_000 } },
      { sink: 'view-counts', key: '/home', value: 3, pane: { timing: 'LATE' } },
      { sink: 'view-counts', key: '/pricing', value: 2 },
      { sink: 'view-counts', key: '/home', value: 1, pane: { timing: 'EARLY' } },
    ];
    const table = outputTable(model, model.endT, new RecordIds(), undefined, expected);
    expect(table.rows.map((r) => (r.kind === 'written' ? [r.record.sink, r.record.key, r.record.value, r.marks] : [r.kind]))).toEqual([
      ['view-counts', '/home', 2, ['matched']],
      ['view-counts', '/pricing', 1, ['unexpected']],
      ['view-counts', '/home', 3, ['matched']],
      ['late-views', '/pricing', { page: '/pricing', user: 'eve' }, ['unexpected']],
      ['view-counts', '/home', 1, ['unexpected']],
      ['missing'],
      ['missing'],
    ]);
    expect(table.sinks.map((s) => [s.sink, s.matched, s.missing, s.unexpected])).toEqual([['view-counts', 2, 2, 2], ['late-views', 0, 0, 1]]);
    // Before the playhead reaches 1:00 nothing matches yet: every expected record is missing.
    expect(outputTable(model, 59_999, new RecordIds(), undefined, expected).sinks.map((s) => [s.sink, s.missing])).toEqual([['view-counts', 4], ['late-views', 0]]);
  });

  it('matches each written record to one expected record only', () => {
    const model = exampleModel('late-data');
    const twice: ExpectedRecord[] = [
      { sink: 'view-counts', key: '/pricing', value: 1 },
      { sink: 'view-counts', key: '/pricing', value: 1 },
    ];
    const { matched, missing } = diffExpected(model.sinkOutput, twice);
    expect(matched).toEqual([false, true, false, false, false]);
    expect(missing).toEqual([twice[1]]);
  });

  it('stays fast for 100 000 records', () => {
    const model = new RunModel();
    const events: TraceEvent[] = Array.from({ length: 100_000 }, (_, i) => ({ type: 'sinkRecord', pt: i, sink: 'big', key: `k${i % 100}`, value: i, timestamp: i }) as TraceEvent);
    for (const d of traceToDeltas(events)) model.apply(d);
    const ids = new RecordIds();
    const start = performance.now();
    const table = outputTable(model, 99_999, ids);
    outputTable(model, 50_000, ids);
    expect(table.rows).toHaveLength(100_000);
    expect(performance.now() - start).toBeLessThan(2_000);
  });
});
