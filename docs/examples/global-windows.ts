// The global window holds all of a key's elements. Without a trigger it fires once, when the
// input ends (Beam's behaviour; Flink's would never fire). Its timestamp is "+inf".
import { type Pipeline, seconds, globalWindows, testStream } from 'brook';

const orders = testStream<{ shop: string; cents: number }>()
  .addElements(
    { value: { shop: 'north', cents: 250 }, timestamp: seconds(1) },
    { value: { shop: 'south', cents: 400 }, timestamp: seconds(2) },
    { value: { shop: 'north', cents: 100 }, timestamp: seconds(90) },
  )
  .advanceWatermarkToInfinity();

export default (p: Pipeline) => {
  p.input({ name: 'orders', default: orders })
    .keyBy((order) => order.shop)
    .window(globalWindows())
    .sum((order) => order.cents)
    .sink('revenue-per-shop');
};
