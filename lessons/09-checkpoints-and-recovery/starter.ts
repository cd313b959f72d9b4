// #region setup
import { minutes, type Pipeline, shopOrders } from 'brook';

// Ten minutes of a web shop: about one order every two seconds from 12 customers, over
// three partitions.
const orders = shopOrders({ customers: 12, perSecond: 0.5, duration: minutes(10) });
// #endregion

export default (p: Pipeline) => {
  // Each customer's orders so far and what they spent, in cents.
  const totals = new Map<string, { orders: number; spentCents: number }>();

  p.generator(orders, { name: 'orders' })
    .keyBy((order) => order.customer)
    .process<{ customer: string; orders: number; spentCents: number }>({
      processElement(order, ctx) {
        const before = totals.get(order.customer) ?? { orders: 0, spentCents: 0 };
        const after = { orders: before.orders + 1, spentCents: before.spentCents + order.amountCents };
        totals.set(order.customer, after);
        ctx.output({ customer: order.customer, ...after });
      },
    })
    .sink('customer-totals');
};
