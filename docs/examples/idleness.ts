// A source with two partitions. Partition 1 sends a record at 2 s, then nothing until 60 s.
// The source's watermark is the minimum over its partitions, so partition 1 holds it back,
// until withIdleness marks the partition idle after 5 s of processing time without records.
import { monotonousTimestamps, type Pipeline, seconds, tumblingWindows, type WatermarkStrategy } from 'brook';

// Round-robin: even indexes go to partition 0, odd ones to partition 1.
const records = [
  { value: 'p0', timestamp: seconds(1) },
  { value: 'p1', timestamp: seconds(2) },
  { value: 'p0', timestamp: seconds(11) },
  { value: 'p1', timestamp: seconds(13), arrival: seconds(60) },
  { value: 'p0', timestamp: seconds(21), arrival: seconds(70) },
];

export default (p: Pipeline) => {
  const count = (name: string, watermarks: WatermarkStrategy) =>
    p
      .fromRecords(records, { name, partitions: 2, watermarks })
      .windowAll(tumblingWindows(seconds(10)))
      .count()
      .sink(name);

  count('waits-for-partition-1', monotonousTimestamps());
  count('idle-after-5s', monotonousTimestamps().withIdleness(seconds(5)));
};
