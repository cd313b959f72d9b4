// Reading binary chunks (binary-rows.ts wrote them): their segments in order, a rows block's
// columns viewed in place, as rows (the value) or as the JSON text encodeSnapshot would have
// written for them. Invariant: rendering and decoding agree with the text form exactly.

import { align, Column, MAGIC, SEGMENT_ROWS, SEGMENT_TEXT } from './binary-rows.ts';

/** Just what the engine uses of the platform's UTF-8 decoder (Node and Workers have it; the engine's lib has no DOM). */
declare class TextDecoder {
  constructor(label?: string);
  decode(input: Uint8Array): string;
}

/** Whether `chunk` is a binary chunk (its first bytes are the magic number). */
export function isBinaryChunk(chunk: Uint8Array): boolean {
  return chunk.length >= 8 && new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength).getUint32(0, true) === MAGIC;
}

/** One segment of a binary chunk, as read. */
export type Segment =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'rows'; readonly array: number; readonly path: string; readonly rows: () => unknown[][]; readonly render: () => string };

/** The segments of a binary chunk, in order. Throws on a chunk that is not one (a damaged store). */
export function readSegments(chunk: Uint8Array): Segment[] {
  if (!isBinaryChunk(chunk)) throw new TypeError('not a binary checkpoint chunk (its magic number is missing)');
  // Typed columns are viewed in place, so the chunk must start at an 8-aligned offset of its buffer.
  const bytes = chunk.byteOffset % 8 === 0 ? chunk : chunk.slice();
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder();
  const out: Segment[] = [];
  let at = 8;
  while (at < bytes.length) {
    const kind = v.getUint32(at, true);
    if (kind === SEGMENT_TEXT) {
      const length = v.getUint32(at + 4, true);
      out.push({ kind: 'text', text: decoder.decode(bytes.subarray(at + 8, at + 8 + length)) });
      at = align(at + 8 + length, 8);
    } else if (kind === SEGMENT_ROWS) {
      const array = v.getUint32(at + 4, true);
      const n = v.getUint32(at + 8, true);
      const width = v.getUint32(at + 12, true);
      const pathBytes = v.getUint32(at + 16, true);
      const path = decoder.decode(bytes.subarray(at + 20, at + 20 + pathBytes));
      let p = align(at + 20 + pathBytes, 4);
      const kinds: Column[] = [];
      for (let c = 0; c < width; c++, p += 4) kinds.push(v.getUint32(p, true) as Column);
      p = align(p, 8);
      const columns: ColumnReader[] = [];
      for (const k of kinds) {
        const [column, next] = readColumn(k, bytes, v, p, n, decoder);
        columns.push(column);
        p = next;
      }
      out.push({ kind: 'rows', array, path, rows: () => buildRows(columns, n), render: () => renderRows(columns, n) });
      at = p;
    } else {
      throw new TypeError(`a binary checkpoint chunk holds an unknown segment kind ${kind} at byte ${at}`);
    }
  }
  return out;
}

/** A column as read: its values (a typed array viewed in place where it can be), and its JSON text at a row. */
interface ColumnReader {
  readonly values: ArrayLike<unknown>;
  json(i: number): string;
}

function readColumn(kind: Column, bytes: Uint8Array, v: DataView, at: number, n: number, decoder: TextDecoder): [ColumnReader, number] {
  const buffer = bytes.buffer;
  const offset = bytes.byteOffset + at;
  switch (kind) {
    case Column.Null:
      return [{ values: new Array<null>(n).fill(null), json: () => 'null' }, at];
    case Column.F64: {
      const xs = new Float64Array(buffer, offset, n);
      return [{ values: xs, json: (i) => numberJson(xs[i]!) }, at + n * 8];
    }
    case Column.I32: {
      const xs = new Int32Array(buffer, offset, n);
      return [{ values: xs, json: (i) => String(xs[i]) }, align(at + n * 4, 8)];
    }
    case Column.Bool: {
      const xs = new Array<boolean>(n);
      for (let i = 0; i < n; i++) xs[i] = bytes[at + i] === 1;
      return [{ values: xs, json: (i) => (xs[i] ? 'true' : 'false') }, align(at + n, 8)];
    }
    case Column.Pair: {
      const xs = new Float64Array(buffer, offset, 2 * n);
      const pairs = new Array<[number, number]>(n);
      for (let i = 0; i < n; i++) pairs[i] = [xs[2 * i]!, xs[2 * i + 1]!];
      return [{ values: pairs, json: (i) => `[${numberJson(xs[2 * i]!)},${numberJson(xs[2 * i + 1]!)}]` }, at + n * 16];
    }
    case Column.Str: {
      const wide = v.getUint32(at, true) === 1;
      const careful = v.getUint32(at + 4, true) === 1;
      const byteLength = v.getUint32(at + 8, true);
      const lengths = new Uint32Array(buffer, offset + 16, n);
      const body = align(at + 16 + n * 4, 8);
      const text = wide ? fromUnits(new Uint16Array(buffer, bytes.byteOffset + body, byteLength / 2)) : decoder.decode(bytes.subarray(body, body + byteLength));
      const strings = new Array<string>(n);
      for (let i = 0, s = 0; i < n; i++) {
        strings[i] = text.slice(s, s + lengths[i]!);
        s += lengths[i]!;
      }
      const json = careful ? (i: number) => JSON.stringify(strings[i]) : (i: number) => `"${strings[i]}"`;
      return [{ values: strings, json }, align(body + byteLength, 8)];
    }
    default:
      throw new TypeError(`a binary checkpoint chunk holds an unknown column kind ${String(kind)}`);
  }
}

/** A number as encodeSnapshot writes it: non-finite ones as their marker. */
function numberJson(x: number): string {
  return Number.isFinite(x) ? String(x) : `{"$num":"${String(x)}"}`;
}

/** UTF-16 code units back into a string, surrogates exactly as they were. */
function fromUnits(units: Uint16Array): string {
  const pieces: string[] = [];
  for (let i = 0; i < units.length; i += 8192) pieces.push(String.fromCharCode(...units.subarray(i, i + 8192)));
  return pieces.join('');
}

function buildRows(columns: readonly ColumnReader[], n: number): unknown[][] {
  const rows = new Array<unknown[]>(n);
  // Entries are three wide ([key, window, value]): built as literals, the common case costs no inner loop.
  if (columns.length === 3) {
    const [a, b, c] = [columns[0]!.values, columns[1]!.values, columns[2]!.values];
    for (let i = 0; i < n; i++) rows[i] = [a[i], b[i], c[i]];
    return rows;
  }
  const width = columns.length;
  for (let i = 0; i < n; i++) {
    const row = new Array<unknown>(width);
    for (let c = 0; c < width; c++) row[c] = columns[c]!.values[i];
    rows[i] = row;
  }
  return rows;
}

/** The rows as JSON, without the list's brackets (the caller joins segments of one list). */
function renderRows(columns: readonly ColumnReader[], n: number): string {
  const width = columns.length;
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    let row = '[';
    for (let c = 0; c < width; c++) row += c === 0 ? columns[c]!.json(i) : `,${columns[c]!.json(i)}`;
    out[i] = `${row}]`;
  }
  return out.join(',');
}
