// Checks lesson 1 from what reached the sink "big-spend": one running total per customer,
// over that customer's orders of €50 or more, updated once per such order.
import { minutes, runPipeline, shopOrders } from 'brook';
import type { LessonRun } from '../../src/lessons/lesson-run.ts';

interface Order {
  customer: string;
  amountCents: number;
}

/** The orders the lesson's source produces (the same generator and seed), in arrival order. */
function ordersOf(seed: number): { order: Order; timestamp: number }[] {
  const { records } = runPipeline(
    (p) => {
      p.generator(shopOrders({ customers: 12, perSecond: 0.1, duration: minutes(10), partitions: 1 }), { name: 'orders' }).sink('all');
    },
    { seed },
  );
  return records.map((r) => ({ order: r.value as Order, timestamp: r.timestamp }));
}

export default function check(run: LessonRun): string[] {
  const results = run.sink('big-spend');
  if (results.length === 0) return ['nothing reached the sink "big-spend": end the pipeline with .sink(\'big-spend\')'];

  const seed = run.trace[0]?.type === 'jobStarted' ? run.trace[0].seed : 1;
  const big = ordersOf(seed).filter(({ order }) => order.amountCents >= 5000);
  const customers = new Set(big.map(({ order }) => order.customer));
  const keys = new Set(results.map((r) => String(r.key)));

  const strangers = [...keys].filter((k) => !customers.has(k));
  if (strangers.length > 0) {
    return [
      `the totals are kept per ${strangers.map((k) => `"${k}"`).slice(0, 3).join(', ')}, which ${strangers.length === 1 ? 'is' : 'are'} not a customer: ` +
        `key the orders by their customer, so that each customer gets a running total of their own`,
    ];
  }

  const messages: string[] = [];
  const expected = new Map<string, number[]>();
  for (const { order } of big) {
    const totals = expected.get(order.customer) ?? [];
    totals.push((totals.at(-1) ?? 0) + order.amountCents / 100);
    expected.set(order.customer, totals);
  }
  for (const [customer, totals] of expected) {
    const got = results.filter((r) => r.key === customer).map((r) => (r.value as { sum: number }).sum);
    if (got.length > totals.length) {
      messages.push(
        `${customer} has ${got.length} updates but only ${totals.length} orders of €50 or more: orders under €50 are counted too ` +
          `(keep only those with amountCents >= 5000)`,
      );
    } else if (got.length < totals.length) {
      messages.push(`${customer} has ${totals.length} orders of €50 or more but only ${got.length} updates: some big orders were filtered out`);
    } else {
      const wrong = totals.findIndex((total, i) => Math.abs(total - got[i]!) > 0.005);
      if (wrong !== -1) {
        messages.push(`${customer}'s running total after their order #${wrong + 1} should be €${totals[wrong]!.toFixed(2)}, the sink got ${got[wrong]}: sum the amounts in euros (amountCents / 100)`);
      }
    }
    if (messages.length >= 3) break;
  }
  return messages;
}
