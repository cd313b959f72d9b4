// Checks lesson 14 from a checkpointed run over twelve hours of orders with one poison record:
// the job must not end in a restart loop, the poison order must be parked in "dead-letters",
// and every hour's revenue in "revenue-per-hour" must count every valid order.
import { hours, minutes, runPipeline, shopOrders } from 'brook';
import type { LessonRun } from '../../src/lessons/lesson-run.ts';

/** The order the partner's exporter broke (the lesson's setup). */
const POISON = 'order-2-2379';
const HOUR = hours(1);

/** Revenue in euros per hour of event time, over every order but the poison one. */
function revenuePerHour(seed: number): Map<number, number> {
  const orders = shopOrders({ customers: 300, perSecond: 0.2, duration: hours(12), spike: { at: hours(9) + minutes(10), length: minutes(5), perSecond: 4 } });
  const { records } = runPipeline((p) => p.generator(orders, { name: 'orders' }).sink('all'), { seed });
  const revenue = new Map<number, number>();
  for (const r of records) {
    const order = r.value as { orderId: string; amountCents: number };
    if (order.orderId === POISON) continue;
    const hour = Math.floor(r.timestamp / HOUR) * HOUR;
    revenue.set(hour, (revenue.get(hour) ?? 0) + order.amountCents / 100);
  }
  return revenue;
}

export default function check(run: LessonRun): string[] {
  const durable = run.durable;
  if (durable === undefined) return ['this lesson runs with checkpoints and a restart strategy: run it with its own settings'];
  if (durable.failures.length > 0) {
    const first = durable.failures[0]!;
    const same = durable.failures.filter((f) => f.reason === first.reason).length;
    const restored = run.trace.filter((e) => e.type === 'jobRestored').map((e) => (e.type === 'jobRestored' ? e.checkpointId : null));
    return [
      `the job failed ${durable.failures.length} time${durable.failures.length === 1 ? '' : 's'} at ${run.clock(first.pt)}` +
        (same === durable.failures.length && same > 1 ? ', every time with the same error' : '') +
        `: ${first.reason}. ` +
        (restored.length > 0 ? `Each restart restored checkpoint ${restored[0]} from just before it, replayed, and met the same record again; ` : '') +
        (durable.finished ? '' : 'then the restart strategy gave up and the job is down, with every hour after it unreported. ') +
        'Restarting cannot fix a bad record (a poison record). Catch the error for that record and send the record to the dead-letter output "dead-letters", so that the job carries on.',
    ];
  }
  if (!durable.finished) return ['the job did not finish'];

  const messages: string[] = [];
  const dead = (durable.stored['dead-letters'] ?? []).map((w) => w.value as { order?: { orderId?: string } } | { orderId?: string });
  const parked = dead.some((v) => ('order' in v ? v.order?.orderId : (v as { orderId?: string }).orderId) === POISON);
  if (!parked) {
    messages.push(`${POISON} (the order with the currency "EURO") is not in "dead-letters": park bad records where someone can look at them and replay them once fixed, rather than dropping them`);
  }
  if (dead.length > 1) messages.push(`"dead-letters" holds ${dead.length} records, but only one order was bad: valid orders belong in the revenue`);

  const seed = run.trace[0]?.type === 'jobStarted' ? run.trace[0].seed : 14;
  const stored = durable.stored['revenue-per-hour'] ?? [];
  const got = new Map<number, number>();
  for (const w of stored) if (w.window && w.window !== 'global') got.set(w.window.start, w.value as number);
  for (const [hour, euros] of revenuePerHour(seed)) {
    const value = got.get(hour);
    if (value === undefined || Math.abs(value - euros) > 0.01) {
      messages.push(`the revenue of ${run.window({ start: hour, end: hour + HOUR })} was €${euros.toFixed(2)}, but "revenue-per-hour" says ${value === undefined ? 'nothing' : `€${value.toFixed(2)}`}`);
      break;
    }
  }
  return messages;
}
