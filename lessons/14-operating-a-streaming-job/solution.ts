// #region setup
import { boundedOutOfOrderness, hours, minutes, type Pipeline, seconds, shopOrders, tumblingWindows } from 'brook';

// Twelve hours of a web shop from midnight UTC: an order every five seconds or so, and every
// morning at 9:10 the marketplace partner's batch job pushes its orders in one 5-minute burst.
const orders = shopOrders({
  customers: 300,
  perSecond: 0.2,
  duration: hours(12),
  spike: { at: hours(9) + minutes(10), length: minutes(5), perSecond: 4 },
});

/** One order, as the shop's checkout writes it. */
interface Order {
  orderId: string;
  customer: string;
  items: number;
  amountCents: number;
  currency: string;
}

/** The orders topic. A release of the partner's exporter at 9:12 wrote one order with the currency "EURO". */
function ordersTopic(p: Pipeline) {
  return p
    .generator(orders, { name: 'orders', watermarks: boundedOutOfOrderness(seconds(5)) })
    .map((order): Order => (order.orderId === POISON ? { ...order, currency: 'EURO' } : order), 'partner-exporter');
}
const POISON = 'order-2-2379';
// #endregion

/** Exchange rates to euros. */
const RATES: Record<string, number> = { EUR: 1, GBP: 1.17, USD: 0.92 };

function euros(order: Order): number {
  const rate = RATES[order.currency];
  if (rate === undefined) throw new Error(`unknown currency "${order.currency}" in ${order.orderId}`);
  return (order.amountCents / 100) * rate;
}

export default (p: Pipeline) => {
  const priced = ordersTopic(p).process<{ customer: string; euros: number }>({
    processElement(order, ctx) {
      // One bad record must not stop the shop's revenue: park it in a dead-letter output.
      try {
        ctx.output({ customer: order.customer, euros: euros(order) });
      } catch (error) {
        ctx.outputTo('dead-letters', { order, error: String(error) });
      }
    },
  });

  priced
    .keyBy(() => 'shop')
    .window(tumblingWindows(hours(1)))
    .sum((order) => order.euros)
    .sink('revenue-per-hour');
  priced.getSideOutput('dead-letters').sink('dead-letters');
};
