// Tumbling windows: fixed size, no overlap. Each window fires once the watermark reaches its
// last millisecond (end - 1); its results carry that as their timestamp.
import { minutes, type Pipeline, tumblingWindows } from 'brook';

interface Reading {
  meter: string;
  kwh: number;
}

export default (p: Pipeline) => {
  p.input<Reading>({ name: 'readings' })
    .keyBy((r) => r.meter)
    .window(tumblingWindows(minutes(15)))
    .sum((r) => r.kwh)
    .sink('kwh-per-quarter-hour');
};
