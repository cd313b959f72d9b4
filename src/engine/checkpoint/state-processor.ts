// The state processor API (Flink's): read a savepoint's keyed state in code, and write a new
// savepoint with state fixed in place, so a backfill or a bug fix can correct state instead of
// replaying years of log. Entries are read per operator, merged over its subtasks, with each
// key's key group, so a savepoint reads the same whatever parallelism it was taken at.

import { keyGroupOf } from '../runtime/partitioner.ts';
import type { Key } from '../runtime/record-batch.ts';
import type { StateSnapshot } from '../state/state-backend.ts';
import { toSavepointFile, operatorOfPart, snapshotOf, type SavepointFile } from './savepoint.ts';
import { decodeSnapshot, encodeSnapshot } from './snapshot-codec.ts';

/** One keyed state entry of a savepoint. */
export interface StateEntryView {
  readonly operator: string;
  /** The subtask that held it when the savepoint was taken. */
  readonly subtask: number;
  /** The key's key group: it lives on `subtaskForKeyGroup(keyGroup, parallelism)` at any parallelism. */
  readonly keyGroup: number;
  readonly state: string;
  readonly key: Key;
  readonly window: { readonly start: number; readonly end: number } | null;
  readonly value: unknown;
}

/**
 * Reads and rewrites the keyed state in a savepoint.
 * @example
 * const sp = new StateProcessor(parseSavepointFile(text));
 * sp.update('per-meter-totals', 'total', (v, e) => (e.key === 'meter-7' ? (v as number) - 120 : v));
 * writeFileSync('fixed.json', JSON.stringify(sp.write()));
 */
export class StateProcessor {
  constructor(private file: SavepointFile) {}

  /** Operator uids that have keyed state. */
  operators(): string[] {
    const out = new Set<string>();
    for (const e of this.entries()) out.add(e.operator);
    return [...out];
  }

  /** How many subtasks `operator` had when the savepoint was taken (0 if the savepoint has none of it). */
  parallelismOf(operator: string): number {
    return this.file.parts.filter((p) => operatorOfPart(p.name) === operator).length;
  }

  /** Every keyed state entry, optionally of one operator and state, over all its subtasks. */
  entries(operator?: string, state?: string): StateEntryView[] {
    const out: StateEntryView[] = [];
    for (const p of this.file.parts) {
      const uid = operatorOfPart(p.name);
      if (uid === undefined || (operator !== undefined && uid !== operator)) continue;
      const decoded = decodeSnapshot<{ state?: StateSnapshot }>(p.data);
      const subtask = Number(p.name.slice(uid.length + 1));
      for (const t of decoded.state ?? []) {
        if (state !== undefined && t.table !== state) continue;
        for (const [key, ns, value] of t.entries) {
          out.push({ operator: uid, subtask, keyGroup: keyGroupOf(key), state: t.table, key, window: ns === null ? null : { start: ns[0], end: ns[1] }, value });
        }
      }
    }
    return out;
  }

  /** Rewrites values of one operator's state; return `undefined` to delete an entry. */
  update(operator: string, state: string, fn: (value: unknown, entry: StateEntryView) => unknown): this {
    const parts = this.file.parts.map((p) => {
      if (operatorOfPart(p.name) !== operator) return p;
      const decoded = decodeSnapshot<{ state?: StateSnapshot }>(p.data);
      if (decoded.state === undefined) return p;
      const subtask = Number(p.name.slice(operator.length + 1));
      const next = decoded.state.map((t) => {
        if (t.table !== state) return t;
        const entries: [Key, [number, number] | null, unknown][] = [];
        for (const [key, ns, value] of t.entries) {
          const v = fn(value, { operator, subtask, keyGroup: keyGroupOf(key), state, key, window: ns === null ? null : { start: ns[0], end: ns[1] }, value });
          if (v !== undefined) entries.push([key, ns, v]);
        }
        return { table: t.table, entries };
      });
      return { name: p.name, data: encodeSnapshot({ ...decoded, state: next }) };
    });
    this.file = toSavepointFile(this.file.jobId, { ...snapshotOf(this.file), parts });
    return this;
  }

  /** The rewritten savepoint (a new file with a fresh checksum). */
  write(): SavepointFile {
    return this.file;
  }
}
