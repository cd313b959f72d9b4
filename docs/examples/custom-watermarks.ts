// A custom, punctuated watermark strategy: the source sends a marker record at the end of
// every batch, and the watermark jumps to the marker's time as soon as it is read.
import { customWatermarks, type Pipeline, seconds, tumblingWindows } from 'brook';

type Event = { kind: 'sale'; cents: number } | { kind: 'batch-complete' };

const records: { value: Event; timestamp: number }[] = [
  { value: { kind: 'sale', cents: 500 }, timestamp: seconds(3) },
  { value: { kind: 'sale', cents: 700 }, timestamp: seconds(9) },
  { value: { kind: 'batch-complete' }, timestamp: seconds(10) },
  { value: { kind: 'sale', cents: 200 }, timestamp: seconds(14) },
];

const batchMarkers = customWatermarks('BatchMarkers', () => ({
  // Punctuated: a marker at t promises that nothing at or before t is still to come.
  onEvent: (timestamp, event) => ((event as Event).kind === 'batch-complete' ? timestamp : undefined),
  // Periodic emission adds nothing here.
  onPeriodicEmit: () => Number.NEGATIVE_INFINITY,
}));

export default (p: Pipeline) => {
  p.fromRecords(records, { name: 'sales', watermarks: batchMarkers })
    .filter((e) => e.kind === 'sale')
    .map((e) => (e.kind === 'sale' ? e.cents : 0))
    .windowAll(tumblingWindows(seconds(10)))
    .sum((cents) => cents)
    .sink('revenue');
};
