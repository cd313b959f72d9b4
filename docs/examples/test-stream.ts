// A scripted source built in code: Beam's TestStream. Each step happens in order; elements
// arrive at the current processing time, which only moves with advanceProcessingTime.
import { type Pipeline, seconds, testStream } from 'brook';

const clicks = testStream<string>()
  .advanceWatermarkTo(0)
  .addElements({ value: 'home', timestamp: seconds(1) }, { value: 'pricing', timestamp: seconds(3) })
  .advanceProcessingTime(seconds(30))
  .advanceWatermarkTo(seconds(10))
  .addElements({ value: 'signup', timestamp: seconds(12) })
  .advanceWatermarkToInfinity();

export default (p: Pipeline) => {
  p.testStream(clicks, { name: 'clicks' })
    .map((page) => `/${page}`)
    .sink('pages');
};
