// A pane every 2 elements: repeatedly(afterCount(2)). When the window expires, elements no
// pane has emitted yet still come out in a final pane (Beam's closing behaviour).
import { afterCount, type Pipeline, repeatedly, seconds, testStream, tumblingWindows } from 'brook';

const likes = testStream<string>()
  .advanceWatermarkTo(0)
  .addElements(
    { value: 'post-7', timestamp: seconds(1) },
    { value: 'post-7', timestamp: seconds(2) },
    { value: 'post-7', timestamp: seconds(3) },
    { value: 'post-7', timestamp: seconds(4) },
    { value: 'post-7', timestamp: seconds(5) },
  )
  .advanceWatermarkToInfinity();

export default (p: Pipeline) => {
  p.input<string>({ name: 'likes', default: likes })
    .keyBy((post) => post)
    .window(tumblingWindows(seconds(60)))
    .trigger(repeatedly(afterCount(2)))
    .discardingFiredPanes()
    .count()
    .sink('likes');
};
