// Per-meter totals written by an exactly-once (two-phase commit) sink and an at-least-once
// one while the job crashes: compare what each sink's store holds.
import { boundedOutOfOrderness, type Pipeline, seconds, tumblingWindows } from 'brook';

const readings = Array.from({ length: 240 }, (_, seq) => ({ meter: `m${seq % 3}`, wh: ((seq * 7) % 10) + 1, seq }));

export default (p: Pipeline) => {
  const totals = p
    .fromArray(readings, { timestampOf: (r) => r.seq * 50, watermarks: boundedOutOfOrderness(300), uid: 'readings' })
    .keyBy((r) => r.meter)
    .window(tumblingWindows(seconds(1)))
    .sum((r) => r.wh)
    .uid('meter-totals');
  totals.sinkTo('billing', { guarantee: 'exactlyOnce', uid: 'billing' });
  totals.sinkTo('dashboard', { guarantee: 'atLeastOnce', uid: 'dashboard' });
};
