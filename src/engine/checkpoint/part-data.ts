// A checkpoint part as written and stored: JSON text, or a list of chunks of which at least
// one is binary (binary-rows.ts: entry lists as typed columns, the rest as text). Stores keep
// the chunks as they are; readers decode the value with `decodePart`, and whoever needs text
// (a savepoint file, `brook savepoint inspect`) renders it with `partText`.
//
// Invariant: partText(encodePart(v)) === encodeSnapshot(v), and decodePart(encodePart(v)) is
// what decodeSnapshot(encodeSnapshot(v)) reads, whichever form the part took.

import { readSegments } from './binary-rows-reader.ts';
import { decodeSnapshot, encodeSnapshotChunks, type ChunkOptions } from './snapshot-codec.ts';

/** One chunk of a part: JSON text, or a binary chunk (binary-rows.ts). */
export type ChunkData = string | Uint8Array;

/** A part written in chunks with binary ones among them, in order. */
export interface BinaryPart {
  readonly chunks: readonly ChunkData[];
  /**
   * Set once the chunks were handed over to a store that took their buffers (transferred them
   * to its thread: store-io.ts, `handOver`): the part's size is kept, and reading `chunks` throws.
   */
  readonly handedOver?: { readonly size: number };
}

/**
 * A binary part of `size` as it is once its chunks were handed over to a store that took their
 * buffers: its size, and chunks that throw when read (detached, they would read as no bytes, silently).
 */
export function handedOverPart(size: number): BinaryPart {
  return {
    handedOver: { size },
    get chunks(): readonly ChunkData[] {
      throw new TypeError(`a checkpoint part of ${size} bytes was read after its chunks were handed over to the store; read it back from the store`);
    },
  };
}

/** A part's stored form: JSON text, or chunks with binary ones among them. */
export type PartData = string | BinaryPart;

/** The part stored as `chunks` (as read back from a store): text joined when all are text. */
export function partFromChunks(chunks: readonly ChunkData[]): PartData {
  if (!chunks.every((c) => typeof c === 'string')) return { chunks };
  // Built by `+`, which V8 keeps as a rope (no copy of the characters until something reads them).
  let text = '';
  for (const c of chunks) text += c as string;
  return text;
}

/**
 * Encodes a part's value (encodeSnapshotChunks): JSON text, or binary chunks when it holds lists
 * of plain rows. A deep copy of `value` at this instant, as encodeSnapshot is.
 */
export function encodePart(value: unknown, options?: ChunkOptions): PartData {
  const chunks: ChunkData[] = [];
  encodeSnapshotChunks(value, (c) => chunks.push(c), options);
  return partFromChunks(chunks);
}

/** A part's chunks as a store writes them, one row each (a text part is one chunk). */
export function chunksOf(data: PartData): readonly ChunkData[] {
  return typeof data === 'string' ? [data] : data.chunks;
}

/** A chunk's size: characters of text, or bytes. */
export const chunkSize = (chunk: ChunkData): number => (typeof chunk === 'string' ? chunk.length : chunk.byteLength);

/** A part's size as a manifest lists it: characters of a text part; a binary part's characters of text plus bytes. */
export function partSize(data: PartData): number {
  if (typeof data === 'string') return data.length;
  if (data.handedOver !== undefined) return data.handedOver.size;
  let n = 0;
  for (const c of data.chunks) n += chunkSize(c);
  return n;
}

/** The part's JSON text (exactly encodeSnapshot's text of its value). */
export function partText(data: PartData): string {
  if (typeof data === 'string') return data;
  const pieces: string[] = [];
  let open = -1;
  for (const chunk of data.chunks) {
    if (typeof chunk === 'string') {
      if (open >= 0) pieces.push(']');
      open = -1;
      pieces.push(chunk);
      continue;
    }
    for (const s of readSegments(chunk)) {
      if (s.kind === 'text') {
        if (open >= 0) pieces.push(']');
        open = -1;
        pieces.push(s.text);
      } else {
        // Consecutive segments of one list are one list: brackets around them, commas between.
        pieces.push(s.array === open ? ',' : open >= 0 ? '][' : '[');
        open = s.array;
        pieces.push(s.render());
      }
    }
  }
  if (open >= 0) pieces.push(']');
  return pieces.join('');
}

/** Decodes a part's value, as decodeSnapshot does its text (without rendering binary rows as text). */
export function decodePart<T>(data: PartData): T {
  if (typeof data === 'string') return decodeSnapshot<T>(data);
  // The text with every row list empty, then the lists put back where their paths say.
  const skeleton: string[] = [];
  const lists = new Map<number, { path: string; rows: unknown[][] }>();
  let open = -1;
  for (const chunk of data.chunks) {
    if (typeof chunk === 'string') {
      open = -1;
      skeleton.push(chunk);
      continue;
    }
    for (const s of readSegments(chunk)) {
      if (s.kind === 'text') {
        open = -1;
        skeleton.push(s.text);
        continue;
      }
      const rows = s.rows();
      const list = lists.get(s.array);
      if (list === undefined || s.array !== open) {
        if (list !== undefined) throw new TypeError(`a binary checkpoint part continues row list ${s.array} after other data`);
        skeleton.push('[]');
        lists.set(s.array, { path: s.path, rows });
      } else {
        for (const row of rows) list.rows.push(row);
      }
      open = s.array;
    }
  }
  const value = decodeSnapshot<T>(skeleton.join(''));
  for (const { path, rows } of lists.values()) putAt(value, JSON.parse(path) as (string | number)[], rows);
  return value;
}

/** Replaces the (empty) list at `path` under `root` by `rows`. */
function putAt(root: unknown, path: readonly (string | number)[], rows: unknown[][]): void {
  if (path.length === 0) throw new TypeError('a binary checkpoint part cannot be one row list alone');
  let holder = root as Record<string | number, unknown>;
  for (let i = 0; i < path.length - 1; i++) holder = holder[path[i]!] as Record<string | number, unknown>;
  const key = path[path.length - 1]!;
  if (!Array.isArray(holder?.[key])) throw new TypeError(`a binary checkpoint part's row list has no place at ${JSON.stringify(path)}`);
  holder[key] = rows;
}
