// Stateless transformations: each record keeps its event timestamp through all three.
import { type Pipeline, seconds, testStream } from 'brook';

const lines = testStream<string>()
  .addElements({ value: 'to be or', timestamp: seconds(1) }, { value: 'not to be', timestamp: seconds(2) })
  .advanceWatermarkToInfinity();

export default (p: Pipeline) => {
  p.input<string>({ name: 'lines', default: lines })
    .flatMap((line) => line.split(' '))
    .filter((word) => word !== 'or' && word !== 'not')
    .map((word) => word.toUpperCase())
    .sink('words');
};
