// Column-wise numeric storage that grows by doubling, so a million record dots cost eight
// numbers each and no object per record. Invariant: every column has `length` valid entries.

export class GrowableColumns<F extends string> {
  private data: Float64Array;
  private capacity = 1024;
  length = 0;
  private readonly index: Map<F, number>;
  readonly stride: number;

  constructor(readonly fields: readonly F[]) {
    this.stride = fields.length;
    this.index = new Map(fields.map((f, i) => [f, i]));
    this.data = new Float64Array(this.capacity * this.stride);
  }

  /** Appends one row (values in field order); returns its index. */
  push(values: readonly number[]): number {
    this.reserve(this.length + 1);
    this.data.set(values, this.length * this.stride);
    return this.length++;
  }

  /**
   * Appends `rows` rows for the caller to fill through `raw()` (at `first * stride` on, zeros
   * until then); returns the first one's index. Many rows at once without an array per row.
   */
  appendRows(rows: number): number {
    this.reserve(this.length + rows);
    const first = this.length;
    this.data.fill(0, first * this.stride, (first + rows) * this.stride);
    this.length += rows;
    return first;
  }

  /** Room for `rows` rows, by doubling. */
  private reserve(rows: number): void {
    if (rows <= this.capacity) return;
    while (this.capacity < rows) this.capacity *= 2;
    const bigger = new Float64Array(this.capacity * this.stride);
    bigger.set(this.data.subarray(0, this.length * this.stride));
    this.data = bigger;
  }

  get(row: number, field: F): number {
    return this.data[row * this.stride + this.column(field)]!;
  }

  set(row: number, field: F, value: number): void {
    this.data[row * this.stride + this.column(field)] = value;
  }

  /** The column offset of `field`, for tight loops: `raw()[row * stride + offset]`. */
  column(field: F): number {
    const c = this.index.get(field);
    if (c === undefined) throw new Error(`no column ${field}`);
    return c;
  }

  /** The backing array (rows beyond `length` are garbage). */
  raw(): Float64Array {
    return this.data;
  }
}
