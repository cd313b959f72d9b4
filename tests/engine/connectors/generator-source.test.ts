import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../../src/engine/errors.ts';
import {
  generatorPartitions,
  type GeneratorSpec,
  type KeyedTimedRecords,
  type RateSpec,
} from '../../../src/engine/connectors/generator-source.ts';
import type { PartitionReader } from '../../../src/engine/connectors/partition-reader.ts';
import type { Key } from '../../../src/engine/runtime/record-batch.ts';
import { seededRandom } from '../../../src/engine/random/random.ts';
import { hours, minutes, seconds } from '../../../src/engine/time/time.ts';

interface Rec<T> {
  value: T;
  timestamp: number;
  arrival: number;
  key: Key;
}

function buffers<T>(): KeyedTimedRecords<T> & { keys: Key[] } {
  return { values: [], timestamps: [], arrivals: [], keys: [] };
}

function rows<T>(out: KeyedTimedRecords<T> & { keys: Key[] }): Rec<T>[] {
  return out.values.map((value, i) => ({ value, timestamp: out.timestamps[i]!, arrival: out.arrivals[i]!, key: out.keys[i]! }));
}

function take<T>(reader: PartitionReader<T>, max = Number.POSITIVE_INFINITY, until = Number.POSITIVE_INFINITY): Rec<T>[] {
  const out = buffers<T>();
  reader.read(until, max, out);
  return rows(out);
}

const run = <T>(spec: GeneratorSpec<T>, seed = 1): Rec<T>[][] => generatorPartitions(spec, seededRandom(seed)).map((r) => take(r));

const basic: GeneratorSpec<{ k: Key; x: number }> = {
  partitions: 3,
  rate: { kind: 'steady', perSecond: 50 },
  arrivals: 'poisson',
  duration: minutes(1),
  keys: { count: 20, skew: { zipf: 1 } },
  delay: { kind: 'exponential', mean: 500, late: { fraction: 0.1, extra: seconds(30) } },
  value: (g) => ({ k: g.key, x: g.random.int(1000) }),
};

describe('generatorPartitions: determinism', () => {
  it('gives identical records for the same seed and different ones for another', () => {
    const a = run(basic, 7);
    expect(run(basic, 7)).toEqual(a);
    expect(run(basic, 8)).not.toEqual(a);
    expect(a.flat().length).toBeGreaterThan(2500);
  });

  it('keeps a partition\'s keys and values when another partition is added', () => {
    const spec = { ...basic, arrivals: 'even' as const, delay: undefined };
    const two = run({ ...spec, partitions: 2 });
    const three = run({ ...spec, partitions: 3 });
    const n = Math.min(two[0]!.length, three[0]!.length);
    expect(three[0]!.slice(0, n).map((r) => r.value)).toEqual(two[0]!.slice(0, n).map((r) => r.value));
  });

  it('values are made from their own random stream: new values never move arrivals or keys', () => {
    const plain = run({ ...basic, value: () => 0 });
    const busy = run({ ...basic, value: (g) => g.random.next() + g.random.next() });
    expect(busy.map((p) => p.map((r) => [r.arrival, r.timestamp, r.key]))).toEqual(plain.map((p) => p.map((r) => [r.arrival, r.timestamp, r.key])));
  });
});

const rateArb: fc.Arbitrary<RateSpec> = fc.oneof(
  fc.double({ min: 0.1, max: 200, noNaN: true }),
  fc.record({ kind: fc.constant('steady' as const), perSecond: fc.double({ min: 0, max: 200, noNaN: true }) }),
  fc.record({
    kind: fc.constant('bursts' as const),
    perSecond: fc.double({ min: 0, max: 50, noNaN: true }),
    burstPerSecond: fc.double({ min: 0, max: 500, noNaN: true }),
    every: fc.integer({ min: 1000, max: 60_000 }),
    length: fc.integer({ min: 0, max: 1000 }),
  }),
  fc.record({
    kind: fc.constant('dailySpike' as const),
    perSecond: fc.double({ min: 0, max: 20, noNaN: true }),
    spikePerSecond: fc.double({ min: 0, max: 200, noNaN: true }),
    at: fc.integer({ min: 0, max: hours(24) - 1 }),
    length: fc.integer({ min: 0, max: hours(2) }),
  }),
  fc.double({ min: 0.01, max: 0.3, noNaN: true }).map((f) => (t: number) => 20 + 15 * Math.sin(t * f * 0.001)),
);

const specArb: fc.Arbitrary<GeneratorSpec<number>> = fc.record({
  partitions: fc.oneof(
    fc.integer({ min: 1, max: 4 }),
    fc.array(
      fc.record(
        {
          speed: fc.double({ min: 0, max: 3, noNaN: true }),
          lag: fc.integer({ min: 0, max: 5000 }),
          idle: fc.array(
            fc.record({ from: fc.integer({ min: 0, max: 60_000 }), length: fc.integer({ min: 0, max: 20_000 }), buffer: fc.boolean() }).map((g) => ({
              from: g.from,
              to: g.from + g.length,
              buffer: g.buffer,
            })),
            { maxLength: 3 },
          ),
        },
        { requiredKeys: [] },
      ),
      { minLength: 1, maxLength: 4 },
    ),
  ),
  rate: rateArb,
  arrivals: fc.constantFrom('even' as const, 'poisson' as const),
  start: fc.integer({ min: 0, max: 2e12 }),
  duration: fc.integer({ min: 0, max: 90_000 }),
  keys: fc.record({ count: fc.integer({ min: 1, max: 30 }), skew: fc.constantFrom('uniform' as const, 'roundRobin' as const, { zipf: 1.2 }, { hotKey: 0.5 }) }),
  delay: fc.oneof(
    fc.constant({ kind: 'none' as const }),
    fc.record({ kind: fc.constant('fixed' as const), ms: fc.integer({ min: 0, max: 5000 }) }),
    fc.record({ kind: fc.constant('uniform' as const), min: fc.integer({ min: 0, max: 1000 }), max: fc.integer({ min: 1000, max: 5000 }) }),
    fc.record({ kind: fc.constant('exponential' as const), mean: fc.integer({ min: 0, max: 3000 }), late: fc.constant({ fraction: 0.2, extra: 60_000 }) }),
  ),
  value: fc.constant((g: { index: number; random: { next(): number } }) => g.index + g.random.next()),
});

describe('generatorPartitions: properties over random specs', () => {
  it('arrivals never decrease within a partition, and no record arrives before it happened', () => {
    fc.assert(
      fc.property(specArb, fc.integer(), (spec, seed) => {
        for (const records of run(spec, seed)) {
          for (let i = 0; i < records.length; i++) {
            const r = records[i]!;
            if (i > 0) expect(r.arrival).toBeGreaterThanOrEqual(records[i - 1]!.arrival);
            expect(r.timestamp).toBeLessThanOrEqual(r.arrival);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a snapshot resumes exactly, also on a fresh reader', () => {
    fc.assert(
      fc.property(specArb, fc.integer(), fc.nat(200), fc.nat(200), (spec, seed, n, m) => {
        const readers = generatorPartitions(spec, seededRandom(seed));
        for (const r of readers) {
          take(r, n);
          const snap = JSON.parse(JSON.stringify(r.snapshot()));
          const next = r.nextArrival();
          const expected = take(r, m);
          const fresh = generatorPartitions(spec, seededRandom(seed))[r.partition]!;
          fresh.restore(snap);
          expect(fresh.offset()).toBe(r.offset() - expected.length);
          expect(fresh.nextArrival()).toBe(next);
          expect(take(fresh, m)).toEqual(expected);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('reads up to the processing time asked for, and nothing after it', () => {
    const [r] = generatorPartitions({ rate: 10, duration: seconds(10), value: (g) => g.index }, seededRandom(3));
    const first = take(r!, 1000, 2500);
    expect(first.map((x) => x.arrival)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200, 1300, 1400, 1500, 1600, 1700, 1800, 1900, 2000, 2100, 2200, 2300, 2400, 2500]);
    expect(r!.nextArrival()).toBe(2600);
    expect(r!.offset()).toBe(26);
    expect(take(r!).length).toBe(74);
    expect(r!.nextArrival()).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('generatorPartitions: rates', () => {
  it('an even steady rate gives rate × time records, interleaved across partitions', () => {
    const parts = run({ partitions: 4, rate: { kind: 'steady', perSecond: 40 }, duration: minutes(1), value: () => 1 });
    expect(parts.map((p) => p.length)).toEqual([600, 600, 600, 600]);
    const arrivals = parts.flat().map((r) => r.arrival).sort((a, b) => a - b);
    expect(arrivals.slice(0, 8)).toEqual([0, 25, 50, 75, 100, 125, 150, 175]);
  });

  it('a Poisson rate gives about rate × time records', () => {
    const total = run({ ...basic, delay: undefined, duration: minutes(10) }, 11).flat().length;
    // 30,000 expected; Poisson's standard deviation is about 173.
    expect(Math.abs(total - 30_000)).toBeLessThan(1000);
  });

  it('bursts and daily spikes raise the rate exactly in their windows', () => {
    const bursts = run({ rate: { kind: 'bursts', perSecond: 1, burstPerSecond: 100, every: minutes(1), length: seconds(10) }, duration: minutes(3), value: () => 0 })[0]!;
    const count = (records: Rec<number>[], from: number, to: number): number => records.filter((r) => r.arrival >= from && r.arrival < to).length;
    expect(count(bursts, 0, minutes(1))).toBe(60);
    expect(count(bursts, minutes(1), minutes(1) + seconds(10))).toBe(1000);
    expect(count(bursts, minutes(1) + seconds(10), minutes(2))).toBe(50);
    const day = run({ rate: { kind: 'dailySpike', perSecond: 0.01, spikePerSecond: 5, at: hours(9) + minutes(10), length: minutes(5) }, duration: hours(24), start: 0, value: () => 0 })[0]!;
    expect(count(day, hours(9) + minutes(10), hours(9) + minutes(15))).toBe(1500);
    expect(Math.abs(count(day, 0, hours(9)) - 324)).toBeLessThanOrEqual(1);
  });

  it('samples a rate function and stops at count', () => {
    const parts = run({ partitions: 2, rate: (t) => (t < seconds(10) ? 10 : 100), count: 301, value: () => 0 });
    expect(parts.map((p) => p.length)).toEqual([151, 150]);
    const all = parts.flat();
    expect(all.filter((r) => r.arrival < seconds(10)).length).toBe(100);
  });

  it('splits count in proportion to speed', () => {
    const parts = run({ partitions: [{ speed: 1 }, { speed: 3 }, { speed: 0 }], rate: 100, count: 1000, value: () => 0 });
    expect(parts.map((p) => p.length)).toEqual([250, 750, 0]);
  });
});

describe('generatorPartitions: keys', () => {
  const histogram = (records: Rec<unknown>[]): Map<Key, number> => {
    const h = new Map<Key, number>();
    for (const r of records) h.set(r.key, (h.get(r.key) ?? 0) + 1);
    return h;
  };

  it('Zipf skew makes key 0 the most frequent, at about 1/H(n, s)', () => {
    const records = run({ rate: 1000, count: 50_000, keys: { count: 100, skew: { zipf: 1 } }, value: () => 0 })[0]!;
    const h = histogram(records);
    let harmonic = 0;
    for (let k = 1; k <= 100; k++) harmonic += 1 / k;
    expect(h.get(0)! / records.length).toBeCloseTo(1 / harmonic, 1);
    expect(h.get(0)!).toBeGreaterThan(h.get(1)!);
    expect(h.get(1)!).toBeGreaterThan(h.get(10)!);
  });

  it('a hot key takes the fraction asked for; names map indexes to keys', () => {
    const records = run({ rate: 1000, count: 20_000, keys: { count: 10, skew: { hotKey: 0.6 }, name: (i) => `user-${i}` }, value: () => 0 })[0]!;
    const h = histogram(records);
    expect(h.get('user-0')! / records.length).toBeCloseTo(0.6, 1);
    expect([...h.keys()].every((k) => typeof k === 'string' && k.startsWith('user-'))).toBe(true);
  });

  it('round robin: each partition cycles through the keys it owns', () => {
    const parts = run({ partitions: 2, rate: 10, count: 14, keys: { count: 5, skew: 'roundRobin' }, value: () => 0 });
    expect(parts.map((p) => p.map((r) => r.key))).toEqual([
      [0, 2, 4, 0, 2, 4, 0],
      [1, 3, 1, 3, 1, 3, 1],
    ]);
  });
});

describe('generatorPartitions: idleness, lag and delays', () => {
  it('an idle interval has no arrivals; a buffered one delivers its records at its end', () => {
    const idle = { from: seconds(10), to: seconds(20) };
    const [lost, held] = run({
      partitions: [{ idle: [idle] }, { idle: [{ ...idle, buffer: true }] }],
      rate: 20,
      duration: seconds(30),
      value: () => 0,
    });
    expect(lost!.filter((r) => r.arrival >= idle.from && r.arrival < idle.to)).toEqual([]);
    expect(lost!.length).toBe(200);
    expect(held!.filter((r) => r.arrival > idle.from && r.arrival < idle.to)).toEqual([]);
    const burst = held!.filter((r) => r.arrival === idle.to);
    // Partition 1 of 2 is offset by half a gap: its records come at 10050, 10150, ..., 19950.
    expect(burst.length).toBe(100);
    expect(burst.every((r) => r.timestamp >= idle.from && r.timestamp < idle.to)).toBe(true);
    expect(held!.length).toBe(300);
  });

  it('lag delays arrivals but not event times', () => {
    const spec: GeneratorSpec<number> = { rate: 10, duration: seconds(5), delay: { kind: 'uniform', min: 0, max: 300 }, value: (g) => g.index };
    const [base] = run(spec);
    const [lagged] = run({ ...spec, partitions: [{ lag: seconds(30) }] });
    expect(lagged!.map((r) => r.timestamp)).toEqual(base!.map((r) => r.timestamp));
    expect(lagged!.map((r) => r.arrival)).toEqual(base!.map((r) => r.arrival + seconds(30)));
  });

  it('uniform delays stay within [min, max] and cover the range', () => {
    const records = run({ rate: 100, count: 5000, delay: { kind: 'uniform', min: 200, max: 900 }, value: () => 0 }).flat();
    const delays = records.map((r) => r.arrival - r.timestamp);
    expect(Math.min(...delays)).toBe(200);
    expect(Math.max(...delays)).toBe(900);
  });

  it('stragglers trail by the extra delay, at about the fraction asked for', () => {
    const records = run({ rate: 100, count: 10_000, delay: { kind: 'fixed', ms: 50, late: { fraction: 0.05, extra: minutes(5) } }, value: () => 0 })[0]!;
    const delays = new Set(records.map((r) => r.arrival - r.timestamp));
    expect([...delays].sort((a, b) => a - b)).toEqual([50, 50 + minutes(5)]);
    const late = records.filter((r) => r.arrival - r.timestamp > 50).length / records.length;
    expect(late).toBeCloseTo(0.05, 1);
  });

  it('exponential delays have about the mean asked for', () => {
    const records = run({ rate: 100, count: 20_000, delay: { kind: 'exponential', mean: 2000 }, value: () => 0 })[0]!;
    const mean = records.reduce((s, r) => s + r.arrival - r.timestamp, 0) / records.length;
    expect(Math.abs(mean - 2000)).toBeLessThan(100);
  });
});

describe('generatorPartitions: validation', () => {
  const message = (spec: unknown): string => {
    try {
      generatorPartitions(spec as GeneratorSpec<unknown>, seededRandom(1));
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return (e as Error).message;
    }
    return 'no error';
  };
  const v = (): number => 0;

  it('names the field and the problem', () => {
    expect(message({ rate: -1, value: v })).toBe('rate: expected records per second (a finite number >= 0), got -1');
    expect(message({ rate: { kind: 'bursts', perSecond: 1, burstPerSecond: 2, every: 1000, length: 2000 }, value: v })).toBe(
      'rate.length: a burst of 2000 ms does not fit in its period of 1000 ms',
    );
    expect(message({ rate: { kind: 'often' }, value: v })).toBe('rate.kind: unknown rate kind "often"; expected "steady", "bursts", "dailySpike" or "function"');
    expect(message({ rate: 1, keys: { count: 0 }, value: v })).toBe('keys.count: expected a whole number of keys >= 1, got 0');
    expect(message({ rate: 1, keys: { count: 3, skew: { hotKey: 2 } }, value: v })).toBe('keys.skew.hotKey: expected a fraction from 0 to 1, got 2');
    expect(message({ rate: 1, delay: { kind: 'uniform', min: 5, max: 1 }, value: v })).toBe('delay.max: max 1 is below min 5');
    expect(message({ rate: 1, partitions: [{ idle: [{ from: 10, to: 5 }] }], value: v })).toBe('partitions[0].idle[0]: the interval ends (5) before it starts (10)');
    expect(message({ rate: 1, partitions: [{ lag: -5 }], value: v })).toBe('partitions[0].lag: expected a lag in ms >= 0, got -5');
    expect(message({ rate: 1 })).toBe('value: expected a function (g) => value');
  });

  it('reports a rate function that returns a bad rate, with the time', () => {
    const [r] = generatorPartitions({ rate: (t) => (t >= 2000 ? Number.NaN : 1), value: v }, seededRandom(1));
    expect(() => take(r!)).toThrow('rate: the rate function returned NaN at t=2000; expected a finite number >= 0 records per second');
  });

  it('ends a partition whose rate is zero for good instead of hanging', () => {
    const [r] = generatorPartitions({ rate: { kind: 'bursts', perSecond: 0, burstPerSecond: 0, every: 10, length: 5 }, value: v }, seededRandom(1));
    expect(r!.nextArrival()).toBe(Number.POSITIVE_INFINITY);
  });
});
