// Session windows: a key's session closes after 10 s without activity. Every element opens
// [t, t + gap); windows that overlap or touch merge. 30 s and 40 s are exactly a gap apart,
// so they merge too (Flink's rule; Beam would keep two sessions).
import { type Pipeline, seconds, sessionWindows, testStream } from 'brook';

const clicks = testStream<string>()
  .addElements(
    { value: 'ana', timestamp: seconds(1) },
    { value: 'ana', timestamp: seconds(5) },
    { value: 'ana', timestamp: seconds(30) },
    { value: 'ana', timestamp: seconds(40) },
    { value: 'ben', timestamp: seconds(2) },
  )
  .advanceWatermarkToInfinity();

export default (p: Pipeline) => {
  p.input<string>({ name: 'clicks', default: clicks })
    .keyBy((user) => user)
    .window(sessionWindows(seconds(10)))
    .count()
    .sink('clicks-per-session');
};
