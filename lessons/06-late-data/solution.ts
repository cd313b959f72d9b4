// #region setup
import { boundedOutOfOrderness, minutes, type Pipeline, seconds, tumblingWindows, usageEvents } from 'brook';

// Forty minutes of metered usage from 20 customers of an API platform, about 5 events a
// second over 4 partitions. Events usually arrive a few seconds after they happen; 3 % come
// from a retried batch upload and arrive 15 minutes late.
const usage = usageEvents({ customers: 20, perSecond: 5, duration: minutes(40), lateFraction: 0.03 });
// #endregion

export default (p: Pipeline) => {
  const calls = p
    .generator(usage, { name: 'usage', watermarks: boundedOutOfOrderness(seconds(10)) })
    .filter((event) => event.metric === 'api_calls')
    .keyBy((event) => event.customer)
    .window(tumblingWindows(minutes(10)))
    .allowedLateness(minutes(10))
    .sideOutputLateData('too-late')
    .sum((event) => event.units);

  calls.sink('api-calls');
  calls.getSideOutput('too-late').sink('late-usage');
};
