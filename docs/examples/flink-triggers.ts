// Flink's triggers return a TriggerResult: CONTINUE, FIRE, PURGE or FIRE_AND_PURGE. Windows
// that use them emit only non-empty panes and never fire just because they expire.
import {
  countTrigger,
  eventTimeTrigger,
  flinkTrigger,
  type Pipeline,
  purgingTrigger,
  seconds,
  testStream,
  type Trigger,
  tumblingWindows,
} from 'brook';

interface Payment {
  cents: number;
}

const payments = testStream<Payment>()
  .advanceWatermarkTo(0)
  .addElements(
    { value: { cents: 100 }, timestamp: seconds(1) },
    { value: { cents: 50_000 }, timestamp: seconds(2) },
    { value: { cents: 300 }, timestamp: seconds(3) },
  )
  .advanceWatermarkTo(seconds(60))
  .advanceWatermarkToInfinity();

/** Fires at once for a payment over 100 euros, and at the end of the window. */
const bigPayment = flinkTrigger<Payment>({
  name: 'BigPaymentTrigger',
  onElement: (payment, _timestamp, window, ctx) => {
    ctx.registerEventTimeTimer(window.end - 1);
    return payment.cents > 10_000 ? 'FIRE' : 'CONTINUE';
  },
  onEventTime: (time, window) => (time === window.end - 1 ? 'FIRE' : 'CONTINUE'),
  onProcessingTime: () => 'CONTINUE',
});

export default (p: Pipeline) => {
  const input = p.input<Payment>({ name: 'payments', default: payments });
  const total = (sink: string, trigger: Trigger) =>
    input.keyBy(() => 'shop').window(tumblingWindows(seconds(60))).trigger(trigger).sum((x) => x.cents).sink(sink);

  total('event-time', eventTimeTrigger()); // Flink's default for event-time windows
  total('every-2', countTrigger(2)); // fires the whole window every 2 elements
  total('every-2-purged', purgingTrigger(countTrigger(2))); // ... and empties it each time
  total('big-payments', bigPayment);
};
