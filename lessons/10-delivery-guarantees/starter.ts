// #region setup
import { boundedOutOfOrderness, minutes, type Pipeline, seconds, tumblingWindows, usageEvents } from 'brook';

// Ten minutes of metered usage from 20 customers of an API platform, about 5 events a second
// over 4 partitions, each arriving a few seconds after it happened.
const usage = usageEvents({ customers: 20, perSecond: 5, duration: minutes(10), lateFraction: 0 });
// #endregion

export default (p: Pipeline) => {
  p.generator(usage, { name: 'usage', watermarks: boundedOutOfOrderness(seconds(30)) })
    .filter((event) => event.metric === 'api_calls')
    .keyBy((event) => event.customer)
    .window(tumblingWindows(minutes(1)))
    .sum((event) => event.units)
    // One invoice line per customer and minute, written to the billing database.
    .sinkTo('invoice-lines', { guarantee: 'atLeastOnce' });
};
