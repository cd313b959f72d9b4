// Binary chunks of a checkpoint part: a state backend's entry lists ([key, window or null,
// value] rows of plain values) stored column by column in typed arrays, the rest of the part as
// JSON text segments. Turning 100,000 numbers into decimal text was most of a snapshot's cost
// (JSON.stringify ~14 ms against ~1 ms to fill typed columns), as it is for reading them back;
// Flink's heap backend writes its key groups as bytes through TypeSerializers for the same reason.
//
// Invariant: a chunk stands for exact JSON text. Read back (binary-rows-reader.ts) it renders
// the very text encodeSnapshot would have written for the same value, and decodes to the value
// decodeSnapshot would have read from it, so checksums aside nothing downstream can tell.

/** Just what the engine uses of the platform's UTF-8 encoder (Node and Workers have it; the engine's lib has no DOM). */
declare class TextEncoder {
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}

/** The first four bytes of every binary chunk ("BRK1", little-endian): a chunk is recognised, and its format versioned. */
export const MAGIC = 0x314b5242;
export const SEGMENT_TEXT = 1;
export const SEGMENT_ROWS = 2;

/** How one column of a block of rows is stored. */
export const Column = {
  Null: 0,
  F64: 1,
  I32: 2,
  Bool: 3,
  /** Strings as UTF-8, or UTF-16 code units when any holds a surrogate (TextEncoder would replace a lone one). */
  Str: 4,
  /** A pair of numbers (a window's [start, end]). */
  Pair: 5,
} as const;
/** A column's kind (one of Column's values). */
export type Column = (typeof Column)[keyof typeof Column];

/** Lists shorter than this stay text: a binary block's headers would cost more than they save. */
export const MIN_BINARY_ROWS = 64;
/** Rows wider than this stay text (entries are three wide; timers about as much). */
const MAX_COLUMNS = 8;

/**
 * How each column of `rows` would be stored, or undefined when `rows` is not a list of
 * equally long arrays whose columns each hold one plain kind (all null, all numbers, all
 * booleans, all strings or all pairs of numbers). Anything else (objects, undefined, bigints,
 * mixed kinds) stays JSON text, with its checks and errors.
 */
export function rowColumns(rows: readonly unknown[]): readonly Column[] | undefined {
  if (rows.length < MIN_BINARY_ROWS) return undefined;
  const first = rows[0];
  if (!Array.isArray(first) || first.length === 0 || first.length > MAX_COLUMNS) return undefined;
  const width = first.length;
  const kinds: Column[] = [];
  for (let c = 0; c < width; c++) {
    const kind = kindOf(first[c]);
    if (kind === undefined) return undefined;
    kinds.push(kind);
  }
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i];
    if (!Array.isArray(row) || row.length !== width) return undefined;
    for (let c = 0; c < width; c++) {
      const x: unknown = row[c];
      const kind = kinds[c];
      if (kind === Column.F64 || kind === Column.I32) {
        if (typeof x !== 'number') return undefined;
        if (kind === Column.I32 && (x | 0) !== x) kinds[c] = Column.F64;
      } else if (kind === Column.Null) {
        if (x !== null) return undefined;
      } else if (kind === Column.Str) {
        if (typeof x !== 'string') return undefined;
      } else if (kind === Column.Bool) {
        if (typeof x !== 'boolean') return undefined;
      } else if (!isPair(x)) return undefined;
    }
  }
  return kinds;
}

function kindOf(x: unknown): Column | undefined {
  if (x === null) return Column.Null;
  if (typeof x === 'number') return (x | 0) === x ? Column.I32 : Column.F64;
  if (typeof x === 'string') return Column.Str;
  if (typeof x === 'boolean') return Column.Bool;
  return isPair(x) ? Column.Pair : undefined;
}

function isPair(x: unknown): boolean {
  return Array.isArray(x) && x.length === 2 && typeof x[0] === 'number' && typeof x[1] === 'number';
}

/** A column's values as the writer takes them: plain values, or numbers already in a typed array (state/entry-columns.ts). */
export type ColumnValues = readonly unknown[] | Int32Array | Float64Array;

/**
 * How column `values` (all of it) would be stored, as rowColumns decides for a column of rows:
 * undefined unless every value is of one plain kind (all null, all numbers, all booleans, all
 * strings or all pairs of numbers). Undefined for an empty column.
 */
export function columnKind(values: ColumnValues): Column | undefined {
  if (values.length === 0) return undefined;
  if (values instanceof Int32Array) return Column.I32;
  if (values instanceof Float64Array) {
    for (let i = 0; i < values.length; i++) if ((values[i]! | 0) !== values[i]) return Column.F64;
    return Column.I32;
  }
  let kind = kindOf(values[0]);
  switch (kind) {
    case undefined:
      return undefined;
    case Column.I32:
    case Column.F64:
      for (let i = 1; i < values.length; i++) {
        const x = values[i];
        if (typeof x !== 'number') return undefined;
        if (kind === Column.I32 && (x | 0) !== x) kind = Column.F64;
      }
      return kind;
    case Column.Null:
      for (let i = 1; i < values.length; i++) if (values[i] !== null) return undefined;
      return kind;
    case Column.Str:
      for (let i = 1; i < values.length; i++) if (typeof values[i] !== 'string') return undefined;
      return kind;
    case Column.Bool:
      for (let i = 1; i < values.length; i++) if (typeof values[i] !== 'boolean') return undefined;
      return kind;
    case Column.Pair:
      for (let i = 1; i < values.length; i++) if (!isPair(values[i])) return undefined;
      return kind;
  }
}

export const align = (n: number, to: number): number => (n + to - 1) & ~(to - 1);
/** Any code unit JSON.stringify escapes (quote, backslash, controls) or that makes UTF-8 lossy (surrogates). */
const NEEDS_CARE = /["\\\u0000-\u001f\ud800-\udfff]/;
const SURROGATE = /[\ud800-\udfff]/;

/**
 * Builds binary chunks segment by segment in one reused buffer. A chunk is MAGIC followed by
 * segments, each starting at a multiple of 8 bytes so typed columns can be viewed in place:
 * text `[1, bytes, utf-8…]`, rows `[2, array, rows, columns, path bytes, path JSON…, kinds…,
 * columns…]`. Consecutive rows segments of one array stand for that whole array.
 */
export class BinaryChunkWriter {
  private bytes: Uint8Array;
  private view: DataView;
  private at = 0;
  private readonly encoder = new TextEncoder();

  constructor(capacity: number) {
    this.bytes = new Uint8Array(align(Math.max(capacity, 64), 8));
    this.view = new DataView(this.bytes.buffer);
    this.start();
  }

  /** Bytes written into the chunk being built. */
  get size(): number {
    return this.at;
  }

  /** Whether the chunk being built holds no segment yet. */
  get empty(): boolean {
    return this.at === 8;
  }

  /** Appends a text segment (a piece of the part's JSON outside row blocks). */
  text(text: string): void {
    if (text.length === 0) return;
    this.reserve(8 + text.length * 3 + 8);
    this.view.setUint32(this.at, SEGMENT_TEXT, true);
    const { written } = this.encoder.encodeInto(text, this.bytes.subarray(this.at + 8));
    this.view.setUint32(this.at + 4, written, true);
    this.at = align(this.at + 8 + written, 8);
  }

  /**
   * Appends rows `from` to `to` of `rows` (kinds from rowColumns) as a segment of array number
   * `array` found at `path` (keys from the part's root; a decoder puts the rows back there).
   */
  rows(array: number, path: string, rows: readonly unknown[], from: number, to: number, kinds: readonly Column[]): void {
    const n = to - from;
    const columns = kinds.map((k, c) => {
      if (k === Column.Null) return undefined;
      const column = new Array<unknown>(n);
      for (let i = 0; i < n; i++) column[i] = (rows[from + i] as unknown[])[c];
      return column;
    });
    this.columns(array, path, columns, 0, n, kinds);
  }

  /**
   * Appends rows `from` to `to` of a list given as columns (kinds from columnKind; a Null
   * column's array may be absent) as a segment of array number `array` found at `path`.
   */
  columns(array: number, path: string, columns: readonly (ColumnValues | undefined)[], from: number, to: number, kinds: readonly Column[]): void {
    const n = to - from;
    const width = kinds.length;
    // Strings of each string column, joined: one native encode and one test each, not one per row.
    const joined: (string | undefined)[] = kinds.map((k, c) => (k === Column.Str ? (columns[c] as readonly string[]).slice(from, to).join('') : undefined));
    let size = 24 + path.length * 3 + 4 * width + 8;
    for (let c = 0; c < width; c++) size += columnBound(kinds[c]!, n, joined[c]);
    this.reserve(size);
    const v = this.view;
    const base = this.at;
    v.setUint32(base, SEGMENT_ROWS, true);
    v.setUint32(base + 4, array, true);
    v.setUint32(base + 8, n, true);
    v.setUint32(base + 12, width, true);
    const { written } = this.encoder.encodeInto(path, this.bytes.subarray(base + 20));
    v.setUint32(base + 16, written, true);
    let at = align(base + 20 + written, 4);
    for (const k of kinds) {
      v.setUint32(at, k, true);
      at += 4;
    }
    at = align(at, 8);
    for (let c = 0; c < width; c++) at = this.column(kinds[c]!, columns[c], from, n, joined[c], at);
    this.at = at;
  }

  /** Writes `n` values of `values` from `from` as a column of `kind` at `at` (8-aligned); returns the next 8-aligned offset. */
  private column(kind: Column, values: ColumnValues | undefined, from: number, n: number, joined: string | undefined, at: number): number {
    const buffer = this.bytes.buffer;
    switch (kind) {
      case Column.Null:
        return at;
      case Column.F64: {
        const out = new Float64Array(buffer, at, n);
        const xs = values as ArrayLike<number>;
        // `+ 0` turns -0 into 0, as JSON does ("0"), so a binary part decodes to what its text would.
        for (let i = 0; i < n; i++) out[i] = xs[from + i]! + 0;
        return at + n * 8;
      }
      case Column.I32: {
        const out = new Int32Array(buffer, at, n);
        // Taken typed (a backend's snapshot): copied as it is.
        if (values instanceof Int32Array) out.set(values.subarray(from, from + n));
        else {
          const xs = values as ArrayLike<number>;
          for (let i = 0; i < n; i++) out[i] = xs[from + i]!;
        }
        return align(at + n * 4, 8);
      }
      case Column.Bool: {
        const out = this.bytes;
        const xs = values as readonly boolean[];
        for (let i = 0; i < n; i++) out[at + i] = xs[from + i] ? 1 : 0;
        return align(at + n, 8);
      }
      case Column.Pair: {
        const out = new Float64Array(buffer, at, 2 * n);
        const xs = values as readonly (readonly number[])[];
        for (let i = 0; i < n; i++) {
          const p = xs[from + i]!;
          out[2 * i] = p[0]! + 0;
          out[2 * i + 1] = p[1]! + 0;
        }
        return at + n * 16;
      }
      case Column.Str: {
        const text = joined!;
        const xs = values as readonly string[];
        // Header: the encoding (0 UTF-8, 1 UTF-16), whether any string needs JSON escaping, byte length.
        const wide = SURROGATE.test(text);
        this.view.setUint32(at, wide ? 1 : 0, true);
        this.view.setUint32(at + 4, NEEDS_CARE.test(text) ? 1 : 0, true);
        const lengths = new Uint32Array(buffer, at + 16, n);
        for (let i = 0; i < n; i++) lengths[i] = xs[from + i]!.length;
        let body = align(at + 16 + n * 4, 8);
        let written: number;
        if (wide) {
          const units = new Uint16Array(buffer, body, text.length);
          for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
          written = text.length * 2;
        } else {
          written = this.encoder.encodeInto(text, this.bytes.subarray(body)).written;
        }
        this.view.setUint32(at + 8, written, true);
        body += written;
        return align(body, 8);
      }
    }
  }

  /** The chunk built so far, copied out (a view would make a store clone the whole buffer); starts the next. */
  take(): Uint8Array {
    const chunk = this.bytes.slice(0, this.at);
    this.start();
    return chunk;
  }

  private start(): void {
    this.view.setUint32(0, MAGIC, true);
    this.at = 8;
  }

  private reserve(extra: number): void {
    const need = this.at + extra;
    if (need <= this.bytes.length) return;
    const grown = new Uint8Array(align(Math.max(need, this.bytes.length * 2), 8));
    grown.set(this.bytes.subarray(0, this.at));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }
}

/** Upper bound of a column's bytes, alignment included. */
function columnBound(kind: Column, n: number, joined: string | undefined): number {
  switch (kind) {
    case Column.Null:
      return 0;
    case Column.F64:
      return n * 8;
    case Column.I32:
      return align(n * 4, 8);
    case Column.Bool:
      return align(n, 8);
    case Column.Pair:
      return n * 16;
    case Column.Str:
      return 16 + align(n * 4, 8) + joined!.length * 3 + 8;
  }
}
