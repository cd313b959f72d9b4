// #region setup
import { customWatermarks, minutes, type Pipeline, seconds, tumblingWindows, usageEvents } from 'brook';

// Twenty minutes of metered usage from 40 customers over 4 partitions, a few big customers
// making most of it. Partition 3 sits on a slow broker: its records reach the job 5 minutes
// after the other partitions' records of the same moment.
const usage = {
  ...usageEvents({ customers: 40, perSecond: 20, duration: minutes(20), lateFraction: 0 }),
  partitions: [{}, {}, {}, { lag: minutes(5) }],
};

/**
 * Bounded out-of-orderness (largest timestamp - 60 s - 1 ms), proposed after every record
 * rather than every 200 ms. Brook reads a backlog in no time at all, so a partition's
 * watermark must move with each record for alignment to stop it in the middle of one.
 */
const aMinuteLate = customWatermarks('BoundedOutOfOrdernessPerRecord', () => {
  let largest = Number.NEGATIVE_INFINITY;
  return {
    onEvent: (timestamp) => {
      largest = Math.max(largest, timestamp);
      return largest - seconds(60) - 1;
    },
    onPeriodicEmit: () => Number.NEGATIVE_INFINITY,
  };
});
// #endregion

export default (p: Pipeline) => {
  p.generator(usage, {
    name: 'usage',
    watermarks: aMinuteLate,
  })
    .filter((event) => event.metric === 'api_calls')
    .keyBy((event) => event.customer)
    .window(tumblingWindows(minutes(1)), { parallelism: 4 })
    .sum((event) => event.units)
    .sink('calls-per-minute');
};
