// The output table followed as a run plays: rows marked once, when written, and marked again only
// when their transaction commits; the counts per sink kept. Invariant: equal at every step to
// `outputTable` from scratch; what was marked stays marked, and the playhead moving back, a row
// rolled back (later copies renumber), a sink turning transactional, or another model, reference
// or expected output starts the walk over. A long catch-up (a burst, a seek, a first draw) may be
// taken in pieces of at most `maxRows` rows (`complete` says whether the table reached the playhead).

import type { OutputReport } from '../../worker/protocol.ts';
import type { RunModel } from '../run-model.ts';
import { countUpTo, outputTable, RecordIds, RowMarking, sinkOrder, type ExpectedRecord, type OutputRow, type OutputTable } from './output-rows.ts';

/**
 * Keeps `outputTable(model, playheadT, …)` up to date while the playhead moves forward.
 * - State: the marking so far (rows, counts, rolled-back copies), the rows not yet committed at
 *   the last playhead, and the sinks seen. Lifetime: one view's.
 */
export class OutputFollower {
  readonly ids = new RecordIds();
  private model: RunModel | undefined;
  private reference: OutputReport | undefined;
  private expected: readonly ExpectedRecord[] | undefined;
  private playheadT = Number.NEGATIVE_INFINITY;
  private version = -1;
  private transactionalSinks = 0;
  private marking = new RowMarking(undefined, undefined);
  private written: OutputRow[] = [];
  private lost: OutputRow[] = [];
  /** Indexes of rows uncommitted at the last playhead: the only ones whose marks can change going forward. */
  private uncommitted: number[] = [];
  /** Sinks in the order the run wrote them, and how many sink records that covers. */
  private readonly sinksSeen = new Set<string>();
  private sinksScanned = 0;
  private last: OutputTable | undefined;
  /** Rows written by the last playhead: the table is complete once they are all marked. */
  private target = 0;

  /** Whether the last table reached its playhead (false: a piece of a catch-up; call `table` again). */
  get complete(): boolean {
    return this.written.length >= this.target || this.expected !== undefined;
  }

  /**
   * The output table at `playheadT`: `outputTable(model, playheadT, ids, reference, expected)`.
   * @param maxRows Rows to mark at most in this call: when more were written (`complete` false),
   *   the table holds the written rows marked so far (every earlier row, with its marks at
   *   `playheadT`) and the counts of those; the next call with the same arguments goes on.
   */
  table(model: RunModel, playheadT: number, reference?: OutputReport, expected?: readonly ExpectedRecord[], maxRows = Number.POSITIVE_INFINITY): OutputTable {
    if (this.last && this.complete && model === this.model && model.version === this.version && playheadT === this.playheadT && reference === this.reference && expected === this.expected) return this.last;
    // An exercise's expected output is matched over all rows (a greedy diff); such runs are small.
    const walk = expected !== undefined || model !== this.model || reference !== this.reference || playheadT < this.playheadT || model.sinkVisibility.transactionalSinks !== this.transactionalSinks || !this.follow(model, playheadT, maxRows);
    this.model = model;
    this.reference = reference;
    this.expected = expected;
    this.playheadT = playheadT;
    this.version = model.version;
    if (walk) return (this.last = this.restart(model, playheadT, reference, expected, maxRows));
    const order = sinkOrder(reference, this.scanSinks(model), undefined);
    const rows = this.lost.length === 0 ? this.written.slice() : this.written.concat(this.lost);
    return (this.last = { rows, sinks: this.marking.sinks(order), hasReference: reference !== undefined, hasExpected: false });
  }

  /**
   * Marks the rows written since the last playhead and re-marks those committed since; false
   * when a row was rolled back (later copies renumber: the walk starts over).
   */
  private follow(model: RunModel, playheadT: number, maxRows: number): boolean {
    const visibility = model.sinkVisibility;
    const stillOpen: number[] = [];
    for (const i of this.uncommitted) {
      const status = visibility.status(i, playheadT);
      if (status === 'rolledBack') return false;
      if (status === 'uncommitted') {
        stillOpen.push(i);
        continue;
      }
      // Committed: the row loses its mark ('duplicate' does not depend on it).
      const row = this.written[i]!;
      if (row.kind !== 'written') continue;
      this.marking.summary(row.record.sink).uncommitted--;
      this.written[i] = { ...row, marks: row.marks.filter((m) => m !== 'uncommitted') };
    }
    this.uncommitted = stillOpen;
    this.target = countUpTo(model, playheadT);
    this.markFrom(model, this.written.length, Math.min(this.target, this.written.length + maxRows), playheadT);
    return true;
  }

  private markFrom(model: RunModel, from: number, to: number, playheadT: number): void {
    for (let i = from; i < to; i++) {
      const row = this.marking.row(model, this.ids, i, playheadT);
      this.written.push(row);
      if (row.kind === 'written' && row.marks.includes('uncommitted')) this.uncommitted.push(i);
    }
  }

  private restart(model: RunModel, playheadT: number, reference: OutputReport | undefined, expected: readonly ExpectedRecord[] | undefined, maxRows: number): OutputTable {
    this.transactionalSinks = model.sinkVisibility.transactionalSinks;
    if (expected !== undefined) {
      this.written = [];
      this.lost = [];
      this.uncommitted = [];
      this.marking = new RowMarking(undefined, undefined);
      return outputTable(model, playheadT, this.ids, reference, expected);
    }
    this.marking = new RowMarking(reference, undefined);
    this.written = [];
    this.uncommitted = [];
    this.target = countUpTo(model, playheadT);
    this.markFrom(model, 0, Math.min(this.target, maxRows), playheadT);
    this.lost = this.marking.lostRows();
    this.sinksSeen.clear();
    this.sinksScanned = 0;
    const order = sinkOrder(reference, this.scanSinks(model), undefined);
    return { rows: this.written.concat(this.lost), sinks: this.marking.sinks(order), hasReference: reference !== undefined, hasExpected: false };
  }

  /** The sinks of every record the model holds, in the order first written (scanning only new records). */
  private scanSinks(model: RunModel): Set<string> {
    for (let i = this.sinksScanned; i < model.sinkOutput.length; i++) this.sinksSeen.add(model.sinkOutput[i]!.sink);
    this.sinksScanned = model.sinkOutput.length;
    return this.sinksSeen;
  }
}
