// Timers and side outputs: an order not paid within 10 s (event time) triggers a reminder on
// the main output; a payment with no open order goes to the side output "unmatched".
import { type Pipeline, seconds, testStream } from 'brook';

type Event = { kind: 'order' | 'payment'; order: string };

const events = testStream<Event>()
  .advanceWatermarkTo(0)
  .addElements(
    { value: { kind: 'order', order: 'o1' }, timestamp: seconds(1) },
    { value: { kind: 'order', order: 'o2' }, timestamp: seconds(2) },
    { value: { kind: 'payment', order: 'o1' }, timestamp: seconds(5) },
    { value: { kind: 'payment', order: 'o3' }, timestamp: seconds(6) },
  )
  .advanceWatermarkTo(seconds(15))
  .advanceWatermarkToInfinity();

export default (p: Pipeline) => {
  const reminders = p
    .input<Event>({ name: 'events', default: events })
    .keyBy((e) => e.order)
    .process<string>({
      processElement(e, ctx) {
        const deadline = ctx.state.value<number>('deadline');
        if (e.kind === 'order') {
          deadline.update(ctx.timestamp + seconds(10));
          ctx.timerService.registerEventTimeTimer(ctx.timestamp + seconds(10));
        } else if (deadline.value() !== undefined) {
          ctx.timerService.deleteEventTimeTimer(deadline.value()!);
          deadline.clear();
        } else {
          ctx.outputTo('unmatched', e);
        }
      },
      onTimer(time, ctx) {
        ctx.output(`remind ${ctx.key}: unpaid at ${time} (${ctx.timeDomain})`);
        ctx.state.value<number>('deadline').clear();
      },
    });

  reminders.sink('reminders');
  reminders.getSideOutput<Event>('unmatched').sink('unmatched-payments');
};
