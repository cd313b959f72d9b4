// Every window result says which firing of its window it is. A process window function can
// read the same pane info as `ctx.pane`, for example to label speculative results. Late bids
// fire every 2; the single late bid here comes out in the final pane, when the window expires.
import { afterCount, afterWatermark, type Pipeline, seconds, testStream, tumblingWindows } from 'brook';

const bids = testStream<number>()
  .advanceWatermarkTo(0)
  .addElements({ value: 10, timestamp: seconds(1) })
  .advanceWatermarkTo(seconds(10))
  .addElements({ value: 12, timestamp: seconds(2) })
  .advanceWatermarkToInfinity();

export default (p: Pipeline) => {
  p.input<number>({ name: 'bids', default: bids })
    .keyBy(() => 'lot-1')
    .window(tumblingWindows(seconds(10)))
    .trigger(afterWatermark().withEarlyFirings(afterCount(1)).withLateFirings(afterCount(2)))
    .allowedLateness(seconds(30))
    .process<string>((lot, bids, ctx) => {
      const { timing, index, isLast } = ctx.pane;
      ctx.output(`${lot}: highest bid ${Math.max(...bids)} (${timing} pane ${index}${isLast ? ', final' : ''})`);
    })
    .sink('highest-bid');
};
