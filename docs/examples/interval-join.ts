// An interval join: each order joins the payments of the same order made from 0 to 10
// minutes after it (Flink's intervalJoin().between(0, 10 min)). No windows: each pair is
// emitted as soon as both sides are there, timestamped with the later of the two.
import { minutes, type Pipeline, testStream } from 'brook';

interface Order {
  id: string;
  cents: number;
}
interface Payment {
  order: string;
  method: string;
}

const orders = testStream<Order>()
  .addElements(
    { value: { id: 'o1', cents: 1200 }, timestamp: minutes(1) },
    { value: { id: 'o2', cents: 800 }, timestamp: minutes(2) },
  )
  .advanceWatermarkToInfinity();

const payments = testStream<Payment>()
  .addElements(
    { value: { order: 'o1', method: 'card' }, timestamp: minutes(4) },
    { value: { order: 'o2', method: 'cash' }, timestamp: minutes(15) },
  )
  .advanceWatermarkToInfinity();

export default (p: Pipeline) => {
  p.testStream(orders, { name: 'orders' })
    .keyBy((order) => order.id)
    .intervalJoin(p.testStream(payments, { name: 'payments' }).keyBy((payment) => payment.order))
    .between(0, minutes(10))
    .process<string>((order, payment, ctx) => {
      const after = (ctx.rightTimestamp - ctx.leftTimestamp) / minutes(1);
      ctx.output(`${order.id}: ${order.cents} cents paid by ${payment.method} after ${after} min`);
    })
    .sink('paid-orders');
};
