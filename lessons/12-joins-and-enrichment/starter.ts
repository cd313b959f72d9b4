// #region setup
import { minutes, type Pipeline, seconds, shopOrders, tumblingWindows } from 'brook';

// Ten minutes of a web shop: about one order every five seconds from 12 customers.
const orders = shopOrders({ customers: 12, perSecond: 0.2, duration: minutes(10), partitions: 1 });

/** A change of a customer's loyalty tier, as the CRM publishes it to a compacted topic. */
interface TierChange {
  customer: string;
  tier: 'standard' | 'silver' | 'gold';
  at: number;
}

// The topic read from the beginning: the latest tier of every customer (what compaction
// kept), then the changes made while the job runs.
const tierChanges: TierChange[] = [
  ...Array.from({ length: 12 }, (_, i): TierChange => ({
    customer: `customer-${String(i).padStart(4, '0')}`,
    tier: i < 2 ? 'gold' : i < 5 ? 'silver' : 'standard',
    at: 0,
  })),
  { customer: 'customer-0003', tier: 'gold', at: minutes(3) + seconds(10) },
  { customer: 'customer-0007', tier: 'silver', at: minutes(5) },
  { customer: 'customer-0007', tier: 'gold', at: minutes(7) + seconds(40) },
];
// #endregion

export default (p: Pipeline) => {

  const placed = p.generator(orders, { name: 'orders' });
  const tiers = p.fromArray(tierChanges, { name: 'customer-tiers', timestampOf: (change) => change.at });

  // Pair each order with its customer's tier: both sides keyed by customer, a minute at a time.
  placed
    .join(tiers)
    .where((order) => order.customer)
    .equalTo((change) => change.customer)
    .window(tumblingWindows(minutes(1)))
    .apply((order, change) => ({ orderId: order.orderId, customer: order.customer, amountCents: order.amountCents, tier: change.tier }))
    .sink('orders-with-tier');
};
