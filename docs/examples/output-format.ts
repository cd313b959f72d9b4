// What a sink record looks like: a plain record, a keyed one, and window results (with
// window and pane), including the global window's, whose timestamp is "+inf".
import { globalWindows, type Pipeline, seconds, testStream, tumblingWindows } from 'brook';

const temperatures = testStream<number>()
  .advanceWatermarkTo(0)
  .addElements({ value: 21, timestamp: seconds(1) })
  .advanceProcessingTime(seconds(20))
  .advanceWatermarkTo(seconds(20))
  .advanceWatermarkToInfinity();

export default (p: Pipeline) => {
  const input = p.input<number>({ name: 'temperatures', default: temperatures });
  input.sink('plain');
  input.keyBy(() => 'room-1').sum((t) => t).sink('keyed');
  input.keyBy(() => 'room-1').window(tumblingWindows(seconds(10))).count().sink('windowed');
  input.keyBy(() => 'room-1').window(globalWindows()).count().sink('global');
};
