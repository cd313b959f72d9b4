// Word count, the "hello world" of stream processing: how often each word appears in each
// 10-second window of event time.
//
//   npx brook run examples/word-count.ts
//
// The input is built into the file (a TestStream script: lines of text, each with the event
// time it was written), so no --input is needed. Try changing the window size or the lines.
import { type Pipeline, seconds, testStream, tumblingWindows } from 'brook';

/** Words too common to be worth counting. */
const STOP_WORDS = new Set(['the', 'a', 'over']);

/** Lines of text with their event times; the watermark says when a window is complete. */
const lines = testStream<string>()
  .advanceWatermarkTo(0)
  .addElements(
    { value: 'The quick brown fox', timestamp: seconds(1) },
    { value: 'The lazy dog sleeps', timestamp: seconds(3) },
    { value: 'The fox jumps over the dog', timestamp: seconds(7) },
  )
  // Ten seconds pass on the processing clock (the "wall clock" of the run).
  .advanceProcessingTime(seconds(10))
  // No record before 10 s is still to come: the window [0 s, 10 s) can fire.
  .advanceWatermarkTo(seconds(10))
  .addElements(
    { value: 'The dog wakes up', timestamp: seconds(12) },
    { value: 'The dog chases the fox!', timestamp: seconds(16) },
  )
  .advanceProcessingTime(seconds(10))
  // The input is complete: every remaining window fires.
  .advanceWatermarkToInfinity();

export default (p: Pipeline) => {
  p.input<string>({ name: 'lines', default: lines })
    .map((line) => line.toLowerCase())
    .flatMap((line) => line.split(/[^a-z]+/))
    .filter((word) => word.length > 0 && !STOP_WORDS.has(word))
    // One count per word: records with the same key meet in the same window.
    .keyBy((word) => word)
    .window(tumblingWindows(seconds(10)))
    .count()
    .sink('word-counts');
};
