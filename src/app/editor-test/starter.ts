// The harness's starter pipeline: word count with its input folded away as setup code.
export const STARTER = `// Count each word in 10-second windows of event time.
import { type Pipeline, seconds, testStream, tumblingWindows } from 'brook';

// #region setup
const lines = testStream<string>()
  .advanceWatermarkTo(0)
  .addElements(
    { value: 'The quick brown fox', timestamp: seconds(1) },
    { value: 'The lazy dog sleeps', timestamp: seconds(3) },
  )
  .advanceWatermarkToInfinity();
// #endregion

export default (p: Pipeline) => {
  p.input<string>({ name: 'lines', default: lines })
    .flatMap((line) => line.toLowerCase().split(/[^a-z]+/))
    .filter((word) => word.length > 0)
    .keyBy((word) => word)
    .window(tumblingWindows(seconds(10)))
    .count()
    .sink('word-counts');
};
`;
