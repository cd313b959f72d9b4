// Sliding windows of 10 s starting every 5 s: each element lands in two of them.
import { type Pipeline, seconds, slidingWindows, testStream } from 'brook';

const clicks = testStream<string>()
  .addElements({ value: 'a', timestamp: seconds(3) }, { value: 'b', timestamp: seconds(7) })
  .advanceWatermarkToInfinity();

export default (p: Pipeline) => {
  p.input<string>({ name: 'clicks', default: clicks })
    .windowAll(slidingWindows(seconds(10), seconds(5)))
    .count()
    .sink('clicks-last-10s');
};
