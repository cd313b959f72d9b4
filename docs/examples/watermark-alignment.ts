// Watermark alignment: partition 0 replays a backlog fast, partition 1 is live and slow.
// Partition 0 may run at most 10 s of event time ahead of the slowest partition; beyond that
// it pauses (reads nothing) until partition 1 catches up. Look at when each record was read.
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
    name: 'events',
    partitions: 2,
    partitionOf: (value) => (value === 'backlog' ? 0 : 1),
    // Propose watermarks and check the group's minimum once a second; allow 10 s of drift.
    watermarks: monotonousTimestamps()
      .withEmitInterval(seconds(1))
      .withWatermarkAlignment('events', seconds(10), seconds(1)),
  }).sink('read');
};
