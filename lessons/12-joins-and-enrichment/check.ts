// Checks lesson 12: every order reaches "orders-with-tier" exactly once, with the loyalty tier
// its customer had when the order arrived: the latest record of the customer in the topic
// "customer-tiers" read so far ("none" when there is none, or it deleted the row).
import { minutes, runPipeline, shopOrders } from 'brook';
import type { LessonRun, TopicLogRecord } from '../../src/lessons/lesson-run.ts';

interface Enriched {
  orderId: string;
  customer: string;
  tier: string;
}

/** The customer's row when the job had read the topic up to processing time `t`, and since when. */
function rowAt(log: readonly TopicLogRecord[], customer: string, t: number): { tier: string; since: number; deleted: boolean } {
  // One key lives in one partition, in offset order; a record is read once its timestamp has come.
  const latest = log.filter((r) => r.key === customer && r.timestamp <= t).at(-1);
  const tier = (latest?.value as { tier: string | null } | undefined)?.tier ?? null;
  return { tier: tier ?? 'none', since: latest?.timestamp ?? 0, deleted: latest !== undefined && tier === null };
}

export default function check(run: LessonRun): string[] {
  const log = run.topic('customer-tiers');
  if (log.length === 0) return ['the topic "customer-tiers" is empty: this run did not pre-load it (reload the lesson)'];
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
    const row = rowAt(log, first.order.customer, first.arrival);
    messages.push(
      `${orders.length} orders came in, but ${missing.length} never reached "orders-with-tier": e.g. ${first.order.orderId} of ${first.order.customer} at ${run.clock(first.arrival)}, ` +
        `whose row in the topic had said "${row.tier}" since ${run.clock(row.since)}. ` +
        'Every order needs its customer\'s current tier, however long ago it was set: a join that only pairs records close in time misses the rows that did not change. ' +
        'Keep the latest record of each customer as a table (keyed state fed by the topic) and look it up for each order.',
    );
  }
  const twice = [...byId].find(([, list]) => list.length > 1);
  if (twice) messages.push(`${twice[0]} reached the sink ${twice[1].length} times (${twice[1].map((e) => `"${e.tier}"`).join(', ')}): each order once, with one tier`);
  for (const o of orders) {
    const got = byId.get(o.order.orderId)?.[0];
    const row = rowAt(log, o.order.customer, o.arrival);
    if (got && got.tier !== row.tier) {
      const why = row.deleted
        ? `their row had been deleted at ${run.clock(row.since)} (a record with tier null), so the tier is "none"`
        : row.tier === 'none'
          ? 'the topic had no row for them yet, so the tier is "none"'
          : `their tier had been "${row.tier}" since ${run.clock(row.since)}`;
      messages.push(`${o.order.orderId} of ${o.order.customer} arrived at ${run.clock(o.arrival)}, when ${why}, but it went out as "${got.tier}"`);
      break;
    }
  }
  return messages.slice(0, 3);
}
