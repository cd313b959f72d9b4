import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareToReference } from '../../../src/engine/checkpoint/delivery-report.ts';
import { runDurable } from '../../../src/engine/checkpoint/job-driver.ts';
import { MemoryDurableStore } from '../../../src/engine/checkpoint/memory-store.ts';
import type { TraceEvent } from '../../../src/engine/trace/trace-event.ts';
import { loadTrace } from '../../../src/app/lab/trace-to-deltas.ts';
import type { OutputReport, TraceDelta } from '../../../src/worker/protocol.ts';
import { RunModel } from '../../../src/viz/run-model.ts';
import { OutputFollower } from '../../../src/viz/output/output-follower.ts';
import { outputTable, RecordIds, type ExpectedRecord } from '../../../src/viz/output/output-rows.ts';
import { durableEvents, meterTotals } from '../checkpoints/meter-run.ts';
import { runPipeline } from '../../../src/engine/api/run-pipeline.ts';

/** The follower's table at `t` equals the table built from scratch. */
function expectSameAsScratch(follower: OutputFollower, model: RunModel, t: number, reference?: OutputReport, expected?: readonly ExpectedRecord[]): number {
  const followed = follower.table(model, t, reference, expected);
  expect(followed).toEqual(outputTable(model, t, new RecordIds(), reference, expected));
  return followed.rows.length;
}

/**
 * The follower's table at `t` taken in pieces of `maxRows` rows: each piece holds the first
 * written rows of the table from scratch, marks included, and the last equals it.
 */
function expectPiecesThenScratch(follower: OutputFollower, model: RunModel, t: number, maxRows: number, reference?: OutputReport): number {
  const scratch = outputTable(model, t, new RecordIds(), reference);
  const written = scratch.rows.filter((r) => r.kind === 'written');
  let pieces = 0;
  let table = follower.table(model, t, reference, undefined, maxRows);
  while (!follower.complete) {
    const rows = table.rows.filter((r) => r.kind === 'written');
    expect(rows.length).toBeLessThan(written.length);
    expect(rows).toEqual(written.slice(0, rows.length));
    table = follower.table(model, t, reference, undefined, maxRows);
    pieces++;
  }
  expect(table).toEqual(scratch);
  return pieces;
}

/** The meter job's report against its failure-free run. */
function meterReference(model: RunModel): OutputReport {
  const { records } = runPipeline(meterTotals(), { seed: 1 });
  return { sinks: compareToReference(records, model.sinkOutput) };
}

describe('output rows followed as a run plays', () => {
  it('equal the rows built from scratch after every delta of a crashed exactly-once run, marks included', async () => {
    const events = await durableEvents([2500, 6100]);
    const full = new RunModel();
    loadTrace(full, events);
    const reference = meterReference(full);
    // The same run applied delta by delta, the playhead at the end, with and without the reference.
    const model = new RunModel();
    const plain = new OutputFollower();
    const compared = new OutputFollower();
    const marks = new Set<string>();
    const original = model.apply.bind(model);
    let rows = 0;
    model.apply = (d: TraceDelta) => {
      original(d);
      rows += expectSameAsScratch(plain, model, model.endT);
      const table = compared.table(model, model.endT, reference);
      expect(table).toEqual(outputTable(model, model.endT, new RecordIds(), reference));
      for (const r of table.rows) if (r.kind === 'written') r.marks.forEach((m) => marks.add(m));
      else marks.add(r.kind);
    };
    loadTrace(model, events);
    expect(rows).toBeGreaterThan(0);
    // The billing sink is exactly-once: rows wait for their commit, and the crashes roll some back.
    expect(marks.has('uncommitted') && marks.has('rolledBack')).toBe(true);
  });

  it('equal the rows built from scratch as the playhead moves back and forth, and with an expected output', async () => {
    const model = new RunModel();
    loadTrace(model, await durableEvents([2500]));
    const reference = meterReference(model);
    const expected: ExpectedRecord[] = [{ sink: 'dashboard', key: 'm0', value: 25 }, { sink: 'billing', key: 'm1', value: 1 }];
    const follower = new OutputFollower();
    const end = model.endT;
    for (const t of [0, end / 4, end / 2, end / 3, (3 * end) / 4, end, end / 5, end]) {
      expectSameAsScratch(follower, model, t, reference);
      expectSameAsScratch(follower, model, t);
      expectSameAsScratch(follower, model, t, undefined, expected);
    }
  });

  it('take a long catch-up in pieces of a few rows, each the first rows of the table, the last all of it', async () => {
    const events = await durableEvents([2500, 6100]);
    const model = new RunModel();
    loadTrace(model, events);
    const reference = meterReference(model);
    const follower = new OutputFollower();
    const end = model.endT;
    let pieces = 0;
    // A first draw at the end, a seek back (the walk starts over), then forward again.
    for (const t of [end, end / 3, end]) pieces += expectPiecesThenScratch(follower, model, t, 7, reference);
    expect(pieces).toBeGreaterThan(10);
  });

  it('returns the same table while nothing changed', async () => {
    const model = new RunModel();
    loadTrace(model, await durableEvents([]));
    const follower = new OutputFollower();
    const table = follower.table(model, model.endT);
    expect(follower.table(model, model.endT)).toBe(table);
    expect(follower.table(model, model.endT - 1)).not.toBe(table);
  });
});

// Random runs of two sinks, one exactly-once (records staged per subtask, pre-committed and
// committed at checkpoints), with crashes rolling back what was not pre-committed, a reference
// of random counts, and the playhead moved forward and back.
const stepArb = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('write' as const), sink: fc.constantFrom('exact', 'plain'), subtask: fc.integer({ min: 0, max: 1 }), key: fc.constantFrom('a', 'b'), value: fc.integer({ min: 0, max: 2 }) }) },
  fc.record({ kind: fc.constant('preCommit' as const), subtask: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ kind: fc.constant('commit' as const) }),
  fc.record({ kind: fc.constant('crash' as const) }),
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 20 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('look' as const), at: fc.double({ min: 0, max: 1.2, noNaN: true }), maxRows: fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.integer({ min: 1, max: 4 })) }) },
);

describe('output rows followed over random runs', () => {
  it('equal the rows built from scratch at every look, also when caught up in pieces: duplicates, losses, uncommitted and rolled-back marks', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 80 }), fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 6, maxLength: 6 }), fc.boolean(), (steps, counts, withReference) => {
        const model = new RunModel();
        model.beginAttempt(1, 0, null);
        let attempt = 1;
        let pt = 0;
        let checkpoint = 0;
        const staged: string[] = [];
        let events: TraceEvent[] = [];
        const flush = () => {
          model.apply({ seq: 0, attempt, pt, finished: false, records: new Float64Array(), sources: [], recordsSkipped: 0, events: new TextEncoder().encode(JSON.stringify(events)), eventsCoalesced: 0 });
          events = [];
        };
        // The reference: `counts` copies of each (key, value) in each sink, compared with what the run wrote.
        const referenceRecords = ['a', 'b'].flatMap((key, k) => [0, 1, 2].flatMap((value) => Array.from({ length: counts[k * 3 + value]! }, () => ({ key, value, timestamp: value }))));
        const reference = (): OutputReport | undefined =>
          withReference ? { sinks: compareToReference(['exact', 'plain'].flatMap((sink) => referenceRecords.map((r) => ({ ...r, sink, processingTime: 0 }))), model.sinkOutput) } : undefined;
        let follower = new OutputFollower();
        let lastReference: OutputReport | undefined;
        const look = (t: number, maxRows = Number.POSITIVE_INFINITY) => {
          // The reference is fixed for a run: compute it once, from the whole output so far.
          lastReference ??= reference();
          if (maxRows === Number.POSITIVE_INFINITY) expectSameAsScratch(follower, model, t, lastReference);
          else expectPiecesThenScratch(follower, model, t, maxRows, lastReference);
        };
        for (const s of steps) {
          if (s.kind === 'write') events.push({ type: 'sinkRecord', pt, sink: s.sink, subtask: s.subtask, key: s.key, value: s.value, timestamp: s.value });
          else if (s.kind === 'preCommit') {
            const transaction = `exact#${s.subtask}@${++checkpoint}`;
            staged.push(transaction);
            events.push({ type: 'sinkPreCommitted', pt, sink: 'exact', transaction, records: 0 });
          } else if (s.kind === 'commit') {
            for (const transaction of staged.splice(0)) events.push({ type: 'sinkCommitted', pt, sink: 'exact', transaction });
          } else if (s.kind === 'advance') {
            flush();
            pt += s.ms;
          } else if (s.kind === 'crash') {
            flush();
            model.markCrash('crash', pt);
            attempt++;
            model.beginAttempt(attempt, pt, null, 3);
          } else {
            flush();
            look(Math.round(s.at * model.endT), s.maxRows);
            if (s.at > 1.1) follower = new OutputFollower();
          }
        }
        flush();
        look(model.endT);
      }),
      { numRuns: 300 },
    );
  });
});
