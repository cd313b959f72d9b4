// A source over records that carry their own event time (`timestamp`) and, optionally, the
// processing time they arrive at (`arrival`): here the second reading arrives 8 s late.
import { type Pipeline, seconds } from 'brook';

export default (p: Pipeline) => {
  p.fromRecords([
    { value: { sensor: 's1', celsius: 21 }, timestamp: seconds(1) },
    { value: { sensor: 's2', celsius: 19 }, timestamp: seconds(2), arrival: seconds(10) },
    { value: { sensor: 's1', celsius: 22 }, timestamp: seconds(11) },
  ])
    .map((r) => `${r.sensor}: ${r.celsius} °C`)
    .sink('readings');
};
