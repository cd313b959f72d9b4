// Runs a pipeline from code and reads what happened: the sink records, and the trace events
// that explain them. Returns the lines it would print.
import { type Pipeline, runPipeline, seconds, testStream, tumblingWindows } from 'brook';

function countClicks(p: Pipeline): void {
  p.input<string>({ name: 'clicks' })
    .keyBy((page) => page)
    .window(tumblingWindows(seconds(10)))
    .count()
    .sink('clicks');
}

export default function main(): string[] {
  const input = testStream<string>()
    .advanceWatermarkTo(0)
    .addElements({ value: '/home', timestamp: seconds(1) }, { value: '/home', timestamp: seconds(4) })
    .advanceWatermarkTo(seconds(10))
    .addElements({ value: '/home', timestamp: seconds(5) })
    .advanceWatermarkToInfinity();

  const { records, trace } = runPipeline(countClicks, { input, seed: 7, collectTrace: true });

  const lines = records.map((r) => `${r.sink}: ${r.key} = ${String(r.value)} at ${r.processingTime}`);
  for (const event of trace) {
    if (event.type === 'paneFired') {
      lines.push(`pane ${event.pane.timing} of [${event.window.start}, ${event.window.end}) for ${event.key}: ${event.elements} elements`);
    } else if (event.type === 'recordDropped') {
      lines.push(`dropped ${event.key} at ${event.eventTime}: ${event.reason}, watermark ${event.watermark}`);
    } else if (event.type === 'jobFinished') {
      lines.push(`finished at processing time ${event.pt}`);
    }
  }
  return lines;
}
