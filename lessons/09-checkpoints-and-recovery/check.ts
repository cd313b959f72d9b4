// Checks lesson 9 from a run with checkpoints and two crashes: checkpoints completed, the job
// restored from one, and what "customer-totals" holds afterwards is exactly what the run
// without crashes wrote — each customer's running order count and spend, never reset.
import { minutes, runPipeline, shopOrders } from 'brook';
import type { LessonRun } from '../../src/lessons/lesson-run.ts';

interface Total {
  customer: string;
  orders: number;
  spentCents: number;
}

const euros = (cents: number) => `€${(cents / 100).toFixed(2)}`;
const describe = (t: Total) => `${t.orders} order${t.orders === 1 ? '' : 's'} for ${euros(t.spentCents)}`;

/** Each customer's final order count and spend, from the lesson's orders and seed. */
function finalTotals(seed: number): Map<string, Total> {
  const orders = shopOrders({ customers: 12, perSecond: 0.5, duration: minutes(10) });
  const { records } = runPipeline((p) => p.generator(orders, { name: 'orders' }).sink('all'), { seed });
  const totals = new Map<string, Total>();
  for (const r of records) {
    const order = r.value as { customer: string; amountCents: number };
    const t = totals.get(order.customer) ?? { customer: order.customer, orders: 0, spentCents: 0 };
    totals.set(order.customer, { ...t, orders: t.orders + 1, spentCents: t.spentCents + order.amountCents });
  }
  return totals;
}

export default function check(run: LessonRun): string[] {
  const durable = run.durable;
  if (durable === undefined) return ['this lesson runs with checkpoints: run it with its own settings (a checkpoint every 30 s and two crashes)'];
  const restores = run.trace.filter((e) => e.type === 'jobRestored');
  if (durable.completedCheckpoints === 0) return ['no checkpoint completed, so there was nothing to restore: the job has to run with checkpoints (a checkpoint every 30 s)'];
  if (restores.length === 0) return ['the job never crashed and restored, so this run shows nothing about recovery: keep the lesson\'s planned crashes'];
  if (!durable.finished) return [`the job did not finish: ${durable.failures.map((f) => f.reason).join('; ')}`];

  const stored = durable.stored['customer-totals'] ?? [];
  if (stored.length === 0) return ['nothing reached the sink "customer-totals"'];

  // Where each restore rewound to: the crash, and the checkpoint it went back to.
  const crashes = run.trace.filter((e) => e.type === 'jobCrashed');
  const completedAt = new Map<number, number>();
  for (const e of run.trace) if (e.type === 'checkpointCompleted') completedAt.set(e.checkpointId, e.pt);
  const story = restores.map((r, i) => {
    const crash = crashes[i];
    const id = r.type === 'jobRestored' ? r.checkpointId : null;
    return `the crash at ${crash ? run.clock(crash.pt) : '?'} restored checkpoint ${id ?? '(none)'}${id !== null && completedAt.has(id) ? ` (taken at ${run.clock(completedAt.get(id)!)})` : ''}`;
  });

  const messages: string[] = [];
  const report = durable.delivery.find((d) => d.sink === 'customer-totals');
  if (report && !report.exact) {
    const lost = report.lost[0]?.record;
    const wrong = lost && report.duplicated.find((d) => d.record.key === lost.key && d.record.timestamp === lost.timestamp)?.record;
    messages.push(
      `${story.join(', and ')}; after that the sink's records differ from the run without crashes (${report.losses} missing, ${report.duplicates} unexpected)` +
        (lost && wrong
          ? `: ${String(lost.key)}'s order at ${run.clock(lost.timestamp)} should bring them to ${describe(lost.value as Total)}, but the sink got ${describe(wrong.value as Total)}. ` +
            'The totals started again from nothing: state kept outside the engine (a plain JavaScript Map) is not in the checkpoint. Keep it in keyed state (ctx.state), which the restore brings back.'
          : '.'),
    );
  }

  const seed = run.trace[0]?.type === 'jobStarted' ? run.trace[0].seed : 9;
  const last = new Map<string, Total>();
  for (const w of stored) last.set(String(w.key), w.value as Total);
  for (const [customer, total] of finalTotals(seed)) {
    const got = last.get(customer);
    if (messages.length === 0 && (got === undefined || got.orders !== total.orders || got.spentCents !== total.spentCents)) {
      messages.push(`${customer} placed ${describe(total)}, but the last total in the sink says ${got ? describe(got) : 'nothing'}`);
    }
  }
  return messages;
}
