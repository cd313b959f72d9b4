// Parallelism: every operator runs as `parallelism` subtasks. keyBy sends all records of a
// key to the same subtask, so per-key results do not depend on the parallelism; only the
// order in which different keys' results interleave may change.
import { type Pipeline, seconds, testStream, tumblingWindows } from 'brook';

const words = testStream<string>()
  .addElements(
    { value: 'apple', timestamp: seconds(1) },
    { value: 'pear', timestamp: seconds(2) },
    { value: 'apple', timestamp: seconds(3) },
    { value: 'fig', timestamp: seconds(4) },
  )
  .advanceWatermarkToInfinity();

export default (p: Pipeline) => {
  p.setParallelism(4); // the default for operators created from here on
  p.input<string>({ name: 'words', default: words }) // a TestStream source always has parallelism 1
    .map((word) => word.toUpperCase())
    .name('shout') // the name shown in the trace and the dataflow graph
    .setParallelism(2)
    .keyBy((word) => word)
    .window(tumblingWindows(seconds(10)))
    .count()
    .uid('word-counts') // a stable id: savepoints match state to operators by it
    .sink('counts', { parallelism: 1 });
};
