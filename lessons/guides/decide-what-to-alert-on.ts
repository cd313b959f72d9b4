// Orders per 5 minutes against what is normal for the time of day: the daily flash sale at
// 20:00-20:15 UTC is expected; the same rate at any other time raises an alert.
import { boundedOutOfOrderness, hours, minutes, type Pipeline, seconds, shopOrders, tumblingWindows } from 'brook';

const QUIET_MAX_PER_5_MIN = 150; // the baseline is about 60 (0.2 per second)
const SALE = { from: hours(20), to: hours(20) + minutes(15) };
const orders = shopOrders({ duration: hours(21), partitions: 1 });

export default (p: Pipeline) => {
  const perFiveMinutes = p
    .generator(orders, { name: 'orders', watermarks: boundedOutOfOrderness(seconds(5)) })
    .windowAll(tumblingWindows(minutes(5)))
    .process<{ window: string; orders: number; expected: string }>((_key, elements, ctx) => {
      const inSale = ctx.window.start >= SALE.from && ctx.window.start < SALE.to;
      ctx.output({ window: `${ctx.window.start / 60000} min`, orders: elements.length, expected: inSale ? 'flash sale' : 'quiet' });
    });
  perFiveMinutes.sink('orders-per-5-min');
  perFiveMinutes.filter((r) => r.expected === 'quiet' && r.orders > QUIET_MAX_PER_5_MIN).sink('alerts');
};
