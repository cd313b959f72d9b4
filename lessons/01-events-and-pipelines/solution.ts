// #region setup
import { minutes, type Pipeline, shopOrders } from 'brook';

// Ten minutes of a quiet web shop: about one order every ten seconds from twelve customers.
const orders = shopOrders({ customers: 12, perSecond: 0.1, duration: minutes(10), partitions: 1 });
// #endregion

export default (p: Pipeline) => {
  p.generator(orders, { name: 'orders' })
    .filter((order) => order.amountCents >= 5000)
    .map((order) => ({ customer: order.customer, euros: order.amountCents / 100 }))
    .keyBy((order) => order.customer)
    .sum((order) => order.euros)
    .sink('big-spend');
};
