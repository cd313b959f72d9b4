// #region setup
import { minutes, type Pipeline, shopOrders } from 'brook';

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

  placed
    .connect(tiers)
    .keyBy(
      (order) => order.customer,
      (change) => change.customer,
    )
    .process<{ tier: string; orderId: string; customer: string; amountCents: number }>({
      // An order is enriched with the customer's current row of the table ("none": no row).
      processElement1(order, ctx) {
        const tier = ctx.state.value<string>('tier').value() ?? 'none';
        ctx.output({ tier, orderId: order.orderId, customer: order.customer, amountCents: order.amountCents });
      },
      // A record of the topic upserts the customer's row, or deletes it: the table is keyed state.
      processElement2(change, ctx) {
        const row = ctx.state.value<string>('tier');
        if (change.tier === null) row.clear();
        else row.update(change.tier);
      },
    })
    .sink('orders-with-tier');
};
