// A pipeline file: a TypeScript module whose default export receives the Pipeline `p` and
// wires sources to sinks. This one carries its own input, so it runs without --input.
import { type Pipeline, seconds, testStream } from 'brook';

const celsius = testStream<number>()
  .addElements({ value: 20, timestamp: seconds(1) }, { value: 25, timestamp: seconds(2) })
  .advanceWatermarkToInfinity();

export default (p: Pipeline) => {
  p.input<number>({ name: 'celsius', default: celsius })
    .map((c) => c * 1.8 + 32)
    .sink('fahrenheit');
};
