// Beam's afterWatermark trigger with early and late firings: a speculative EARLY pane 30 s
// (processing time) after new scores arrive, the ON_TIME pane when the watermark passes the
// end of the window, and a LATE pane for every late score within the allowed lateness.
import { afterCount, afterProcessingTime, afterWatermark, minutes, type Pipeline, seconds, tumblingWindows } from 'brook';

export default (p: Pipeline) => {
  p.input<{ team: string; points: number }>({ name: 'scores' })
    .keyBy((score) => score.team)
    .window(tumblingWindows(minutes(1)))
    .trigger(
      afterWatermark()
        .withEarlyFirings(afterProcessingTime().plusDelayOf(seconds(30)))
        .withLateFirings(afterCount(1)),
    )
    .allowedLateness(minutes(5))
    .sum((score) => score.points)
    .sink('team-points');
};
