// connect + a keyed co-process function: enrich orders with the latest price of their
// product. Both inputs are keyed by product, so they share the product's keyed state.
import { type Pipeline, seconds, testStream } from 'brook';

interface Price {
  product: string;
  cents: number;
}
interface Order {
  id: string;
  product: string;
  quantity: number;
}

const prices = testStream<Price>()
  .addElements({ value: { product: 'tea', cents: 300 }, timestamp: seconds(1) })
  .advanceProcessingTime(seconds(10))
  .addElements({ value: { product: 'tea', cents: 350 }, timestamp: seconds(11) })
  .advanceWatermarkToInfinity();

const orders = testStream<Order>()
  .advanceProcessingTime(seconds(5))
  .addElements({ value: { id: 'o1', product: 'tea', quantity: 2 }, timestamp: seconds(5) })
  .advanceProcessingTime(seconds(15))
  .addElements(
    { value: { id: 'o2', product: 'tea', quantity: 1 }, timestamp: seconds(21) },
    { value: { id: 'o3', product: 'cake', quantity: 1 }, timestamp: seconds(22) },
  )
  .advanceWatermarkToInfinity();

export default (p: Pipeline) => {
  p.testStream(orders, { name: 'orders' })
    .connect(p.testStream(prices, { name: 'prices' }))
    .keyBy(
      (order) => order.product,
      (price) => price.product,
    )
    .process<string>({
      processElement1(order, ctx) {
        const price = ctx.state.value<number>('price').value();
        ctx.output(price === undefined ? `${order.id}: no price for ${order.product}` : `${order.id}: ${order.quantity * price} cents`);
      },
      processElement2(price, ctx) {
        ctx.state.value<number>('price').update(price.cents);
      },
    })
    .sink('priced-orders');
};
