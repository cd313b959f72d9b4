// What-if comparison of two runs' output: what the readers of each run's sinks see by a shared
// playhead, paired by sink, key, window and pane index, so a pane with another value shows as
// changed and a record only one run wrote (an extra copy after a replay, a late pane one delay
// produced) shows on its side. Invariant: pure; the same inputs give the same rows in the same
// order (sink, window, key, pane index), so the comparison is as deterministic as the runs.
import type { SinkOutput } from '../../viz/run-model.ts';
import { canonicalJson, normaliseWindow, recordId } from '../../viz/output/record-identity.ts';
import type { OutputReport } from '../../worker/protocol.ts';

/** One run's output as the diff reads it. */
export interface RunOutput {
  /** Every sink record the run wrote, in order, all attempts (RunModel.sinkOutput). */
  readonly records: readonly SinkOutput[];
  /**
   * The worker's delivery report for the finished run (what the sinks' store holds against the
   * failure-free run), or undefined while the run goes on.
   */
  readonly report?: OutputReport;
  /** Whether the playhead is at the end of a finished run, so the report applies. */
  readonly atEnd: boolean;
}

/** A distinct record and how many copies of it readers of its sink see. */
export interface DeliveredRecord {
  readonly record: SinkOutput;
  readonly copies: number;
}

export type DiffKind = 'same' | 'changed' | 'onlyA' | 'onlyB';

export interface OutputDiffRow {
  readonly kind: DiffKind;
  readonly sink: string;
  /** The record of run A (absent for onlyB) and of run B (absent for onlyA). */
  readonly a?: SinkOutput;
  readonly b?: SinkOutput;
  /** An only-one-side row that repeats a record both runs have: a duplicate, not a new result. */
  readonly extraCopy: boolean;
}

export interface OutputDiff {
  readonly rows: readonly OutputDiffRow[];
  readonly same: number;
  readonly changed: number;
  readonly onlyA: number;
  readonly onlyB: number;
}

/**
 * What readers of the sinks see of a run by timeline time `playheadT`:
 * 1. records written by then, counted per attempt; a record's copies are the most any one attempt
 *    wrote, since a restored attempt replays what the crashed one wrote after the checkpoint
 *    (and runs are deterministic): the failure-free output, as exactly-once delivers it;
 * 2. at the end of a finished run, the worker's delivery report replaces the copies of every
 *    record it lists with what the sink's store really holds (at-least-once duplicates, losses).
 */
export function deliveredOutput(run: RunOutput, playheadT: number): DeliveredRecord[] {
  const byId = new Map<string, { record: SinkOutput; perAttempt: Map<number, number> }>();
  for (const r of run.records) {
    if (r.t > playheadT) continue;
    const id = `${r.sink}\u0000${recordId(r)}`;
    let entry = byId.get(id);
    if (!entry) {
      entry = { record: r, perAttempt: new Map() };
      byId.set(id, entry);
    }
    entry.perAttempt.set(r.attempt, (entry.perAttempt.get(r.attempt) ?? 0) + 1);
  }
  const copies = new Map<string, number>();
  for (const [id, entry] of byId) copies.set(id, Math.max(...entry.perAttempt.values()));
  if (run.report && run.atEnd) {
    for (const sink of run.report.sinks) {
      for (const e of [...sink.duplicated, ...sink.lost]) {
        const id = `${sink.sink}\u0000${recordId(e.record)}`;
        if (byId.has(id)) copies.set(id, e.actual);
      }
    }
  }
  const out: DeliveredRecord[] = [];
  for (const [id, entry] of byId) {
    const n = copies.get(id) ?? 0;
    if (n > 0) out.push({ record: entry.record, copies: n });
  }
  return out;
}

/** Where a record sits: its sink, key, window and pane index (its value aside). */
function slotOf(r: SinkOutput): string {
  const window = normaliseWindow(r.window);
  if (window === undefined && r.pane === undefined) return `${r.sink}\u0000${recordId(r)}`;
  return `${r.sink}\u0000${canonicalJson({ window: window ?? null, key: r.key ?? null, pane: r.pane?.index ?? null })}`;
}

function sortKey(r: SinkOutput): [string, number, string, number, number] {
  const w = normaliseWindow(r.window);
  const start = w === undefined ? r.timestamp : w === 'global' ? Number.POSITIVE_INFINITY : w.start;
  return [r.sink, start, canonicalJson(r.key ?? null), r.pane?.index ?? -1, r.timestamp];
}

function compareRows(x: OutputDiffRow, y: OutputDiffRow): number {
  const a = sortKey((x.a ?? x.b)!);
  const b = sortKey((y.a ?? y.b)!);
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    return (a[i]! < b[i]! ? -1 : 1);
  }
  return 0;
}

function expand(records: readonly DeliveredRecord[]): Map<string, SinkOutput[]> {
  const slots = new Map<string, SinkOutput[]>();
  for (const { record, copies } of records) {
    const list = slots.get(slotOf(record)) ?? [];
    for (let i = 0; i < copies; i++) list.push(record);
    slots.set(slotOf(record), list);
  }
  for (const list of slots.values()) list.sort((x, y) => x.t - y.t);
  return slots;
}

/**
 * Pairs run A's delivered output with run B's: in each slot (sink, key, window, pane index) the
 * records are paired in the order they were written; a pair with equal records is `same`, else
 * `changed`; what is left over is `onlyA` or `onlyB`.
 * @example
 * diffOutputs(deliveredOutput(a, t), deliveredOutput(b, t)).onlyB // 3 duplicates in B
 */
export function diffOutputs(a: readonly DeliveredRecord[], b: readonly DeliveredRecord[]): OutputDiff {
  const slotsA = expand(a);
  const slotsB = expand(b);
  const rows: OutputDiffRow[] = [];
  for (const slot of new Set([...slotsA.keys(), ...slotsB.keys()])) {
    const listA = slotsA.get(slot) ?? [];
    const listB = slotsB.get(slot) ?? [];
    const paired = Math.min(listA.length, listB.length);
    const idsA = new Set(listA.map(recordId));
    const idsB = new Set(listB.map(recordId));
    for (let i = 0; i < paired; i++) {
      const ra = listA[i]!;
      const rb = listB[i]!;
      rows.push({ kind: recordId(ra) === recordId(rb) ? 'same' : 'changed', sink: ra.sink, a: ra, b: rb, extraCopy: false });
    }
    for (const r of listA.slice(paired)) rows.push({ kind: 'onlyA', sink: r.sink, a: r, extraCopy: idsB.has(recordId(r)) });
    for (const r of listB.slice(paired)) rows.push({ kind: 'onlyB', sink: r.sink, b: r, extraCopy: idsA.has(recordId(r)) });
  }
  rows.sort(compareRows);
  const count = (kind: DiffKind): number => rows.filter((r) => r.kind === kind).length;
  return { rows, same: count('same'), changed: count('changed'), onlyA: count('onlyA'), onlyB: count('onlyB') };
}
