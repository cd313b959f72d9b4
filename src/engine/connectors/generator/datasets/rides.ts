// Ride-sharing events by geohash cell: riders request rides and drivers become available;
// a few central cells are busiest (Zipf), and a demand spike (a concert letting out) tips the
// mix towards requests, the signal a surge-pricing pipeline reacts to.

import { hours, minutes, seconds, type Duration } from '../../../time/time.ts';
import type { GeneratorSpec } from '../spec.ts';

/** A ride request or a driver becoming available in a geohash cell. */
export interface RideEvent {
  geohash: string;
  type: 'request' | 'driverAvailable';
  /** `ride-P-N` for requests, `driver-P-N` for drivers (P partition, N offset): unique per run. */
  id: string;
}

/** Options of `rideEvents`; every field has a default. */
export interface RideOptions {
  /** How many geohash cells (6-character geohashes under `prefix`). Default 24, at most 1024. */
  cells?: number;
  /** A 4-character geohash the cells lie in. Default `9q8y` (San Francisco). */
  prefix?: string;
  /** Events per second outside the spike. Default 5. */
  perSecond?: number;
  /** The demand spike, as an offset from `start`. Default 20 minutes in, 5 minutes long, 40 per second. */
  spike?: { at: Duration; length: Duration; perSecond: number };
  start?: number;
  /** Default one hour. */
  duration?: Duration;
  /** Default 2. */
  partitions?: number;
}

const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz';

/**
 * Ride requests and driver availability per geohash, with a demand spike.
 * @example
 * const spec = rideEvents({ spike: { at: minutes(10), length: minutes(2), perSecond: 100 } });
 */
export function rideEvents(options: RideOptions = {}): GeneratorSpec<RideEvent> {
  const cells = Math.min(options.cells ?? 24, 1024);
  const prefix = options.prefix ?? '9q8y';
  const base = options.perSecond ?? 5;
  const start = options.start ?? 0;
  const spike = options.spike ?? { at: minutes(20), length: minutes(5), perSecond: 40 };
  const inSpike = (t: number): boolean => t >= start + spike.at && t < start + spike.at + spike.length;
  return {
    partitions: options.partitions ?? 2,
    rate: { kind: 'function', perSecond: (t) => (inSpike(t) ? spike.perSecond : base), step: seconds(1) },
    arrivals: 'poisson',
    start,
    duration: options.duration ?? hours(1),
    keys: { count: cells, skew: { zipf: 1.1 }, name: (i) => prefix + BASE32[(i >> 5) & 31]! + BASE32[i & 31]! },
    delay: { kind: 'exponential', mean: 1500, late: { fraction: 0.005, extra: minutes(2) } },
    value: (g) => {
      // Demand outruns supply during the spike; otherwise requests and drivers balance.
      const requestShare = inSpike(g.arrival) ? 0.8 : 0.5;
      const type = g.random.next() < requestShare ? 'request' : 'driverAvailable';
      const id = `${type === 'request' ? 'ride' : 'driver'}-${g.partition}-${g.index}`;
      return { geohash: String(g.key), type, id };
    },
  };
}
