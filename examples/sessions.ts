// Per-user scores over sessions of activity, with early, on-time and late results: Beam's
// "what / where / when / how" in one pipeline.
//
//   npx brook run examples/sessions.ts --input examples/sessions-input.json
//
// - What:  the sum of each user's scores.
// - Where: in session windows; a session ends after 5 minutes without activity.
// - When:  early (speculative) results once a minute of processing time has passed since new
//          scores arrived (strictly after: at 1 min + 1 ms, as in Beam), the on-time result
//          when the watermark passes the end of the session, and
//          a late result for each score that arrives afterwards, within 10 minutes of
//          allowed lateness. Scores later than that are dropped (see them with --trace).
// - How:   each result includes everything so far (accumulating panes), so the latest
//          result per session is always the complete one.
//
// Read the "pane" of each output: timing EARLY / ON_TIME / LATE and its index.
import {
  afterCount,
  afterProcessingTime,
  afterWatermark,
  minutes,
  type Pipeline,
  sessionWindows,
} from 'brook';

/** One scored action in a game. */
interface ScoreEvent {
  user: string;
  score: number;
}

export default (p: Pipeline) => {
  p.input<ScoreEvent>({ name: 'scores' })
    .keyBy((e) => e.user)
    .window(sessionWindows(minutes(5)))
    .trigger(
      afterWatermark()
        .withEarlyFirings(afterProcessingTime().plusDelayOf(minutes(1)))
        .withLateFirings(afterCount(1)),
    )
    .allowedLateness(minutes(10))
    .accumulatingFiredPanes()
    .sum((e) => e.score)
    .sink('session-scores');
};
