// Periodic results on the processing clock: in the global window, fire once 10 s have passed
// since the first element of each pane (Beam's AfterProcessingTime.pastFirstElementInPane:
// strictly after, so at 10 s + 1 ms), over and over.
// Discarding panes: each result counts only the clicks since the previous one.
import { afterProcessingTime, globalWindows, type Pipeline, repeatedly, seconds, testStream } from 'brook';

const clicks = testStream<string>()
  .addElements({ value: 'ad-1', timestamp: 0 })
  .advanceProcessingTime(seconds(4))
  .addElements({ value: 'ad-1', timestamp: seconds(4) })
  .advanceProcessingTime(seconds(8))
  .addElements({ value: 'ad-1', timestamp: seconds(12) })
  .advanceProcessingTime(seconds(20))
  .advanceWatermarkToInfinity();

export default (p: Pipeline) => {
  p.input<string>({ name: 'clicks', default: clicks })
    .keyBy((ad) => ad)
    .window(globalWindows())
    .trigger(repeatedly(afterProcessingTime().plusDelayOf(seconds(10))))
    .discardingFiredPanes()
    .count()
    .sink('clicks-every-10s');
};
