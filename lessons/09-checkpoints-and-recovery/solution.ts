// #region setup
import { minutes, type Pipeline, shopOrders } from 'brook';

// Ten minutes of a web shop: about one order every two seconds from 12 customers, over
// three partitions.
const orders = shopOrders({ customers: 12, perSecond: 0.5, duration: minutes(10) });
// #endregion

export default (p: Pipeline) => {
  p.generator(orders, { name: 'orders' })
    .keyBy((order) => order.customer)
    .process<{ customer: string; orders: number; spentCents: number }>({
      processElement(order, ctx) {
        // Keyed state: this customer's orders so far and what they spent, in cents. It is in
        // every checkpoint, so a restore brings it back as it was at the checkpoint.
        const totals = ctx.state.value<{ orders: number; spentCents: number }>('totals');
        const before = totals.value() ?? { orders: 0, spentCents: 0 };
        const after = { orders: before.orders + 1, spentCents: before.spentCents + order.amountCents };
        totals.update(after);
        ctx.output({ customer: order.customer, ...after });
      },
    })
    .sink('customer-totals');
};
