// The input and the expected shape of output of the windowed-sum benchmark: a keyed tumbling
// event-time window SUM over generated, slightly out-of-order records. Generated once, from a
// seed, and shared by every implementation so they all do exactly the same work.

/** One input record: `value` added to the sum of `key` in the window holding `timestamp`. */
export interface SumRecord {
  readonly key: number;
  readonly value: number;
  readonly timestamp: number;
}

/** The job every implementation runs. */
export interface WindowSumJob {
  /** Tumbling window size, ms. */
  readonly windowSize: number;
  /** Bounded out-of-orderness: watermark = max timestamp seen - bound - 1 ms (Flink's rule). */
  readonly outOfOrderness: number;
  /** A watermark is emitted each time processing time passes a multiple of this, ms (Flink's autoWatermarkInterval). */
  readonly watermarkInterval: number;
}

export interface WindowSumDataset {
  readonly job: WindowSumJob;
  readonly records: readonly SumRecord[];
  readonly keys: number;
  /** How many records are generated late on purpose (arriving well after their window closed). */
  readonly lateRecords: number;
}

/**
 * What an implementation produced: one entry per fired (key, window) in column form, plus the
 * records it dropped as late.
 */
export interface WindowSumResult {
  readonly keys: number[];
  readonly windowStarts: number[];
  readonly sums: number[];
  dropped: number;
}

export const emptyResult = (): WindowSumResult => ({ keys: [], windowStarts: [], sums: [], dropped: 0 });

export interface DatasetOptions {
  readonly records: number;
  readonly keys: number;
  /** Records per millisecond of event time. */
  readonly rate: number;
  readonly seed: number;
}

/** A tiny xorshift32 generator, so the data is the same on every run and machine. */
export function xorshift32(seed: number): () => number {
  let state = seed | 0 || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

/**
 * Generates the records in arrival order.
 *
 * 1. Record i happens "now" at base time floor(i / rate) and is delayed by up to
 *    `outOfOrderness` - 1 ms, so it is out of order but never late.
 * 2. One record in a thousand is delayed far more (window size + bound + 8 to 18 s): it is
 *    late however often watermarks are emitted, so every implementation must drop it.
 * Values are small integers, so sums are exact whatever the order of addition.
 */
export function generateWindowSumDataset(options: DatasetOptions, job: WindowSumJob): WindowSumDataset {
  const random = xorshift32(options.seed);
  const records = new Array<SumRecord>(options.records);
  const lateDelayBase = job.windowSize + job.outOfOrderness + 8_000;
  let lateRecords = 0;
  for (let i = 0; i < options.records; i++) {
    const base = Math.floor(i / options.rate);
    const key = Math.floor(random() * options.keys);
    const value = 1 + Math.floor(random() * 100);
    const lateDelay = lateDelayBase + Math.floor(random() * 10_000);
    const isLate = random() < 0.001 && base >= lateDelay + job.windowSize;
    const delay = isLate ? lateDelay : Math.floor(random() * job.outOfOrderness);
    if (isLate) lateRecords++;
    records[i] = { key, value, timestamp: Math.max(0, base - delay) };
  }
  return { job, records, keys: options.keys, lateRecords };
}

/** The start of the tumbling window that holds `timestamp` (windows are aligned to 0). */
export function windowStartOf(timestamp: number, size: number): number {
  return timestamp - (((timestamp % size) + size) % size);
}
