import { describe, it, expect } from 'vitest';
import {
  generatorPartitions,
  rideEvents,
  runnerPings,
  shopOrders,
  smartMeterReadings,
  usageEvents,
  type GeneratorSpec,
  type KeyedTimedRecords,
} from '../../../src/engine/connectors/generator-source.ts';
import type { Key } from '../../../src/engine/runtime/record-batch.ts';
import { seededRandom } from '../../../src/engine/random/random.ts';
import { hours, minutes, seconds } from '../../../src/engine/time/time.ts';

interface Rec<T> {
  value: T;
  timestamp: number;
  arrival: number;
  key: Key;
  partition: number;
}

function run<T>(spec: GeneratorSpec<T>, seed = 1): Rec<T>[] {
  return generatorPartitions(spec, seededRandom(seed)).flatMap((reader) => {
    const out: KeyedTimedRecords<T> & { keys: Key[] } = { values: [], timestamps: [], arrivals: [], keys: [] };
    reader.read(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, out);
    return out.values.map((value, i) => ({ value, timestamp: out.timestamps[i]!, arrival: out.arrivals[i]!, key: out.keys[i]!, partition: reader.partition }));
  });
}

describe('ready-made datasets', () => {
  const all = {
    smartMeterReadings: smartMeterReadings(),
    rideEvents: rideEvents(),
    usageEvents: usageEvents(),
    shopOrders: shopOrders({ duration: hours(2), start: hours(19) }),
    runnerPings: runnerPings(),
  };

  for (const [name, spec] of Object.entries(all)) {
    it(`${name}: plain JSON values, deterministic, in arrival order per partition`, () => {
      const records = run(spec as GeneratorSpec<unknown>, 5);
      expect(records.length).toBeGreaterThan(100);
      expect(JSON.parse(JSON.stringify(records))).toEqual(records);
      expect(run(spec as GeneratorSpec<unknown>, 5)).toEqual(records);
      for (let i = 1; i < records.length; i++) {
        if (records[i]!.partition === records[i - 1]!.partition) expect(records[i]!.arrival).toBeGreaterThanOrEqual(records[i - 1]!.arrival);
      }
    });
  }

  it('smart meters: every meter reads once per interval, and an outage ends in a burst', () => {
    const records = run(smartMeterReadings({ meters: 4, interval: minutes(15), duration: hours(12) }));
    expect(records.length).toBe(4 * 4 * 12);
    const meter1 = records.filter((r) => r.key === 'meter-001');
    expect(meter1.length).toBe(48);
    expect(meter1.every((r) => r.value.kwh > 0 && r.value.intervalMinutes === 15)).toBe(true);
    // The default outage is 6:00 to 6:45: held readings all arrive when it ends.
    const burst = records.filter((r) => r.arrival === hours(6) + minutes(45));
    expect(burst.length).toBeGreaterThanOrEqual(11);
    expect(records.filter((r) => r.arrival > hours(6) && r.arrival < hours(6) + minutes(45))).toEqual([]);
  });

  it('rides: the demand spike raises the rate and tips the mix towards requests', () => {
    const records = run(rideEvents());
    const during = records.filter((r) => r.arrival >= minutes(20) && r.arrival < minutes(25));
    const before = records.filter((r) => r.arrival >= minutes(10) && r.arrival < minutes(15));
    expect(during.length).toBeGreaterThan(before.length * 5);
    const share = (rs: typeof records): number => rs.filter((r) => r.value.type === 'request').length / rs.length;
    expect(share(during)).toBeGreaterThan(0.7);
    expect(share(before)).toBeLessThan(0.6);
    expect(records.every((r) => /^9q8y[0-9b-z]{2}$/.test(r.value.geohash))).toBe(true);
  });

  it('usage: a few big customers carry most units, event ids are unique', () => {
    const records = run(usageEvents());
    const top = records.filter((r) => r.key === 'cust-000').length / records.length;
    expect(top).toBeGreaterThan(0.15);
    expect(new Set(records.map((r) => r.value.eventId)).size).toBe(records.length);
  });

  it('shop orders: the daily spike at 20:00', () => {
    const records = run(shopOrders({ duration: hours(2), start: hours(19) }));
    const spike = records.filter((r) => r.arrival >= hours(20) && r.arrival < hours(20) + minutes(15)).length;
    expect(Math.abs(spike - 9000)).toBeLessThan(500);
    expect(records.every((r) => Number.isInteger(r.value.amountCents) && r.value.amountCents > 0)).toBe(true);
  });

  it('runners: one tracker per partition; silent trackers either lose pings or upload them late', () => {
    const records = run(runnerPings({ every: seconds(5), duration: minutes(20) }));
    expect(new Set(records.filter((r) => r.partition === 3).map((r) => r.key))).toEqual(new Set(['runner-03']));
    const silent = (p: number): Rec<unknown>[] => records.filter((r) => r.partition === p && r.arrival > minutes(8) && r.arrival < minutes(11));
    expect(silent(2)).toEqual([]);
    const runner2Late = records.filter((r) => r.partition === 2 && r.arrival === minutes(11));
    expect(runner2Late.length).toBe(36);
    const runner4 = records.filter((r) => r.partition === 4);
    expect(runner4.length).toBe(240 - 24);
  });
});
