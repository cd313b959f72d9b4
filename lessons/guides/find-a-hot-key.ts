// Usage events skewed towards a few customers: count per customer per minute in one stage,
// and in two stages with a salted key (4 salts), which spreads a hot customer over 4 keys.
import { boundedOutOfOrderness, minutes, type Pipeline, seconds, tumblingWindows, usageEvents } from 'brook';

const SALTS = 4;
const usage = usageEvents({ customers: 20, skew: 1.5, duration: minutes(3), lateFraction: 0 });

export default (p: Pipeline) => {
  p.setParallelism(4);
  const events = p.generator(usage, { name: 'usage', watermarks: boundedOutOfOrderness(seconds(30)) });

  // One stage: every event of a customer goes to the same subtask.
  events.keyBy((e) => e.customer).window(tumblingWindows(minutes(1))).count().sink('events-per-customer');

  // Two stages: pre-count per (customer, salt), then add up the partial counts per customer.
  events
    .map((e) => ({ customer: e.customer, salt: Number(e.eventId.split('-')[2]) % SALTS, n: 1 }))
    .keyBy((c) => `${c.customer}#${c.salt}`)
    .window(tumblingWindows(minutes(1)))
    .reduce((a, b) => ({ ...a, n: a.n + b.n }))
    .keyBy((partial) => partial.customer)
    .window(tumblingWindows(minutes(1)))
    .sum((partial) => partial.n)
    .sink('salted-total');
};
