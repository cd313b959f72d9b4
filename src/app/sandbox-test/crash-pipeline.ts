// A pipeline long enough in processing time to checkpoint, crash and resume: per-key sums in
// tumbling windows of 5 s over 40 records, one every 500 ms, into an exactly-once sink.

export const CRASH_PIPELINE = `import { seconds, testStream, tumblingWindows, type Pipeline } from 'brook';

interface Reading { k: string; v: number }

export default (p: Pipeline) => {
  let input = testStream<Reading>().advanceWatermarkTo(0);
  for (let i = 0; i < 40; i++) {
    input = input.addElements({ value: { k: i % 2 ? 'a' : 'b', v: i }, timestamp: i * 500 }).advanceProcessingTime(500).advanceWatermarkTo(i * 500);
  }
  p.input<Reading>({ default: input.advanceWatermarkToInfinity() })
    .keyBy((r) => r.k)
    .window(tumblingWindows(seconds(5)))
    .sum((r) => r.v)
    .sink('sums');
};
`;
