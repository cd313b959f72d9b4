// Triggers built from triggers, each on its own copy of the same windows. A trigger that
// finishes closes its window: later elements for it are dropped (see them with --trace).
import {
  afterAll,
  afterCount,
  afterEach,
  afterFirst,
  afterProcessingTime,
  afterWatermark,
  never,
  type Pipeline,
  repeatedly,
  seconds,
  testStream,
  type Trigger,
  tumblingWindows,
} from 'brook';

const views = testStream<string>()
  .advanceWatermarkTo(0)
  .addElements({ value: 'v', timestamp: seconds(1) }, { value: 'v', timestamp: seconds(2) })
  .advanceProcessingTime(seconds(15))
  .addElements({ value: 'v', timestamp: seconds(3) })
  .advanceWatermarkTo(seconds(60))
  .advanceWatermarkToInfinity();

export default (p: Pipeline) => {
  const input = p.input<string>({ name: 'views', default: views });
  const count = (sink: string, trigger: Trigger) =>
    input.keyBy((v) => v).window(tumblingWindows(seconds(60))).trigger(trigger).count().sink(sink);

  // After 2 elements, then after every element.
  count('each', afterEach(afterCount(2), repeatedly(afterCount(1))));
  // Once: at 3 elements or at the end of the window, whichever comes first.
  count('first', afterFirst(afterCount(3), afterWatermark()));
  // Once: when there are 2 elements and 10 s have passed since the first.
  count('all', afterAll(afterCount(2), afterProcessingTime().plusDelayOf(seconds(10))));
  // Every 2 elements, until the watermark passes the end of the window.
  count('or-finally', repeatedly(afterCount(2)).orFinally(afterWatermark()));
  // Never, but the window still emits a final pane when it expires.
  count('never', never());
};
