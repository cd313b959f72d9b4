// What happens to data that arrives late: page views counted per page in 1-minute windows,
// where phones that were offline deliver their views afterwards.
//
//   npx brook run examples/late-data.ts --input examples/late-data-input.json
//
// A view is late when the watermark has already passed the end of its window.
// - Up to 30 seconds late (the allowed lateness), it still counts: the window fires again
//   with a corrected count, a pane with timing LATE.
// - Later than that, the window is gone. Instead of silently dropping the view, Brook sends
//   it to the side output "late", which this pipeline writes to its own sink, "late-views",
//   so it can be stored and reconciled later.
import { minutes, type Pipeline, seconds, tumblingWindows } from 'brook';

/** A page view. Its event time (when the user saw the page) is the element's timestamp in the input. */
interface PageView {
  page: string;
  user: string;
}

export default (p: Pipeline) => {
  const counts = p
    .input<PageView>({ name: 'views' })
    .keyBy((view) => view.page)
    .window(tumblingWindows(minutes(1)))
    .allowedLateness(seconds(30))
    .sideOutputLateData('late')
    .count();

  counts.sink('view-counts');
  // The views that came too late for their window, as they were.
  counts.getSideOutput<PageView>('late').sink('late-views');
};
