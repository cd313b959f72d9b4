// Web-shop orders: a quiet baseline and a daily flash sale at a fixed time of day (a spike
// that is normal at 20:00 and an incident at any other hour). Keys are customers; amounts
// are in whole cents, so sums stay exact.

import { days, hours, minutes, seconds, type Duration } from '../../../time/time.ts';
import type { GeneratorSpec } from '../spec.ts';
import { padded, unit } from './common.ts';

/** One order. */
export interface ShopOrder {
  /** `order-P-N` (P partition, N offset): unique per run. */
  orderId: string;
  customer: string;
  items: number;
  /** Total in cents. */
  amountCents: number;
  currency: string;
}

/** Options of `shopOrders`; every field has a default. */
export interface ShopOrderOptions {
  /** Default 500 customers (keys `customer-0000`, ...). */
  customers?: number;
  /** Orders per second outside the spike. Default 0.2. */
  perSecond?: number;
  /** The daily spike: UTC time of day, length and rate. Default 20:00 for 15 minutes at 10 per second. */
  spike?: { at: Duration; length: Duration; perSecond: number };
  start?: number;
  /** Default one day. */
  duration?: Duration;
  /** Default 3. */
  partitions?: number;
  /** Default "EUR". */
  currency?: string;
}

/**
 * Orders with a daily spike, for windows, aggregations and "what does normal look like".
 * @example
 * const spec = shopOrders({ spike: { at: hours(9) + minutes(10), length: minutes(5), perSecond: 20 } });
 */
export function shopOrders(options: ShopOrderOptions = {}): GeneratorSpec<ShopOrder> {
  const spike = options.spike ?? { at: hours(20), length: minutes(15), perSecond: 10 };
  const currency = options.currency ?? 'EUR';
  return {
    partitions: options.partitions ?? 3,
    rate: { kind: 'dailySpike', perSecond: options.perSecond ?? 0.2, spikePerSecond: spike.perSecond, at: spike.at, length: spike.length },
    arrivals: 'poisson',
    start: options.start ?? 0,
    duration: options.duration ?? days(1),
    keys: { count: options.customers ?? 500, skew: { zipf: 0.8 }, name: (i) => padded('customer-', i, 4) },
    delay: { kind: 'uniform', min: 0, max: seconds(2) },
    value: (g) => {
      const items = 1 + Math.floor(-Math.log(1 - g.random.next()) * 1.2);
      let amountCents = 0;
      for (let k = 0; k < items; k++) {
        // Prices cluster on a catalogue of 200 products from 2.99 to about 120.
        const product = g.random.int(200);
        amountCents += 299 + 100 * Math.floor(unit(product, 7) ** 2 * 120);
      }
      return { orderId: `order-${g.partition}-${g.index}`, customer: String(g.key), items, amountCents, currency };
    },
  };
}
