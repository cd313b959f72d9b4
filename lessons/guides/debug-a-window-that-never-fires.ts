// A window held back by a silent partition, and the same window with idleness. Partition 1
// sends one record at 2 s, then nothing until 60 s; the watermark is the minimum over both.
import { monotonousTimestamps, type Pipeline, seconds, tumblingWindows, type WatermarkStrategy } from 'brook';

const records = [
  { value: 'p0', timestamp: seconds(1) },
  { value: 'p1', timestamp: seconds(2) },
  { value: 'p0', timestamp: seconds(11) },
  { value: 'p0', timestamp: seconds(21) },
  { value: 'p1', timestamp: seconds(61), arrival: seconds(61) },
];

export default (p: Pipeline) => {
  const count = (name: string, watermarks: WatermarkStrategy) =>
    p
      .fromRecords(records, { name, partitions: 2, partitionOf: (v) => (v === 'p0' ? 0 : 1), watermarks })
      .windowAll(tumblingWindows(seconds(10)))
      .count()
      .sink(name);
  count('held-back', monotonousTimestamps());
  count('with-idleness', monotonousTimestamps().withIdleness(seconds(5)));
};
