// Late data: a record is late when the watermark has passed the end of its window. Within
// the allowed lateness (10 s) it updates the window and fires a LATE pane; after that the
// window is gone, and the record goes to the side output "late" instead of being dropped.
import { type Pipeline, seconds, testStream, tumblingWindows } from 'brook';

const views = testStream<string>()
  .advanceWatermarkTo(0)
  .addElements({ value: '/home', timestamp: seconds(5) })
  .advanceWatermarkTo(seconds(60))
  .addElements({ value: '/home', timestamp: seconds(7) }) // late, within the allowed lateness
  .advanceWatermarkTo(seconds(75))
  .addElements({ value: '/home', timestamp: seconds(9) }) // too late: the window has expired
  .advanceWatermarkToInfinity();

export default (p: Pipeline) => {
  const counts = p
    .input<string>({ name: 'views', default: views })
    .keyBy((page) => page)
    .window(tumblingWindows(seconds(60)))
    .allowedLateness(seconds(10))
    .sideOutputLateData('late')
    .count();

  counts.sink('view-counts');
  counts.getSideOutput<string>('late').sink('too-late');
};
