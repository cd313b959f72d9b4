// The rows of the output panel: every sink record written by the playhead, marked against a
// failure-free reference (copies beyond the reference's count are duplicates; records it has
// more often are lost) and against an exercise's expected output (matched, missing,
// unexpected). Invariant: pure, and linear in the number of records, so 100 000 rows stay fast.

import type { DeliveredRecord, DeliveryEntry } from '../../engine/checkpoint/delivery-report.ts';
import type { Key } from '../../engine/runtime/record-batch.ts';
import type { PaneInfo } from '../../engine/windows/pane-info.ts';
import type { OutputReport } from '../../worker/protocol.ts';
import type { RunModel, SinkOutput } from '../run-model.ts';
import { canonicalJson, normaliseWindow, recordId, type WindowLike } from './record-identity.ts';

/** A record an exercise expects; omitted window and pane fields match anything. */
export interface ExpectedRecord {
  readonly sink: string;
  readonly key?: Key | null;
  readonly value: unknown;
  readonly window?: WindowLike;
  readonly pane?: Partial<PaneInfo>;
}

/** How a row compares: against the reference (duplicate) and the expected output (matched/unexpected). */
export type RowMark = 'duplicate' | 'matched' | 'unexpected' | 'uncommitted' | 'rolledBack';

export type OutputRow =
  | {
      readonly kind: 'written';
      /** Index in `model.sinkOutput`. */
      readonly index: number;
      readonly record: SinkOutput;
      /** 1 for the first copy of an identical record, 2 for the second, … */
      readonly copy: number;
      /** Copies the failure-free run wrote, when a reference is set and the record is in its report. */
      readonly referenceCopies?: number;
      readonly marks: readonly RowMark[];
    }
  | { readonly kind: 'lost'; readonly sink: string; readonly record: DeliveredRecord; readonly expected: number; readonly actual: number }
  | { readonly kind: 'missing'; readonly expected: ExpectedRecord };

export interface SinkSummary {
  readonly sink: string;
  /** Records written by the playhead. */
  readonly written: number;
  readonly duplicates: number;
  /** Records of an exactly-once sink not yet committed by the playhead (readers do not see them yet). */
  readonly uncommitted: number;
  /** Records an exactly-once sink wrote in an attempt that crashed before pre-committing them (never seen by readers). */
  readonly rolledBack: number;
  /** Copies the reference has and the run never wrote (for the whole run). */
  readonly lost: number;
  readonly matched: number;
  readonly unexpected: number;
  readonly missing: number;
}

export interface OutputTable {
  readonly rows: readonly OutputRow[];
  readonly sinks: readonly SinkSummary[];
  readonly hasReference: boolean;
  readonly hasExpected: boolean;
}

/**
 * Ids of sink records and which copy of an identical record each one is, computed once per
 * record: the model only appends, and a record's copy number depends only on those before it.
 */
export class RecordIds {
  private readonly ids: string[] = [];
  private readonly copies: number[] = [];
  private readonly seen = new Map<string, number>();
  private model: RunModel | null = null;

  private extend(model: RunModel, index: number): void {
    if (model !== this.model) {
      this.model = model;
      this.ids.length = 0;
      this.copies.length = 0;
      this.seen.clear();
    }
    for (let i = this.ids.length; i <= index; i++) {
      const r = model.sinkOutput[i]!;
      const id = recordId(r);
      const copyKey = `${r.sink}\u0000${id}`;
      const copy = (this.seen.get(copyKey) ?? 0) + 1;
      this.seen.set(copyKey, copy);
      this.ids.push(id);
      this.copies.push(copy);
    }
  }

  get(model: RunModel, index: number): string {
    this.extend(model, index);
    return this.ids[index]!;
  }

  /** 1 for the first record with its sink and id, 2 for the second, … */
  copy(model: RunModel, index: number): number {
    this.extend(model, index);
    return this.copies[index]!;
  }
}

/** How many sink records were written by `playheadT`. */
export function countUpTo(model: RunModel, playheadT: number): number {
  let lo = 0;
  let hi = model.sinkOutput.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (model.sinkOutput[mid]!.t <= playheadT) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function paneMatches(want: Partial<PaneInfo> | undefined, got: PaneInfo | undefined): boolean {
  if (!want) return true;
  if (!got) return false;
  return (Object.keys(want) as (keyof PaneInfo)[]).every((k) => want[k] === got[k]);
}

function windowMatches(want: WindowLike | undefined, got: SinkOutput['window']): boolean {
  if (want === undefined) return true;
  return canonicalJson(normaliseWindow(want)) === canonicalJson(normaliseWindow(got as WindowLike | undefined));
}

const valueKey = (sink: string, key: Key | null | undefined, value: unknown) => `${sink}\u0000${canonicalJson(key ?? null)}\u0000${canonicalJson(value)}`;

/**
 * Greedy multiset matching of expected records against the rows written: each expected record
 * takes the first unmatched row of its sink with the same key and value whose window and pane
 * agree with the fields it gives. Returns, per row, whether it was matched, and the misses.
 */
export function diffExpected(written: readonly SinkOutput[], expected: readonly ExpectedRecord[]): { matched: boolean[]; missing: ExpectedRecord[] } {
  const candidates = new Map<string, number[]>();
  written.forEach((r, i) => {
    const k = valueKey(r.sink, r.key, r.value);
    const list = candidates.get(k);
    if (list) list.push(i);
    else candidates.set(k, [i]);
  });
  const matched = written.map(() => false);
  const missing: ExpectedRecord[] = [];
  for (const e of expected) {
    const list = candidates.get(valueKey(e.sink, e.key, e.value)) ?? [];
    const at = list.findIndex((i) => !matched[i] && windowMatches(e.window, written[i]!.window) && paneMatches(e.pane, written[i]!.pane));
    if (at < 0) missing.push(e);
    else matched[list[at]!] = true;
  }
  return { matched, missing };
}

/** Counts of one sink's rows, as the marking goes. */
export type SummaryCounts = { -readonly [K in Exclude<keyof SinkSummary, 'sink'>]: SinkSummary[K] };

const emptyCounts = (): SummaryCounts => ({ written: 0, duplicates: 0, uncommitted: 0, rolledBack: 0, lost: 0, matched: 0, unexpected: 0, missing: 0 });

/**
 * What marking written rows in order needs: the reference's counts, the diff against the expected
 * records, the copies rolled back so far and the counts per sink.
 * - State: `rolledBackCopies` and `summaries` grow with every row marked. Lifetime: one walk.
 */
export class RowMarking {
  /** Per sink, the reference's count of each record it reports as duplicated. */
  readonly referenceCount = new Map<string, Map<string, number>>();
  /** Copies readers saw: a rolled-back record was never visible, so it is no one's earlier copy. */
  readonly rolledBackCopies = new Map<string, number>();
  readonly summaries = new Map<string, SummaryCounts>();

  constructor(
    readonly reference: OutputReport | undefined,
    readonly diff: { matched: boolean[] } | undefined,
  ) {
    for (const report of reference?.sinks ?? []) {
      const counts = new Map<string, number>();
      for (const e of report.duplicated) counts.set(recordId(e.record), e.expected);
      this.referenceCount.set(report.sink, counts);
    }
  }

  summary(sink: string): SummaryCounts {
    let s = this.summaries.get(sink);
    if (!s) this.summaries.set(sink, (s = emptyCounts()));
    return s;
  }

  /** Marks written row `i` (every row before it marked already), counting it in its sink's summary. */
  row(model: RunModel, ids: RecordIds, i: number, playheadT: number): OutputRow {
    const record = model.sinkOutput[i]!;
    const id = ids.get(model, i);
    const s = this.summary(record.sink);
    s.written++;
    const marks: RowMark[] = [];
    const visibility = model.sinkVisibility.status(i, playheadT);
    if (visibility === 'rolledBack') {
      this.rolledBackCopies.set(id, (this.rolledBackCopies.get(id) ?? 0) + 1);
      marks.push('rolledBack');
      s.rolledBack++;
    } else if (visibility === 'uncommitted') {
      marks.push('uncommitted');
      s.uncommitted++;
    }
    const copy = ids.copy(model, i) - (this.rolledBackCopies.get(id) ?? 0) + (visibility === 'rolledBack' ? 1 : 0);
    const counts = this.referenceCount.size > 0 ? this.referenceCount.get(record.sink) : undefined;
    const refCopies = counts?.get(id);
    if (visibility !== 'rolledBack' && refCopies !== undefined && copy > refCopies) {
      marks.push('duplicate');
      s.duplicates++;
    }
    if (this.diff) {
      marks.push(this.diff.matched[i] ? 'matched' : 'unexpected');
      if (this.diff.matched[i]) s.matched++;
      else s.unexpected++;
    }
    return refCopies === undefined ? { kind: 'written', index: i, record, copy, marks } : { kind: 'written', index: i, record, copy, referenceCopies: refCopies, marks };
  }

  /** The rows of what the reference wrote and this run lost (for the whole run), counted. */
  lostRows(): OutputRow[] {
    const rows: OutputRow[] = [];
    for (const report of this.reference?.sinks ?? []) {
      for (const e of report.lost as readonly DeliveryEntry[]) {
        rows.push({ kind: 'lost', sink: report.sink, record: e.record, expected: e.expected, actual: e.actual });
        this.summary(report.sink).lost += e.expected - e.actual;
      }
    }
    return rows;
  }

  /** Every sink's summary, in `order`. */
  sinks(order: readonly string[]): SinkSummary[] {
    return order.map((sink) => ({ sink, ...this.summary(sink) }));
  }
}

/** The sinks in the order the bar lists them: the reference's, then as the run wrote them, then the expected output's. */
export function sinkOrder(reference: OutputReport | undefined, written: Iterable<string>, expected: readonly ExpectedRecord[] | undefined): string[] {
  return [...new Set([...(reference?.sinks.map((r) => r.sink) ?? []), ...written, ...(expected?.map((e) => e.sink) ?? [])])];
}

/** The output table at `playheadT`, from scratch (OutputFollower keeps one up to date as a run plays). */
export function outputTable(model: RunModel, playheadT: number, ids: RecordIds, reference?: OutputReport, expected?: readonly ExpectedRecord[]): OutputTable {
  const n = countUpTo(model, playheadT);
  const diff = expected ? diffExpected(model.sinkOutput.slice(0, n), expected) : undefined;
  const marking = new RowMarking(reference, diff);
  const rows: OutputRow[] = [];
  for (let i = 0; i < n; i++) rows.push(marking.row(model, ids, i, playheadT));
  rows.push(...marking.lostRows());
  for (const e of diff?.missing ?? []) {
    rows.push({ kind: 'missing', expected: e });
    marking.summary(e.sink).missing++;
  }
  const sinks = marking.sinks(sinkOrder(reference, model.sinkOutput.map((r) => r.sink), expected));
  return { rows, sinks, hasReference: reference !== undefined, hasExpected: expected !== undefined };
}

/** The sink a row belongs to. */
export function rowSink(row: OutputRow): string {
  return row.kind === 'written' ? row.record.sink : row.kind === 'lost' ? row.sink : row.expected.sink;
}

/** Whether a row is worth a reader's attention (duplicate, lost, missing or unexpected). */
export function isProblem(row: OutputRow): boolean {
  return row.kind !== 'written' || row.marks.some((m) => m === 'duplicate' || m === 'unexpected');
}
