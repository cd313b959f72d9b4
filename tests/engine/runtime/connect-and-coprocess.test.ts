// Connected streams (Flink's ConnectedStreams with a CoProcessFunction or KeyedCoProcessFunction):
// one function sees both inputs; when both are keyed the same way it shares keyed state and timers
// between them, which is how enrichment against a table built from a stream is written.

import { describe, expect, it } from 'vitest';
import { testStream, type KeyedCoProcessFunction } from '../../../src/engine/api/index.ts';
import { runWithTrace, valuesOf } from '../harness.ts';

interface Product {
  id: string;
  name: string;
  price: number;
}
interface Order {
  order: string;
  product: string;
  qty: number;
}

// The product table changes over time; orders may arrive before their product is known.
// Both scripts run on one processing clock starting at 0; element timestamps equal their arrival.
const products = testStream<Product>()
  .advanceWatermarkTo(0)
  .addElements({ value: { id: 'p1', name: 'tea', price: 3 }, timestamp: 0 })
  .advanceProcessingTime(100)
  .addElements({ value: { id: 'p2', name: 'coffee', price: 5 }, timestamp: 100 })
  .advanceProcessingTime(100)
  .addElements({ value: { id: 'p1', name: 'tea', price: 4 }, timestamp: 200 })
  .advanceWatermarkToInfinity();
const orders = testStream<Order>()
  .advanceWatermarkTo(0)
  .advanceProcessingTime(50)
  .addElements(
    { value: { order: 'o1', product: 'p1', qty: 2 }, timestamp: 50 },
    { value: { order: 'o2', product: 'p2', qty: 1 }, timestamp: 50 },
    { value: { order: 'o5', product: 'p9', qty: 1 }, timestamp: 50 },
  )
  .advanceProcessingTime(100)
  .addElements({ value: { order: 'o3', product: 'p1', qty: 1 }, timestamp: 150 })
  .advanceProcessingTime(100)
  .addElements({ value: { order: 'o4', product: 'p1', qty: 3 }, timestamp: 250 })
  .advanceWatermarkToInfinity();

type Out = { order: string; name: string; total: number } | { unmatched: string };

const enrich: KeyedCoProcessFunction<string, Product, Order, Out> = {
  processElement1(p, ctx) {
    ctx.state.value<Product>('product').update(p);
    const pending = ctx.state.list<Order>('pending');
    for (const o of pending.get()) ctx.output({ order: o.order, name: p.name, total: o.qty * p.price });
    pending.clear();
  },
  processElement2(o, ctx) {
    const p = ctx.state.value<Product>('product').value();
    if (p !== undefined) {
      ctx.output({ order: o.order, name: p.name, total: o.qty * p.price });
      return;
    }
    ctx.state.list<Order>('pending').add(o);
    ctx.timerService.registerEventTimeTimer(ctx.timestamp + 1000);
  },
  onTimer(_t, ctx) {
    const pending = ctx.state.list<Order>('pending');
    for (const o of pending.get()) ctx.output({ unmatched: o.order });
    pending.clear();
  },
};

describe('keyed co-process enrichment', () => {
  it('joins each order with the product row current when it arrives, buffering orders that come first', () => {
    const r = runWithTrace((p) => {
      p.testStream(products, { name: 'products' })
        .connect(p.testStream(orders, { name: 'orders' }))
        .keyBy((x) => x.id, (o) => o.product)
        .process(enrich, { name: 'enrich' })
        .sink('out');
    });
    // 50: o1 finds tea at 3; o2 waits for p2; o5's product never comes. 100: p2 arrives and releases
    // o2. 150: o3 sees tea at 3; 200: tea's price becomes 4; 250: o4 sees it. The final watermark
    // fires o5's timer (50 + 1000) and o2's, which finds nothing pending.
    expect(r.records.map((x) => [x.value, x.key, x.timestamp, x.processingTime])).toEqual([
      [{ order: 'o1', name: 'tea', total: 6 }, 'p1', 50, 50],
      [{ order: 'o2', name: 'coffee', total: 5 }, 'p2', 100, 100],
      [{ order: 'o3', name: 'tea', total: 3 }, 'p1', 150, 150],
      [{ order: 'o4', name: 'tea', total: 12 }, 'p1', 250, 250],
      [{ unmatched: 'o5' }, 'p9', 1050, 250],
    ]);
    // Timers set from the order side fire for their key, whose state both sides share.
    expect(r.eventsOf('timerFired').map((e) => [e.key, e.time])).toEqual([
      ['p2', 1050],
      ['p9', 1050],
    ]);
  });

  it('keeps the watermark of the slower input', () => {
    const r = runWithTrace((p) => {
      p.testStream(products, { name: 'products' })
        .connect(p.testStream(orders, { name: 'orders' }))
        .keyBy((x) => x.id, (o) => o.product)
        .process(enrich, { name: 'enrich' })
        .sink('out');
    });
    // Both scripts hold their watermark at 0 until they end; products ends at 200, orders at 250.
    expect(r.eventsOf('watermarkAdvanced').filter((e) => e.operator === 'enrich').map((e) => [e.pt, e.watermark])).toEqual([
      [0, 0],
      [250, Number.POSITIVE_INFINITY],
    ]);
  });
});

describe('co-process without keys', () => {
  it('sees the elements of both inputs, each with its own callback', () => {
    const nums = testStream<number>().advanceWatermarkTo(0).addElements({ value: 1, timestamp: 0 }).advanceProcessingTime(10).addElements({ value: 2, timestamp: 10 }).advanceWatermarkToInfinity();
    const words = testStream<string>().advanceWatermarkTo(0).advanceProcessingTime(5).addElements({ value: 'x', timestamp: 5 }).advanceWatermarkToInfinity();
    const r = runWithTrace((p) => {
      p.testStream(nums)
        .connect(p.testStream(words))
        .process<string>({
          processElement1: (n, ctx) => ctx.output(`number ${n}`),
          processElement2: (w, ctx) => ctx.output(`word ${w}`),
        })
        .sink('out');
    });
    expect(valuesOf(r.records)).toEqual(['number 1', 'word x', 'number 2']);
  });
});
