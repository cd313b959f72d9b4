// Count windows (Flink's countWindow): countWindows(3) fires every 3 elements of a key and
// starts afresh; countWindows(3, 1) fires on every element, over the key's last 3.
import { countWindows, type Pipeline, seconds, testStream } from 'brook';

const temperatures = testStream<number>()
  .addElements(
    { value: 20, timestamp: seconds(1) },
    { value: 22, timestamp: seconds(2) },
    { value: 27, timestamp: seconds(3) },
    { value: 21, timestamp: seconds(4) },
  )
  .advanceWatermarkToInfinity();

export default (p: Pipeline) => {
  const keyed = p.input<number>({ name: 'temperatures', default: temperatures }).keyBy(() => 'sensor-1');
  keyed.window(countWindows(3)).reduce((a, b) => Math.max(a, b)).sink('max-of-each-3');
  keyed.window(countWindows(3, 1)).reduce((a, b) => Math.max(a, b)).sink('max-of-last-3');
};
