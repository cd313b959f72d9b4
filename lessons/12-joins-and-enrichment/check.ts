// Checks lesson 12: every order reaches "orders-with-tier" exactly once, with the loyalty tier
// its customer had when the order arrived (the latest change in the tier table before it).
import { minutes, runPipeline, seconds, shopOrders } from 'brook';
import type { LessonRun } from '../../src/lessons/lesson-run.ts';

interface Enriched {
  orderId: string;
  customer: string;
  tier: string;
}

/** The tier table's changes, as in the lesson's setup. */
const CHANGES = [
  ...Array.from({ length: 12 }, (_, i) => ({ customer: `customer-${String(i).padStart(4, '0')}`, tier: i < 2 ? 'gold' : i < 5 ? 'silver' : 'standard', at: 0 })),
  { customer: 'customer-0003', tier: 'gold', at: minutes(3) + seconds(10) },
  { customer: 'customer-0007', tier: 'silver', at: minutes(5) },
  { customer: 'customer-0007', tier: 'gold', at: minutes(7) + seconds(40) },
];

/** The tier a customer had at processing time `t`, and since when. */
function tierAt(customer: string, t: number): { tier: string; since: number } | undefined {
  const change = CHANGES.filter((c) => c.customer === customer && c.at <= t).at(-1);
  return change && { tier: change.tier, since: change.at };
}

export default function check(run: LessonRun): string[] {
  const results = run.sink('orders-with-tier');
  if (results.length === 0) return ['nothing reached the sink "orders-with-tier"'];
  const seed = run.trace[0]?.type === 'jobStarted' ? run.trace[0].seed : 12;
  const orders = runPipeline(
    (p) => p.generator(shopOrders({ customers: 12, perSecond: 0.2, duration: minutes(10), partitions: 1 }), { name: 'orders' }).sink('all'),
    { seed },
  ).records.map((r) => ({ order: r.value as { orderId: string; customer: string }, arrival: r.processingTime }));

  const byId = new Map<string, Enriched[]>();
  for (const r of results) {
    const e = r.value as Enriched;
    byId.set(e.orderId, [...(byId.get(e.orderId) ?? []), e]);
  }
  const missing = orders.filter((o) => !byId.has(o.order.orderId));
  const messages: string[] = [];
  if (missing.length > 0) {
    const first = missing[0]!;
    const row = tierAt(first.order.customer, first.arrival);
    messages.push(
      `${orders.length} orders came in, but ${missing.length} never reached "orders-with-tier": e.g. ${first.order.orderId} of ${first.order.customer} at ${run.clock(first.arrival)}` +
        (row ? `, whose tier had been "${row.tier}" since ${run.clock(row.since)}` : '') +
        '. Every order needs its customer\'s current tier, however long ago it was set: a join that only pairs records close in time misses the rows that did not change. ' +
        'Keep the latest tier of each customer as a table (keyed state fed by the changes) and look it up for each order.',
    );
  }
  const twice = [...byId].find(([, list]) => list.length > 1);
  if (twice) messages.push(`${twice[0]} reached the sink ${twice[1].length} times (${twice[1].map((e) => `"${e.tier}"`).join(', ')}): each order once, with one tier`);
  for (const o of orders) {
    const got = byId.get(o.order.orderId)?.[0];
    const row = tierAt(o.order.customer, o.arrival);
    if (got && row && got.tier !== row.tier) {
      messages.push(
        `${o.order.orderId} of ${o.order.customer} arrived at ${run.clock(o.arrival)}, when their tier had been "${row.tier}" since ${run.clock(row.since)}, but it went out as "${got.tier}"`,
      );
      break;
    }
  }
  return messages.slice(0, 3);
}
