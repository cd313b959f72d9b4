// Parsing readings where one is malformed: instead of throwing (a restart loop, since every
// replay meets the same record), the bad record goes to a dead-letter side output.
import { type Pipeline, seconds, testStream } from 'brook';

const raw = testStream<string>()
  .advanceWatermarkTo(0)
  .addElements({ value: 'meter-001;0.42', timestamp: seconds(1) }, { value: 'meter-002;0.38', timestamp: seconds(2) })
  .advanceProcessingTime(seconds(3))
  .addElements({ value: 'meter-003;zero point four', timestamp: seconds(3) }, { value: 'meter-001;0.40', timestamp: seconds(4) })
  .advanceProcessingTime(seconds(3))
  .advanceWatermarkToInfinity();

export default (p: Pipeline) => {
  const parsed = p.input<string>({ name: 'raw-readings', default: raw }).process<{ meter: string; kwh: number }>({
    processElement(line, ctx) {
      const [meter, kwh] = line.split(';');
      const value = Number(kwh);
      if (meter === undefined || !Number.isFinite(value)) {
        ctx.outputTo('dead-letter', { line, error: `not a number: "${kwh}"` });
        return;
      }
      ctx.output({ meter, kwh: value });
    },
  });
  parsed.sink('readings');
  parsed.getSideOutput('dead-letter').sink('dead-letter');
};
