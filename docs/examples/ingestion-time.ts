// Ingestion time: each record is stamped with the processing time it arrives at, so windows
// follow arrival: "b" happened at 0:02 but arrives at 1:10, so it counts in the second minute.
import { minutes, type Pipeline, seconds, tumblingWindows } from 'brook';

export default (p: Pipeline) => {
  p.fromRecords(
    [
      { value: 'a', timestamp: seconds(1), arrival: seconds(1) },
      { value: 'b', timestamp: seconds(2), arrival: seconds(70) },
      { value: 'c', timestamp: seconds(75), arrival: seconds(75) },
    ],
    { ingestionTime: true },
  )
    .windowAll(tumblingWindows(minutes(1)))
    .count()
    .sink('per-minute');
};
