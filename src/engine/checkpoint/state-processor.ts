// The state processor API (Flink's): read a savepoint's keyed state in code, and write a new
// savepoint with state fixed in place, so a backfill or a bug fix can correct state instead of
// replaying years of log. Entries are read per operator, merged over its subtasks, with each
// key's key group, so a savepoint reads the same whatever parallelism it was taken at. A window's
// "window-panes" entries read and write the pane's contents (its accumulator, or its elements),
// as migrations do (state-migrations.ts), and a state kept with a TTL its values without their
// stamps, an updated value keeping the stamp of the one it replaces (ttl-stamps.ts). Every update
// is counted, for a summary of the rewrite.

import { keyGroupOf } from '../runtime/partitioner.ts';
import type { Key } from '../runtime/record-batch.ts';
import type { StateSnapshot } from '../state/state-backend.ts';
import { toSavepointFile, operatorOfPart, snapshotOf, type SavepointFile } from './savepoint.ts';
import { decodeSnapshot, encodeSnapshot } from './snapshot-codec.ts';
import { WINDOW_PANES } from './state-migrations.ts';
import { InputError } from '../errors.ts';
import { latestExpiry, restamp, stampedAsIn, unstamp, type StateKind } from '../state/ttl-stamps.ts';

/** What a rewrite changed in one state of one operator. */
export interface StateChange {
  readonly operator: string;
  readonly state: string;
  /** Entries whose value the function changed. */
  readonly updated: number;
  /** Entries it removed (returned undefined for). */
  readonly removed: number;
}

/** A pane as its codec writes it (`[acc, elements, ...]`, windows/pane.ts): its contents. */
function paneContents(encoded: unknown[]): unknown {
  return encoded[1] !== null && encoded[1] !== undefined ? encoded[1] : encoded[0];
}

function withPaneContents(encoded: unknown[], contents: unknown): unknown[] {
  const pane = [...encoded];
  if (encoded[1] !== null && encoded[1] !== undefined) {
    pane[1] = contents;
    if (Array.isArray(contents)) pane[2] = contents.length;
  } else pane[0] = contents;
  return pane;
}

/** The value a person sees of a stored entry: a pane's contents, a TTL state's value without its stamps, else the value itself. */
function userValue(state: string, stored: unknown, stampedAs: StateKind | undefined): unknown {
  if (stampedAs !== undefined) return unstamp(stampedAs, stored);
  return state === WINDOW_PANES && Array.isArray(stored) ? paneContents(stored) : stored;
}

/** A part as the processor reads it: its state, and the kinds that say which states keep stamped values. */
type ProcessedPart = { state?: StateSnapshot; descriptors?: Record<string, string> };

/** `value`, written for `stored` of a state kept with a TTL, with the stamp it keeps (ttl-stamps.ts, `restamp`). */
function stampedValue(kind: StateKind, stored: unknown, value: unknown, operator: string, state: string, key: Key): unknown {
  const kept = restamp(kind, stored, value);
  if (kept !== undefined) return kept;
  const shape = kind === 'list' ? 'an array' : kind === 'map' ? 'an array of [key, value] pairs' : 'a value';
  throw new InputError(`state "${state}" of operator "${operator}", key ${JSON.stringify(key)}`, `a ${kind} state with a TTL keeps ${shape}; the update returned ${JSON.stringify(value) ?? String(value)}`);
}

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
  /** The value (a window's pane contents; a state with a TTL's value without its expiry stamps). */
  readonly value: unknown;
  /** For a state kept with a TTL: when the value expires, in processing time (ms; a list's or map's latest stamp). */
  readonly expiresAt?: number;
}

/**
 * Reads and rewrites the keyed state in a savepoint (Flink's State Processor API). From the
 * command line: `brook savepoint rewrite IN.json FIX.ts --out OUT.json`, where FIX.ts
 * default-exports a function of a StateProcessor.
 * @example
 * import type { StateProcessor } from 'brook';
 * // A meter was over-read by 120 Wh: fix its open window's sum instead of replaying the log.
 * export default (sp: StateProcessor) => {
 *   sp.update('totals', 'window-panes', (wh, e) => (e.key === 'm7' ? (wh as number) - 120 : wh));
 * };
 */
export class StateProcessor {
  private readonly counted = new Map<string, { operator: string; state: string; updated: number; removed: number }>();

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

  /**
   * The kind of function that kept `state` of `operator` when the savepoint was taken, as its
   * parts record it (e.g. "window sum", "value state with ttl"); undefined when none records it.
   */
  kindOf(operator: string, state: string): string | undefined {
    for (const p of this.file.parts) {
      if (operatorOfPart(p.name) !== operator) continue;
      const kind = decodeSnapshot<ProcessedPart>(p.data).descriptors?.[state];
      if (kind !== undefined) return kind;
    }
    return undefined;
  }

  /** Every keyed state entry, optionally of one operator and state, over all its subtasks. */
  entries(operator?: string, state?: string): StateEntryView[] {
    const out: StateEntryView[] = [];
    for (const p of this.file.parts) {
      const uid = operatorOfPart(p.name);
      if (uid === undefined || (operator !== undefined && uid !== operator)) continue;
      const decoded = decodeSnapshot<ProcessedPart>(p.data);
      const subtask = Number(p.name.slice(uid.length + 1));
      for (const t of decoded.state ?? []) {
        if (state !== undefined && t.table !== state) continue;
        const stampedAs = stampedAsIn(decoded.descriptors?.[t.table]);
        for (const [key, ns, value] of t.entries) {
          const expiresAt = stampedAs === undefined ? undefined : latestExpiry(stampedAs, value);
          out.push({ operator: uid, subtask, keyGroup: keyGroupOf(key), state: t.table, key, window: ns === null ? null : { start: ns[0], end: ns[1] }, value: userValue(t.table, value, stampedAs), ...(expiresAt !== undefined && { expiresAt }) });
        }
      }
    }
    return out;
  }

  /**
   * Rewrites values of one operator's state; return `undefined` to delete an entry. A window's
   * "window-panes" values are the panes' contents (accumulator or elements).
   */
  update(operator: string, state: string, fn: (value: unknown, entry: StateEntryView) => unknown): this {
    const count = this.countFor(operator, state);
    const parts = this.file.parts.map((p) => {
      if (operatorOfPart(p.name) !== operator) return p;
      const decoded = decodeSnapshot<ProcessedPart>(p.data);
      if (decoded.state === undefined) return p;
      const subtask = Number(p.name.slice(operator.length + 1));
      const stampedAs = stampedAsIn(decoded.descriptors?.[state]);
      const next = decoded.state.map((t) => {
        if (t.table !== state) return t;
        const entries: [Key, [number, number] | null, unknown][] = [];
        for (const [key, ns, stored] of t.entries) {
          const value = userValue(state, stored, stampedAs);
          const expiresAt = stampedAs === undefined ? undefined : latestExpiry(stampedAs, stored);
          const v = fn(value, { operator, subtask, keyGroup: keyGroupOf(key), state, key, window: ns === null ? null : { start: ns[0], end: ns[1] }, value, ...(expiresAt !== undefined && { expiresAt }) });
          if (v === undefined) {
            count.removed++;
            continue;
          }
          if (JSON.stringify(v) !== JSON.stringify(value)) count.updated++;
          entries.push([key, ns, stampedAs !== undefined ? stampedValue(stampedAs, stored, v, operator, state, key) : value === stored ? v : withPaneContents(stored as unknown[], v)]);
        }
        return { ...t, entries };
      });
      return { name: p.name, data: encodeSnapshot({ ...decoded, state: next }) };
    });
    this.file = toSavepointFile(this.file.jobId, { ...snapshotOf(this.file), parts });
    return this;
  }

  /** Entries of `operator`'s `state` whose `where` is true are removed. */
  remove(operator: string, state: string, where: (entry: StateEntryView) => boolean = () => true): this {
    return this.update(operator, state, (v, e) => (where(e) ? undefined : v));
  }

  /** What the updates so far changed, per operator and state, in the order they were first updated. */
  changes(): StateChange[] {
    return [...this.counted.values()].map((c) => ({ ...c }));
  }

  private countFor(operator: string, state: string): { updated: number; removed: number } {
    const id = JSON.stringify([operator, state]);
    let c = this.counted.get(id);
    if (c === undefined) {
      c = { operator, state, updated: 0, removed: 0 };
      this.counted.set(id, c);
    }
    return c;
  }

  /** The rewritten savepoint (a new file with a fresh checksum). */
  write(): SavepointFile {
    return this.file;
  }
}
