// Watermark strategies, as Flink's WatermarkStrategy: a generator per source partition that
// watches event timestamps and proposes a watermark on each periodic emission, plus idleness
// and alignment settings. A partition's watermark never goes back (the source enforces it).

/** Watches one partition's timestamps and proposes its watermark. */
export interface WatermarkGenerator {
  /** Called for every record; may return a watermark to emit right away (punctuated). */
  onEvent(timestamp: number, value: unknown): number | undefined;
  /** Called every emission interval: the watermark this partition can now promise. */
  onPeriodicEmit(): number;
  /** Position for checkpoints: the largest timestamp seen. */
  snapshot(): number;
  restore(snapshot: number): void;
}

/** Watermark alignment settings (Flink's `withWatermarkAlignment`). */
export interface WatermarkAlignment {
  /** Partitions of all sources in the same group are aligned with each other. */
  readonly group: string;
  /** How far (ms of event time) a partition's watermark may run ahead of the group's minimum. */
  readonly maxDrift: number;
  /** How often (ms of processing time) the group's minimum is recomputed. */
  readonly updateInterval: number;
}

/** How a source turns timestamps into watermarks. */
export interface WatermarkStrategy {
  readonly name: string;
  createGenerator(): WatermarkGenerator;
  /** Processing time between periodic emissions (Flink's autoWatermarkInterval, 200 ms). */
  readonly emitInterval: number;
  /** A partition with no records for this long (processing time) is idle and ignored. */
  readonly idleness: number | undefined;
  readonly alignment: WatermarkAlignment | undefined;
  /**
   * Marks a partition idle after `timeout` ms of processing time without records, so it no
   * longer holds the watermark back.
   */
  withIdleness(timeout: number): WatermarkStrategy;
  /**
   * Pauses a partition whose watermark runs more than `maxDrift` ahead of the slowest
   * partition in `group`, until the others catch up.
   */
  withWatermarkAlignment(group: string, maxDrift: number, updateInterval?: number): WatermarkStrategy;
  /** Emits periodic watermarks every `interval` ms of processing time instead of 200 ms. */
  withEmitInterval(interval: number): WatermarkStrategy;
}

interface Settings {
  readonly name: string;
  readonly create: () => WatermarkGenerator;
  readonly emitInterval: number;
  readonly idleness: number | undefined;
  readonly alignment: WatermarkAlignment | undefined;
}

class Strategy implements WatermarkStrategy {
  constructor(private readonly s: Settings) {}
  get name(): string {
    return this.s.name;
  }
  get emitInterval(): number {
    return this.s.emitInterval;
  }
  get idleness(): number | undefined {
    return this.s.idleness;
  }
  get alignment(): WatermarkAlignment | undefined {
    return this.s.alignment;
  }
  createGenerator(): WatermarkGenerator {
    return this.s.create();
  }
  withIdleness(timeout: number): WatermarkStrategy {
    positive('idleness timeout', timeout);
    return new Strategy({ ...this.s, idleness: timeout, name: `${this.s.name}.withIdleness(${timeout} ms)` });
  }
  withWatermarkAlignment(group: string, maxDrift: number, updateInterval = 1000): WatermarkStrategy {
    if (!Number.isFinite(maxDrift) || maxDrift < 0) throw new RangeError(`maxDrift must be a non-negative number of ms, got ${maxDrift}`);
    positive('alignment update interval', updateInterval);
    return new Strategy({
      ...this.s,
      alignment: { group, maxDrift, updateInterval },
      name: `${this.s.name}.withWatermarkAlignment("${group}", ${maxDrift} ms)`,
    });
  }
  withEmitInterval(interval: number): WatermarkStrategy {
    positive('watermark emit interval', interval);
    return new Strategy({ ...this.s, emitInterval: interval });
  }
}

function positive(what: string, ms: number): void {
  if (!Number.isFinite(ms) || ms <= 0) throw new RangeError(`${what} must be a positive number of ms, got ${ms}`);
}

class BoundedOutOfOrdernessGenerator implements WatermarkGenerator {
  private maxTimestamp = Number.NEGATIVE_INFINITY;
  constructor(private readonly bound: number) {}
  onEvent(timestamp: number): undefined {
    if (timestamp > this.maxTimestamp) this.maxTimestamp = timestamp;
    return undefined;
  }
  onPeriodicEmit(): number {
    return this.maxTimestamp - this.bound - 1;
  }
  snapshot(): number {
    return this.maxTimestamp;
  }
  restore(s: number): void {
    this.maxTimestamp = s;
  }
}

function strategy(name: string, create: () => WatermarkGenerator): WatermarkStrategy {
  return new Strategy({ name, create, emitInterval: 200, idleness: undefined, alignment: undefined });
}

/**
 * Watermarks that trail the largest timestamp seen by `bound` ms: the watermark is
 * max timestamp − bound − 1 ms, exactly as Flink's BoundedOutOfOrdernessWatermarks.
 * @example
 * p.generator(orders, { watermarks: boundedOutOfOrderness(seconds(5)) })
 */
export function boundedOutOfOrderness(bound: number): WatermarkStrategy {
  if (!Number.isFinite(bound) || bound < 0) throw new RangeError(`out-of-orderness bound must be a non-negative number of ms, got ${bound}`);
  return strategy(`BoundedOutOfOrderness(${bound} ms)`, () => new BoundedOutOfOrdernessGenerator(bound));
}

/** For timestamps that never decrease: the watermark is max timestamp − 1 ms (Flink's AscendingTimestampsWatermarks). */
export function monotonousTimestamps(): WatermarkStrategy {
  return strategy('MonotonousTimestamps', () => new BoundedOutOfOrdernessGenerator(0));
}

/** No watermarks at all: event-time windows only fire when the input ends. */
export function noWatermarks(): WatermarkStrategy {
  return strategy('NoWatermarks', () => ({
    onEvent: () => undefined,
    onPeriodicEmit: () => Number.NEGATIVE_INFINITY,
    snapshot: () => 0,
    restore: () => {},
  }));
}

/**
 * A custom strategy. `onEvent` may return a watermark to emit immediately (punctuated
 * watermarks); `onPeriodicEmit` proposes one on each periodic emission.
 */
export function customWatermarks(
  name: string,
  create: () => { onEvent(timestamp: number, value: unknown): number | undefined; onPeriodicEmit(): number },
): WatermarkStrategy {
  return strategy(name, () => {
    const g = create();
    let max = Number.NEGATIVE_INFINITY;
    return {
      onEvent: (ts, v) => {
        if (ts > max) max = ts;
        return g.onEvent(ts, v);
      },
      onPeriodicEmit: () => g.onPeriodicEmit(),
      snapshot: () => max,
      restore: (s) => {
        max = s;
      },
    };
  });
}
