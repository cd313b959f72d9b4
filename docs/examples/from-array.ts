// A source over values in memory: `timestampOf` gives each value's event time. Without
// `arrivalOf`, a value arrives (in processing time) when the latest event so far happened.
import { minutes, type Pipeline, seconds, tumblingWindows } from 'brook';

const rides = [
  { id: 'r1', km: 3, at: seconds(5) },
  { id: 'r2', km: 7, at: seconds(20) },
  { id: 'r3', km: 2, at: seconds(65) },
];

export default (p: Pipeline) => {
  p.fromArray(rides, { name: 'rides', timestampOf: (ride) => ride.at })
    .windowAll(tumblingWindows(minutes(1)))
    .sum((ride) => ride.km)
    .sink('km-per-minute');
};
