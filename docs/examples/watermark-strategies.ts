// The same records read three times, with three watermark strategies. Record "c" happened at
// 8 s but arrives at 13 s, after "b" (12 s): 4 s out of order.
import {
  boundedOutOfOrderness,
  monotonousTimestamps,
  noWatermarks,
  type Pipeline,
  seconds,
  tumblingWindows,
  type WatermarkStrategy,
} from 'brook';

const records = [
  { value: 'a', timestamp: seconds(1) },
  { value: 'b', timestamp: seconds(12) },
  { value: 'c', timestamp: seconds(8), arrival: seconds(13) },
  { value: 'd', timestamp: seconds(25) },
  { value: 'e', timestamp: seconds(40) },
];

export default (p: Pipeline) => {
  const count = (name: string, watermarks: WatermarkStrategy) =>
    p
      .fromRecords(records, { name, watermarks })
      .windowAll(tumblingWindows(seconds(10)))
      .count()
      .sink(name);

  // Watermark = largest timestamp - 1 ms: "c" is late and dropped.
  count('monotonous', monotonousTimestamps());
  // Watermark = largest timestamp - 5 s - 1 ms: "c" is on time, results come later.
  count('bounded-5s', boundedOutOfOrderness(seconds(5)));
  // No watermark until the input ends: everything fires then.
  count('none', noWatermarks());
};
