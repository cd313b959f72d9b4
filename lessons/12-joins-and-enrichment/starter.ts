// #region setup
import { minutes, type Pipeline, shopOrders, tumblingWindows } from 'brook';

// Ten minutes of a web shop: about one order every five seconds from 12 customers.
const orders = shopOrders({ customers: 12, perSecond: 0.2, duration: minutes(10), partitions: 1 });

/**
 * A record of the compacted topic "customer-tiers", keyed by customer: the customer's row of
 * the tier table. A tier of null deletes the row (the customer left the loyalty programme).
 */
interface TierRecord {
  customer: string;
  tier: 'standard' | 'silver' | 'gold' | null;
}
// #endregion

export default (p: Pipeline) => {

  const placed = p.generator(orders, { name: 'orders' });
  // The topic read from its first offset: what compaction kept (the latest row of every
  // customer), then every change the CRM appends while the job runs.
  const tiers = p.fromTopic<TierRecord>('customer-tiers');

  // Pair each order with its customer's tier: both sides keyed by customer, a minute at a time.
  placed
    .join(tiers)
    .where((order) => order.customer)
    .equalTo((change) => change.customer)
    .window(tumblingWindows(minutes(1)))
    .apply((order, change) => ({ tier: change.tier ?? 'none', orderId: order.orderId, customer: order.customer, amountCents: order.amountCents }))
    .sink('orders-with-tier');
};
