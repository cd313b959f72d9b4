// Smart-meter readings: every meter reports the energy used in the last interval (15 minutes
// for homes, 5 for businesses), uploads a little later, and after a network outage all held
// readings arrive at once. Each meter reports exactly once per interval (round-robin keys).

import { days, hours, minutes, seconds, type Duration } from '../../../time/time.ts';
import type { DelaySpec, GeneratorSpec } from '../spec.ts';
import { between, hourOfDay, indexOf, padded, round, unit } from './common.ts';

/** One reading: the energy a meter measured over the interval ending at the record's event time. */
export interface SmartMeterReading {
  meter: string;
  kwh: number;
  intervalMinutes: number;
}

/** Options of `smartMeterReadings`; every field has a default. */
export interface SmartMeterOptions {
  /** How many meters (keys `meter-000`, ...). Default 12. */
  meters?: number;
  /** Time between two readings of one meter. Default 15 minutes (homes); businesses use 5. */
  interval?: Duration;
  /** Processing- and event-time origin. Default 0. */
  start?: number;
  /** Default one day. */
  duration?: Duration;
  /** Default 1. Meters are spread over partitions as in a topic keyed by meter. */
  partitions?: number;
  /** Device upload delay. Default 1 s to 2 min, with 1 % of uploads an hour late. */
  uploadDelay?: DelaySpec;
  /**
   * Outages of partition 0's network, as offsets from `start`: meters keep measuring and
   * upload everything when it ends. Default one 45-minute outage 6 hours in; [] for none.
   */
  outages?: { from: Duration; length: Duration }[];
}

/** Typical household load in kW by hour of day: low at night, peaks at breakfast and dinner. */
function loadCurve(hour: number): number {
  const morning = Math.exp(-((hour - 7.5) ** 2) / 2);
  const evening = 1.6 * Math.exp(-((hour - 19) ** 2) / 4);
  return 0.25 + morning + evening;
}

/**
 * Smart-meter readings for lessons on event time, late uploads and bursts after an outage.
 * @example
 * const readers = generatorPartitions(smartMeterReadings({ meters: 50, interval: minutes(5) }), seededRandom(1));
 */
export function smartMeterReadings(options: SmartMeterOptions = {}): GeneratorSpec<SmartMeterReading> {
  const meters = options.meters ?? 12;
  const interval = options.interval ?? minutes(15);
  const start = options.start ?? 0;
  const partitions = options.partitions ?? 1;
  const outages = options.outages ?? [{ from: hours(6), length: minutes(45) }];
  const idle = outages.map((o) => ({ from: start + o.from, to: start + o.from + o.length, buffer: true }));
  const intervalHours = interval / hours(1);
  return {
    partitions: Array.from({ length: partitions }, (_, p) => (p === 0 ? { idle } : {})),
    rate: { kind: 'steady', perSecond: meters / (interval / seconds(1)) },
    start,
    duration: options.duration ?? days(1),
    keys: { count: meters, skew: 'roundRobin', name: (i) => padded('meter-', i, 3) },
    delay: options.uploadDelay ?? { kind: 'uniform', min: seconds(1), max: minutes(2), late: { fraction: 0.01, extra: hours(1) } },
    value: (g) => {
      const size = 0.5 + 1.5 * unit(indexOf(g.key), 1); // some households use three times as much
      const kw = loadCurve(hourOfDay(g.eventTime)) * size * between(g.random, 0.85, 1.15);
      return { meter: String(g.key), kwh: round(kw * intervalHours, 3), intervalMinutes: interval / minutes(1) };
    },
  };
}
