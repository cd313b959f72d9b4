// Snapshots are encoded as JSON text (or, for lists of plain rows, binary chunks that stand for
// that text: binary-rows.ts, part-data.ts): encoding at the barrier makes the snapshot a deep
// copy of live state (later mutations cannot leak in). Non-finite numbers, which JSON lacks and time values use (+inf is the end of time), are
// written as {"$num": "Infinity"} and read back as numbers.
//
// Native JSON.stringify and JSON.parse are several times faster without a replacer or reviver,
// so encoding swaps each non-finite number for its marker in place (remembering where), lets
// the native encoder run, and swaps the numbers back before returning; decoding walks the
// parsed tree only when the text holds a marker at all.

import { EntryColumns } from '../state/entry-columns.ts';
import { BinaryChunkWriter, Column, columnKind, MIN_BINARY_ROWS, rowColumns } from './binary-rows.ts';
import type { ChunkData } from './part-data.ts';

const MARK = '$num';

/**
 * Objects nested deeper than this are tracked in a Set to find cycles. State is shallow and wide
 * (100,000 small [key, namespace, value] entries under one table), and a Set add and delete per
 * object cost as much as JSON.stringify itself; a cycle makes the walk go deeper forever, so it
 * still meets a tracked object again below this depth.
 */
const TRACK_CYCLES_BELOW = 32;

/** A value swapped out while JSON.stringify runs: a non-finite number (for its marker), or entry columns (for their rows). */
type Slot = { readonly holder: Record<string, unknown> | unknown[]; readonly key: string | number; readonly value: unknown };

/**
 * Replaces non-finite numbers under `value` by markers, and entry columns (a backend's snapshot,
 * state/entry-columns.ts) by their rows, recording each replacement in `slots`.
 * `seen` holds the objects above `value` deeper than TRACK_CYCLES_BELOW (undefined above it).
 */
function mark(value: unknown, slots: Slot[], depth: number, seen: Set<object> | undefined): void {
  if (value === null || typeof value !== 'object') return;
  if (depth >= TRACK_CYCLES_BELOW) {
    seen ??= new Set();
    if (seen.has(value)) throw new TypeError('state cannot hold a cycle; keep only JSON-compatible data in state');
    seen.add(value);
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) {
          slots.push({ holder: value, key: i, value: v });
          value[i] = { [MARK]: String(v) };
        }
      } else if (v instanceof EntryColumns) {
        slots.push({ holder: value, key: i, value: v });
        mark((value[i] = v.rows()), slots, depth + 1, seen);
      } else if (typeof v === 'object' && v !== null) mark(v, slots, depth + 1, seen);
      else check(v);
    }
  } else {
    const o = value as Record<string, unknown>;
    for (const k in o) {
      const v = o[k];
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) {
          slots.push({ holder: o, key: k, value: v });
          o[k] = { [MARK]: String(v) };
        }
      } else if (v instanceof EntryColumns) {
        slots.push({ holder: o, key: k, value: v });
        mark((o[k] = v.rows()), slots, depth + 1, seen);
      } else if (typeof v === 'object' && v !== null) mark(v, slots, depth + 1, seen);
      else check(v);
    }
  }
  seen?.delete(value);
}

function check(v: unknown): void {
  if (typeof v === 'bigint') throw new TypeError(`state cannot hold a bigint (${v}); store it as a string`);
  if (typeof v === 'function' || typeof v === 'symbol') {
    throw new TypeError(`state cannot hold a ${typeof v}; keep only JSON-compatible data in state`);
  }
}

/** Whether JSON keeps `x` as it is (undefined: null in an array, as JSON.stringify has it). */
function plainValue(x: unknown): boolean {
  const t = typeof x;
  return t === 'number' ? Number.isFinite(x as number) : t === 'string' || t === 'boolean' || t === 'undefined' || x === null;
}

/**
 * Whether array `rows` holds only values JSON keeps as they are, directly or one array level
 * down: a backend's entry list ([key, namespace, value] with primitive values) is such, and then
 * the marking walk, which costs as much again per entry in calls and bookkeeping, is skipped.
 * Anything else (an object, a non-finite number, a bigint, a function) answers false at once,
 * and the walk runs as before.
 */
function plainRows(rows: readonly unknown[]): boolean {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (Array.isArray(row)) {
      for (let j = 0; j < row.length; j++) if (!plainValue(row[j])) return false;
    } else if (!plainValue(row)) return false;
  }
  return true;
}

/** Encodes a snapshot (or any state) as JSON text. */
export function encodeSnapshot(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return JSON.stringify({ [MARK]: String(value) });
  if (value instanceof EntryColumns) return encodeSnapshot(value.rows());
  const slots: Slot[] = [];
  mark(value, slots, 0, undefined);
  try {
    return JSON.stringify(value);
  } finally {
    for (const s of slots) (s.holder as Record<string | number, unknown>)[s.key] = s.value;
  }
}

/** Turns markers under `value` back into numbers, in place; returns the value (or its number). */
function revive(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = revive(value[i]);
    return value;
  }
  const o = value as Record<string, unknown>;
  const n = o[MARK];
  if (typeof n === 'string') {
    let count = 0;
    for (const _ in o) count++;
    if (count === 1) return Number(n);
  }
  for (const k in o) o[k] = revive(o[k]);
  return o;
}

/** Decodes what encodeSnapshot wrote. */
export function decodeSnapshot<T>(text: string): T {
  const parsed: unknown = JSON.parse(text);
  return (text.includes('"$num"') ? revive(parsed) : parsed) as T;
}

/**
 * Characters (or bytes, for a binary chunk) per chunk of a part encoded in chunks: small enough
 * that a store writes one chunk while the next is encoded (IndexedDB clones each put on the
 * calling thread, then its backend writes it), large enough that a chunk's fixed costs (a
 * request, a row) stay small.
 */
export const SNAPSHOT_CHUNK_CHARS = 128 * 1024;

/** Tuning of encodeSnapshotChunks (tests use small values to exercise every boundary). */
export interface ChunkOptions {
  /** A chunk is emitted once it holds at least this many characters or bytes (the last may hold fewer). */
  readonly chunkChars?: number;
  /** Elements of a long array encoded per JSON.stringify call, and rows per binary block. */
  readonly slice?: number;
  /** Whether lists of plain rows may be written as binary columns (binary-rows.ts); default true. */
  readonly binary?: boolean;
}

/**
 * How entry columns would be stored as a row list's columns (what rowColumns says of their rows),
 * or undefined when their rows stay text.
 */
function entryKinds(e: EntryColumns): readonly Column[] | undefined {
  if (e.length < MIN_BINARY_ROWS) return undefined;
  const key = columnKind(e.keys);
  if (key === undefined) return undefined;
  // Entries without a window and entries with one would make a mixed column.
  const window = e.plain === e.length ? Column.Null : e.plain === 0 ? columnKind(e.windows) : undefined;
  if (window === undefined) return undefined;
  const value = columnKind(e.values);
  return value === undefined ? undefined : [key, window, value];
}

/** Levels of objects and arrays walked piece by piece; below, a value is encoded whole. */
const SPLIT_DEPTH = 4;

/**
 * Encodes `value` as encodeSnapshot does, handing it to `emit` in chunks of about `chunkChars`
 * characters as it goes, so the first chunk is out after a chunk's worth of work, not the whole
 * state's. The top levels (where a backend's tables and their long entry lists are) are walked
 * here; long arrays are encoded a slice at a time by the native encoder. A list of plain rows (a
 * backend's [key, window, value] entries: rowColumns in binary-rows.ts) is written as typed
 * columns instead, and from the first such list on the chunks are binary (text pieces become
 * text segments in them); the chunks stand for exactly encodeSnapshot's text (part-data.ts,
 * `partText`). Synchronous: `value` must not change until it returns (a snapshot is still a
 * copy at one instant). Throws as encodeSnapshot does.
 */
export function encodeSnapshotChunks(value: unknown, emit: (chunk: ChunkData) => void, options: ChunkOptions = {}): void {
  const chunkChars = options.chunkChars ?? SNAPSHOT_CHUNK_CHARS;
  const slice = options.slice ?? 4096;
  const binary = options.binary ?? true;
  if (value === null || typeof value !== 'object') {
    emit(encodeSnapshot(value));
    return;
  }
  let pieces: string[] = [];
  let held = 0;
  /** Set at the first list of rows: every later piece goes into binary chunks. */
  let writer: BinaryChunkWriter | undefined;
  let lists = 0;
  /** Keys from the root to the value being walked (a binary list records where it goes back). */
  const path: (string | number)[] = [];
  const textIntoWriter = (): void => {
    if (pieces.length === 0) return;
    writer!.text(pieces.join(''));
    pieces = [];
    held = 0;
  };
  const emitFull = (): void => {
    if (writer!.size >= chunkChars) emit(writer!.take());
  };
  const push = (piece: string): void => {
    pieces.push(piece);
    held += piece.length;
    if (held < chunkChars) return;
    if (writer === undefined) {
      emit(pieces.join(''));
      pieces = [];
      held = 0;
    } else {
      textIntoWriter();
      emitFull();
    }
  };
  const rowList = (rows: readonly unknown[], kinds: readonly Column[]): void => {
    writer ??= new BinaryChunkWriter(chunkChars + 64 * 1024);
    textIntoWriter();
    const id = lists++;
    const at = JSON.stringify(path);
    for (let i = 0; i < rows.length; i += slice) {
      writer.rows(id, at, rows, i, Math.min(rows.length, i + slice), kinds);
      emitFull();
    }
  };
  /** A value encoded whole, its non-finite numbers swapped for markers only meanwhile. */
  const whole = (value: unknown, depth: number): string => {
    const v = value instanceof EntryColumns ? value.rows() : value;
    if (typeof v === 'number' && !Number.isFinite(v)) return JSON.stringify({ [MARK]: String(v) });
    if (v === null || typeof v !== 'object') {
      check(v);
      return JSON.stringify(v);
    }
    if (Array.isArray(v) && plainRows(v)) return JSON.stringify(v);
    const slots: Slot[] = [];
    try {
      mark(v, slots, depth, undefined);
      return JSON.stringify(v);
    } finally {
      for (const s of slots) (s.holder as Record<string | number, unknown>)[s.key] = s.value;
    }
  };
  /** A backend's entries in columns: written from them as typed columns when they can be, else as the rows they stand for. */
  const entryColumns = (v: EntryColumns, depth: number): void => {
    const kinds = binary && depth > 0 && !path.includes('__proto__') ? entryKinds(v) : undefined;
    if (kinds === undefined) {
      walk(v.rows(), depth);
      return;
    }
    writer ??= new BinaryChunkWriter(chunkChars + 64 * 1024);
    textIntoWriter();
    const id = lists++;
    const at = JSON.stringify(path);
    const columns = [v.keys, kinds[1] === Column.Pair ? v.windows : undefined, v.values];
    for (let i = 0; i < v.length; i += slice) {
      writer.columns(id, at, columns, i, Math.min(v.length, i + slice), kinds);
      emitFull();
    }
  };
  const walk = (v: unknown, depth: number): void => {
    if (v instanceof EntryColumns && depth < SPLIT_DEPTH) {
      entryColumns(v, depth);
      return;
    }
    if (v === null || typeof v !== 'object' || depth >= SPLIT_DEPTH || typeof (v as { toJSON?: unknown }).toJSON === 'function') {
      push(whole(v, depth));
      return;
    }
    if (Array.isArray(v)) {
      // A list under a "__proto__" key could not be put back by path; it stays text.
      const kinds = binary && depth > 0 && !path.includes('__proto__') ? rowColumns(v) : undefined;
      if (kinds !== undefined) {
        rowList(v, kinds);
        return;
      }
      push('[');
      if (v.length > slice) {
        for (let i = 0; i < v.length; i += slice) {
          // A copy of the slice holds the markers of its own elements; nested ones are swapped back.
          const text = whole(v.slice(i, i + slice), depth);
          push(i === 0 ? text.slice(1, -1) : `,${text.slice(1, -1)}`);
        }
      } else {
        for (let i = 0; i < v.length; i++) {
          if (i > 0) push(',');
          const e: unknown = v[i];
          // As JSON.stringify: an array slot holding undefined is null (functions and symbols throw).
          if (e === undefined) push('null');
          else {
            path.push(i);
            walk(e, depth + 1);
            path.pop();
          }
        }
      }
      push(']');
      return;
    }
    push('{');
    let first = true;
    const o = v as Record<string, unknown>;
    for (const key of Object.keys(o)) {
      const e = o[key];
      if (e === undefined) continue; // JSON.stringify drops undefined fields
      push(first ? `${JSON.stringify(key)}:` : `,${JSON.stringify(key)}:`);
      first = false;
      path.push(key);
      walk(e, depth + 1);
      path.pop();
    }
    push('}');
  };
  walk(value, 0);
  if (writer === undefined) {
    if (pieces.length > 0) emit(pieces.join(''));
  } else {
    textIntoWriter();
    if (!writer.empty) emit(writer.take());
  }
}
