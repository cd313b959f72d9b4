// union merges streams of the same type. The merged watermark is the minimum of the inputs',
// so the window only fires once both sources have passed its end.
import { type Pipeline, seconds, testStream, tumblingWindows } from 'brook';

const web = testStream<string>()
  .advanceWatermarkTo(0)
  .addElements({ value: 'web', timestamp: seconds(1) })
  .advanceWatermarkTo(seconds(10))
  .advanceWatermarkToInfinity();

const app = testStream<string>()
  .advanceWatermarkTo(0)
  .addElements({ value: 'app', timestamp: seconds(2) }, { value: 'app', timestamp: seconds(3) })
  .advanceProcessingTime(seconds(20))
  .advanceWatermarkTo(seconds(10))
  .advanceWatermarkToInfinity();

export default (p: Pipeline) => {
  p.testStream(web, { name: 'web' })
    .union(p.testStream(app, { name: 'app' }))
    .windowAll(tumblingWindows(seconds(10)))
    .count()
    .sink('signups');
};
