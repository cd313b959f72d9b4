// Processing-time windows group records by when they arrive, not when they happened, and
// fire when the processing clock reaches their end. Event timestamps play no part.
import { type Pipeline, seconds, testStream, tumblingProcessingTimeWindows } from 'brook';

const requests = testStream<string>()
  .addElements({ value: 'GET /', timestamp: 0 }, { value: 'GET /about', timestamp: 0 })
  .advanceProcessingTime(seconds(12))
  .addElements({ value: 'GET /', timestamp: 0 })
  .advanceProcessingTime(seconds(10))
  .advanceWatermarkToInfinity();

export default (p: Pipeline) => {
  p.input<string>({ name: 'requests', default: requests })
    .windowAll(tumblingProcessingTimeWindows(seconds(10)))
    .count()
    .sink('requests-per-10s');
};
