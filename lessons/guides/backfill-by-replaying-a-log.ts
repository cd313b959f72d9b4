// A replay with watermark alignment: partition 0 is a backlog read fast, partition 1 is live.
// The backlog may run at most 10 s of event time ahead of the slowest partition; beyond that
// it pauses until the live partition catches up.
import { monotonousTimestamps, type Pipeline, seconds } from 'brook';

const records = [
  { value: 'backlog', timestamp: seconds(0), arrival: seconds(0) },
  { value: 'backlog', timestamp: seconds(20), arrival: seconds(1) },
  { value: 'backlog', timestamp: seconds(40), arrival: seconds(2) },
  { value: 'live', timestamp: seconds(0), arrival: seconds(0) },
  { value: 'live', timestamp: seconds(10), arrival: seconds(10) },
  { value: 'live', timestamp: seconds(20), arrival: seconds(20) },
  { value: 'live', timestamp: seconds(30), arrival: seconds(30) },
];

export default (p: Pipeline) => {
  p.fromRecords(records, {
    name: 'readings-replay',
    partitions: 2,
    partitionOf: (value) => (value === 'backlog' ? 0 : 1),
    watermarks: monotonousTimestamps().withEmitInterval(seconds(1)).withWatermarkAlignment('replay', seconds(10), seconds(1)),
  }).sink('read');
};
