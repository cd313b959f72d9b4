// How successive panes of one window relate. Each sink sees the same panes: an EARLY one
// after the first two amounts, then the ON_TIME one.
import { afterCount, afterWatermark, type Pipeline, seconds, testStream, tumblingWindows } from 'brook';

const amounts = testStream<number>()
  .advanceWatermarkTo(0)
  .addElements({ value: 1, timestamp: seconds(1) }, { value: 2, timestamp: seconds(2) }, { value: 3, timestamp: seconds(3) })
  .advanceWatermarkTo(seconds(60))
  .advanceWatermarkToInfinity();

export default (p: Pipeline) => {
  const input = p.input<number>({ name: 'amounts', default: amounts });
  const windowed = () =>
    input
      .keyBy(() => 'total')
      .window(tumblingWindows(seconds(60)))
      .trigger(afterWatermark().withEarlyFirings(afterCount(2)));

  // Each pane holds only what arrived since the previous pane (Beam's default).
  windowed().discardingFiredPanes().sum((x) => x).sink('discarding');
  // Each pane holds everything so far (Brook's default, Flink's behaviour).
  windowed().accumulatingFiredPanes().sum((x) => x).sink('accumulating');
  // Everything so far, preceded by a retraction of the previous pane's result.
  windowed().accumulatingAndRetractingFiredPanes().sum((x) => x).sink('retracting');
};
