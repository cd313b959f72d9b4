// A keyed process function with the five kinds of keyed state. State is per key: each user
// sees only their own. The function emits a summary of the user's state after every order.
import { type AggregateFunction, type Pipeline, seconds, testStream } from 'brook';

interface Order {
  user: string;
  item: string;
  cents: number;
}

const orders = testStream<Order>()
  .addElements(
    { value: { user: 'ana', item: 'tea', cents: 300 }, timestamp: seconds(1) },
    { value: { user: 'ben', item: 'cake', cents: 450 }, timestamp: seconds(2) },
    { value: { user: 'ana', item: 'tea', cents: 300 }, timestamp: seconds(3) },
    { value: { user: 'ana', item: 'pie', cents: 600 }, timestamp: seconds(4) },
  )
  .advanceWatermarkToInfinity();

/** The mean order value: the accumulator is [sum, count]. */
const mean: AggregateFunction<number, [number, number], number> = {
  createAccumulator: () => [0, 0],
  add: (cents, [sum, n]) => [sum + cents, n + 1],
  getResult: ([sum, n]) => sum / n,
};

export default (p: Pipeline) => {
  p.input<Order>({ name: 'orders', default: orders })
    .keyBy((order) => order.user)
    .process<string>({
      processElement(order, ctx) {
        const count = ctx.state.value<number>('count');
        const items = ctx.state.list<string>('items');
        const perItem = ctx.state.map<string, number>('per-item');
        const largest = ctx.state.reducing<number>('largest', (a, b) => Math.max(a, b));
        const average = ctx.state.aggregating('average', mean);

        count.update((count.value() ?? 0) + 1);
        items.add(order.item);
        perItem.put(order.item, (perItem.get(order.item) ?? 0) + 1);
        largest.add(order.cents);
        average.add(order.cents);

        ctx.output(
          `${ctx.key}: ${count.value()} orders [${items.get().join(', ')}], ` +
            `${perItem.get(order.item)}x ${order.item}, largest ${largest.get()}, mean ${average.get()}`,
        );
      },
    })
    .sink('order-summaries');
};
