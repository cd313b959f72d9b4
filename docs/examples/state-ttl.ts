// State time-to-live: a value written with a TTL of 1 minute (processing time) is gone a
// minute after it was last written, as if it had been cleared (Flink's StateTtlConfig).
import { minutes, type Pipeline, seconds, testStream } from 'brook';

const logins = testStream<string>()
  .addElements({ value: 'ana', timestamp: 0 })
  .advanceProcessingTime(seconds(30))
  .addElements({ value: 'ana', timestamp: seconds(30) })
  .advanceProcessingTime(minutes(2))
  .addElements({ value: 'ana', timestamp: seconds(150) })
  .advanceWatermarkToInfinity();

export default (p: Pipeline) => {
  p.input<string>({ name: 'logins', default: logins })
    .keyBy((user) => user)
    .process<string>({
      processElement(user, ctx) {
        const last = ctx.state.value<number>('last-login', { ttl: { ttl: minutes(1) } });
        const previous = last.value();
        ctx.output(previous === undefined ? `${user}: welcome` : `${user}: welcome back, last seen at ${previous}`);
        last.update(ctx.timerService.currentProcessingTime());
      },
    })
    .sink('greetings');
};
