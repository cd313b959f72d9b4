// Usage metering for billing: customers' metered usage (API calls, compute, storage) with a
// few big customers dominating (Zipf) and a tail of late events, because billing must count
// every unit exactly once, however late it arrives. Event ids let sinks drop duplicates.

import { minutes, seconds, type Duration } from '../../../time/time.ts';
import type { GeneratorSpec } from '../spec.ts';
import { between, padded, round } from './common.ts';

/** A metered unit of usage to bill. */
export interface UsageEvent {
  eventId: string;
  customer: string;
  metric: 'api_calls' | 'compute_seconds' | 'storage_gb_hours';
  units: number;
}

/** Options of `usageEvents`; every field has a default. */
export interface UsageOptions {
  /** How many customers (keys `cust-000`, ...). Default 40. */
  customers?: number;
  /** Zipf exponent of usage per customer: higher means a few customers carry more. Default 1.2. */
  skew?: number;
  /** Default 20 events per second. */
  perSecond?: number;
  start?: number;
  /** Default 30 minutes. */
  duration?: Duration;
  /** Default 4. */
  partitions?: number;
  /** Fraction of events that arrive 15 minutes late (a retried batch). Default 0.02. */
  lateFraction?: number;
}

/**
 * Metered usage per customer, skewed towards a few big customers.
 * @example
 * const spec = usageEvents({ customers: 1000, skew: 1.5, perSecond: 200 });
 */
export function usageEvents(options: UsageOptions = {}): GeneratorSpec<UsageEvent> {
  return {
    partitions: options.partitions ?? 4,
    rate: { kind: 'steady', perSecond: options.perSecond ?? 20 },
    arrivals: 'poisson',
    start: options.start ?? 0,
    duration: options.duration ?? minutes(30),
    keys: { count: options.customers ?? 40, skew: { zipf: options.skew ?? 1.2 }, name: (i) => padded('cust-', i, 3) },
    delay: { kind: 'exponential', mean: seconds(3), late: { fraction: options.lateFraction ?? 0.02, extra: minutes(15) } },
    value: (g) => {
      const r = g.random.next();
      const eventId = `evt-${g.partition}-${g.index}`;
      const customer = String(g.key);
      if (r < 0.7) return { eventId, customer, metric: 'api_calls', units: 1 + g.random.int(10) };
      if (r < 0.95) return { eventId, customer, metric: 'compute_seconds', units: round(between(g.random, 0.1, 30), 1) };
      return { eventId, customer, metric: 'storage_gb_hours', units: 1 + g.random.int(50) };
    },
  };
}
