// Rescaling, as Flink does it: a snapshot taken with some operators at one parallelism restored
// into a job where they have another. Invariant: after redistribution every key's state and
// timers sit on `subtaskForKeyGroup(keyGroupOf(key), newParallelism)`, where the partitioner
// sends its records, and every source partition sits on the subtask a fresh job gives it.
//
// What moves how (Flink's StateAssignmentOperation, in miniature):
// - Keyed state and timers: by key group (KeyGroupRangeAssignment). Flink's heap backend keeps
//   state per key group; Brook keeps it per subtask, so each entry's key group is recomputed.
// - Source partitions (Flink's splits): to `partition % parallelism`, the assignment
//   runtime/job-graph.ts gives a fresh job. Per-partition reader position, watermark generator,
//   idleness and alignment pause travel with the partition, as per-split state does in Flink.
// - Operator (non-keyed) state: a list is split evenly, in contiguous chunks, over the new
//   subtasks (Flink's RoundRobinOperatorStateRepartitioner for getListState). The one kind the
//   engine has is the exactly-once sink's pre-committed transaction ids; Flink's
//   TwoPhaseCommitSinkFunction keeps them in such list state and commits every one it is given
//   in initializeState ("in case of a scale-in event" a subtask gets several, "in case of a
//   scale-out event" some get none), so a rescaled DeliverySink commits them likewise. Any
//   other shape cannot be split safely and is refused, naming the operator.
// - Watermarks (which Flink does not checkpoint at all, Brook does): a new subtask starts from
//   the lowest watermark of the old subtasks it inherits from, and its input channels from what
//   their (possibly rescaled) senders restore, so no watermark moves back and no record that was
//   late before the savepoint becomes on time after it.
// - In-flight records of an unaligned checkpoint are refused: Brook cannot route them again.

import { InputError } from '../errors.ts';
import type { JsonValue } from '../connectors/partition-reader.ts';
import { keyGroupOf, MAX_PARALLELISM, subtaskForKeyGroup } from '../runtime/partitioner.ts';
import type { Key } from '../runtime/record-batch.ts';
import type { OperatorSubtaskSnapshot } from '../runtime/subtask-snapshot.ts';
import type { SourceSubtaskSnapshot } from '../runtime/source-subtask.ts';
import type { StateSnapshot } from '../state/state-backend.ts';
import type { TimerSnapshot } from '../time/timer-service.ts';
import { subtaskPart } from './job-snapshot.ts';
import { decodePart, encodePart, type PartData } from './part-data.ts';
import { mergeDescriptors } from './state-descriptors.ts';

/** One operator of the job being restored, as rescaling needs to know it. */
export interface ParallelLayout {
  readonly uid: string;
  /** Its display name, for messages and the trace. */
  readonly name: string;
  readonly kind: 'operator' | 'source' | 'testStream';
  readonly parallelism: number;
  /** Its input edges in channel order: the sending operator's uid and the logical input they feed. */
  readonly inputs: readonly { readonly from: string; readonly inputIndex: number }[];
}

/** An operator restored at another parallelism than it was snapshotted with. */
export interface RescaledOperator {
  readonly uid: string;
  readonly name: string;
  readonly from: number;
  readonly to: number;
}

/** How many subtasks each operator uid has parts for, from the part names alone (`uid#index`). */
export function partCounts(partNames: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of partNames) {
    const i = name.lastIndexOf('#');
    if (i < 0) continue;
    const uid = name.slice(0, i);
    counts.set(uid, (counts.get(uid) ?? 0) + 1);
  }
  return counts;
}

/**
 * The operators whose parallelism differs from the snapshot's, in plan order; reads part names
 * only (nothing is decoded, so an ordinary restore pays nothing). Operators without parts (new
 * ones, which start empty) are not rescaled. Refuses a parallelism above MAX_PARALLELISM.
 */
export function rescaledOperators(partNames: Iterable<string>, layout: readonly ParallelLayout[]): RescaledOperator[] {
  const counts = partCounts(partNames);
  const out: RescaledOperator[] = [];
  for (const op of layout) {
    if (op.parallelism > MAX_PARALLELISM) {
      throw new InputError(
        'savepoint',
        `operator "${op.name}" cannot run at parallelism ${op.parallelism}: keyed state is split into ${MAX_PARALLELISM} key groups (the maximum parallelism), so at most ${MAX_PARALLELISM} subtasks can own any of it`,
      );
    }
    const from = counts.get(op.uid) ?? 0;
    if (from > 0 && from !== op.parallelism) out.push({ uid: op.uid, name: op.name, from, to: op.parallelism });
  }
  return out;
}

/** What a receiver's channel from one sender subtask starts with. */
interface ChannelStart {
  readonly watermark: number;
  readonly idle: boolean;
  readonly ended: boolean;
}

/**
 * Redistributes a snapshot's parts over the job's new parallelism. Returns every part by name:
 * parts of operators that neither changed parallelism nor had a sender that did are passed
 * through untouched; the rest are decoded, redistributed and encoded again.
 *
 * Strategy, in plan order (senders come before their receivers):
 *   1. A rescaled source: its partitions are reassigned, each with its own state.
 *   2. A rescaled operator: keyed state and timers by key group, operator state evenly, watermarks
 *      from the lowest of the old subtasks, counters kept in total.
 *   3. Any operator whose senders' parallelism changed: its input channels are laid out again,
 *      one per new sender subtask, starting from what that sender restores.
 */
export function rescaleParts(parts: ReadonlyMap<string, PartData>, layout: readonly ParallelLayout[]): Map<string, PartData> {
  const out = new Map(parts);
  const counts = partCounts(parts.keys());
  const byUid = new Map(layout.map((l) => [l.uid, l]));
  /** Rescaled senders: what each new subtask's channels downstream start with. */
  const senders = new Map<string, ChannelStart[]>();
  const old = <T>(uid: string, n: number): T[] => Array.from({ length: n }, (_, i) => decodePart<T>(parts.get(subtaskPart(uid, i))!));

  for (const op of layout) {
    const from = counts.get(op.uid) ?? 0;
    if (from === 0) continue;
    const to = op.parallelism;
    for (let i = 0; i < from; i++) {
      if (!parts.has(subtaskPart(op.uid, i))) throw new InputError('savepoint', `operator "${op.name}" has parts for ${from} subtasks but none for subtask ${i}: the snapshot is incomplete`);
    }
    if (op.kind === 'source') {
      if (from === to) continue;
      const next = redistributeSource(old<SourceSubtaskSnapshot>(op.uid, from), to);
      senders.set(op.uid, next.map((s) => ({ watermark: s.watermark, idle: s.idle, ended: s.ended })));
      replace(out, op.uid, from, next);
      continue;
    }
    if (op.kind !== 'operator') continue;
    const edges = op.inputs.map((e) => ({ ...e, before: counts.get(e.from) ?? 0, after: byUid.get(e.from)?.parallelism ?? 0 }));
    const inputsChanged = edges.some((e) => e.before !== e.after);
    if (from === to && !inputsChanged) continue;
    const olds = old<OperatorSubtaskSnapshot>(op.uid, from);
    for (const s of olds) {
      if (s.channelState !== undefined && s.channelState.length > 0) {
        throw new InputError(
          'savepoint',
          `operator "${op.name}" was snapshotted with in-flight records (an unaligned checkpoint), which cannot be restored at another parallelism; take the savepoint with aligned checkpoints`,
        );
      }
    }
    // Channels can be laid out again only when the old ones match the old senders' counts;
    // otherwise (an input was added or removed) the subtask learns its watermarks afresh, as
    // after any change of its inputs.
    const known = edges.every((e) => e.before > 0) && edges.reduce((n, e) => n + e.before, 0) === olds[0]!.channels.length;
    if (from === to && !known) continue;
    const redistributed = from === to ? olds : redistributeOperator(op.name, olds, to);
    const next = redistributed.map((s, k): OperatorSubtaskSnapshot => {
      const inherited = from === to ? [olds[k]!] : olds;
      const channels: OperatorSubtaskSnapshot['channels'] = [];
      let offset = 0;
      for (const e of known ? edges : []) {
        const last = s.valves[e.inputIndex]?.last ?? Number.NEGATIVE_INFINITY;
        for (let c = 0; c < e.after; c++) {
          const start =
            e.before === e.after
              ? combineChannels(inherited.map((o) => o.channels[offset + c]!))
              : (senders.get(e.from)?.[c] ?? combineChannels(inherited.flatMap((o) => o.channels.slice(offset, offset + e.before))));
          channels.push({ ...start, aligned: !start.idle && start.watermark >= last });
        }
        offset += e.before;
      }
      return { ...s, channels };
    });
    if (from !== to) senders.set(op.uid, next.map((s) => ({ watermark: s.forwarded, idle: s.inputs.idle, ended: s.finished })));
    replace(out, op.uid, from, next);
  }
  return out;
}

/** Replaces an operator's `from` old parts with the new subtasks' snapshots. */
function replace(parts: Map<string, PartData>, uid: string, from: number, next: readonly object[]): void {
  for (let i = 0; i < from; i++) parts.delete(subtaskPart(uid, i));
  next.forEach((s, i) => parts.set(subtaskPart(uid, i), encodePart(s)));
}

/** Channels from one sender as several old receivers saw it (the same, after an aligned checkpoint). */
function combineChannels(list: readonly { watermark: number; idle: boolean; ended: boolean }[]): ChannelStart {
  return {
    watermark: Math.min(...list.map((c) => c.watermark)),
    idle: list.every((c) => c.idle),
    ended: list.every((c) => c.ended),
  };
}

/** Old subtask `j`'s counters go to new subtask `j % to`, so totals are kept. */
function inheritsCounters(j: number, k: number, to: number): boolean {
  return j % to === k;
}

/** The subtask that owns `key` at `parallelism`; refuses entries without a key. */
function ownerOf(operator: string, key: unknown, parallelism: number): number {
  if (typeof key !== 'string' && typeof key !== 'number') {
    throw new InputError('savepoint', `operator "${operator}" keeps state or timers without a key, which cannot be redistributed to another parallelism`);
  }
  return subtaskForKeyGroup(keyGroupOf(key as Key), parallelism);
}

/** Keyed state, timers and operator state of an operator's old subtasks over `to` new ones. */
function redistributeOperator(name: string, olds: readonly OperatorSubtaskSnapshot[], to: number): OperatorSubtaskSnapshot[] {
  const operatorState = splitOperatorState(name, olds.map((s) => s.operator), to);
  // Tables in order of first appearance, entries in old-subtask order.
  const tables: string[] = [];
  for (const s of olds) for (const t of s.state) if (!tables.includes(t.table)) tables.push(t.table);
  const state: StateSnapshot[] = Array.from({ length: to }, () => tables.map((table) => ({ table, entries: [] })));
  for (const s of olds) {
    for (const t of s.state) {
      const ti = tables.indexOf(t.table);
      for (const entry of t.entries) state[ownerOf(name, entry[0], to)]![ti]!.entries.push(entry);
    }
  }
  const timers: TimerSnapshot[][] = Array.from({ length: to }, () => []);
  for (const s of olds) for (const t of s.timers) timers[ownerOf(name, t.key, to)]!.push(t);
  const min = (f: (s: OperatorSubtaskSnapshot) => number): number => Math.min(...olds.map(f));
  const first = olds[0]!;
  const descriptors = mergeDescriptors(olds.map((s) => s.descriptors));
  return Array.from({ length: to }, (_, k): OperatorSubtaskSnapshot => {
    const heirs = olds.filter((_, j) => inheritsCounters(j, k, to));
    const sum = (f: (c: OperatorSubtaskSnapshot['counters']) => number): number => heirs.reduce((n, s) => n + f(s.counters), 0);
    return {
      channels: [],
      valves: first.valves.map((_, i) => ({ last: Math.min(...olds.map((s) => s.valves[i]!.last)), idle: olds.every((s) => s.valves[i]!.idle) })),
      inputs: {
        inputs: first.inputs.inputs.map((_, i) => ({ watermark: Math.min(...olds.map((s) => s.inputs.inputs[i]!.watermark)), idle: olds.every((s) => s.inputs.inputs[i]!.idle) })),
        combined: min((s) => s.inputs.combined),
        idle: olds.every((s) => s.inputs.idle),
      },
      watermark: min((s) => s.watermark),
      forwarded: min((s) => s.forwarded),
      finished: olds.every((s) => s.finished),
      counters: { recordsIn: sum((c) => c.recordsIn), recordsOut: sum((c) => c.recordsOut), recordsDropped: sum((c) => c.recordsDropped) },
      // Only non-empty tables, as a backend that never wrote a table has none.
      state: state[k]!.filter((t) => t.entries.length > 0),
      // Firing order: by time, then as the old subtasks had them (Array.prototype.sort is stable).
      timers: timers[k]!.sort((a, b) => a.time - b.time),
      operator: operatorState[k]!,
      // What kinds of state the old subtasks kept (checkpoint/state-descriptors.ts), for every new one.
      ...(descriptors !== undefined && { descriptors }),
      // Their kinds tell TTLs apart only if every old subtask's did.
      ...(descriptors !== undefined && olds.every((s) => s.descriptors === undefined || s.ttlRecorded === true) && { ttlRecorded: true as const }),
    };
  });
}

/**
 * Operator state over `to` subtasks: lists are concatenated and split into contiguous chunks,
 * the first ones one longer when it does not divide evenly (Flink's even-split redistribution).
 */
function splitOperatorState(name: string, states: readonly JsonValue[], to: number): JsonValue[] {
  if (states.every((s) => s === null)) return Array.from({ length: to }, () => null);
  const all: JsonValue[] = [];
  for (const s of states) {
    if (s === null) continue;
    if (!Array.isArray(s)) {
      throw new InputError('savepoint', `operator "${name}" keeps operator state that is not a list (${JSON.stringify(s).slice(0, 60)}), so it cannot be redistributed to ${to} subtasks`);
    }
    all.push(...s);
  }
  const base = Math.floor(all.length / to);
  const extra = all.length % to;
  const out: JsonValue[] = [];
  let at = 0;
  for (let k = 0; k < to; k++) {
    const n = base + (k < extra ? 1 : 0);
    out.push(all.slice(at, at + n));
    at += n;
  }
  return out;
}

/** A source's partitions over `to` subtasks: partition q of old subtask j (of `from`) is its entry `(q - j) / from`. */
function redistributeSource(olds: readonly SourceSubtaskSnapshot[], to: number): SourceSubtaskSnapshot[] {
  const from = olds.length;
  const partitions: { part: SourceSubtaskSnapshot['parts'][number]; owner: number }[] = [];
  olds.forEach((s, j) => s.parts.forEach((part, m) => (partitions[j + m * from] = { part, owner: j })));
  return Array.from({ length: to }, (_, k): SourceSubtaskSnapshot => {
    const mine = partitions.filter((_, q) => q % to === k);
    const parts = mine.map((p) => p.part);
    const owners = [...new Set(mine.map((p) => p.owner))].map((j) => olds[j]!);
    const ended = parts.every((p) => p.done);
    const active = parts.filter((p) => !p.done && !p.idle);
    // What it has "emitted": the minimum over its active partitions, as its next emission would
    // compute; with none active, the lowest its old owners emitted.
    const watermark = ended
      ? Number.POSITIVE_INFINITY
      : active.length > 0
        ? Math.min(...active.map((p) => p.watermark))
        : Math.min(...owners.map((o) => o.watermark));
    const heirs = olds.filter((_, j) => inheritsCounters(j, k, to));
    const ticking = owners.filter((o) => !o.ended);
    return {
      parts,
      watermark,
      idle: !ended && active.length === 0,
      ended,
      nextTickAt: Math.min(...(ticking.length > 0 ? ticking : olds).map((o) => o.nextTickAt)),
      recordsIn: heirs.reduce((n, s) => n + s.recordsIn, 0),
      recordsOut: heirs.reduce((n, s) => n + s.recordsOut, 0),
    };
  });
}
