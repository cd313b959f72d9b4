// Exactly-once delivery across real crashes: electricity meters summed per meter in 1-second
// windows, written to two sinks of an external store while the job is crashed and restarted.
//
//   npx brook run examples/exactly-once.ts --checkpoint-interval 1000 --crash-random 5
//   npx brook run examples/exactly-once.ts --checkpoint-interval 1000 --crash-random 5 --guarantee at-least-once
//
// With --checkpoint-interval the job takes a checkpoint every second and runs under the
// durable driver: a crash throws the job away, and a new one restores the newest complete
// checkpoint and replays the readings since. --crash-random 5 crashes it 5 times, at times
// drawn with the seed (--seed; the summary on standard error lists them).
//
// - "billing" chooses its guarantee: exactly-once. Its results go into a transaction per
//   checkpoint, committed when the checkpoint completes (two-phase commit), so a reader sees
//   each total once, whatever the crashes: the summary says 0 duplicated, 0 lost.
// - "dashboard" is a plain sink(): it takes --guarantee (exactly-once unless told otherwise).
//   With --guarantee at-least-once it writes at once, and the replay after a crash writes the
//   totals since the restored checkpoint again: the summary counts the duplicates.
//
// Without --checkpoint-interval it is a plain run that prints every total once.
import { boundedOutOfOrderness, type Pipeline, seconds, tumblingWindows } from 'brook';

/** One reading of a meter: watt-hours used since its previous reading. */
export interface Reading {
  meter: string;
  wh: number;
  seq: number;
}

/** 240 readings of 3 meters, one every 50 ms of event time: 12 seconds of data. */
export const readings: Reading[] = Array.from({ length: 240 }, (_, seq) => ({
  meter: `m${seq % 3}`,
  wh: ((seq * 7) % 10) + 1,
  seq,
}));

/** The source and the per-meter totals; uids keep their state matched across code changes (savepoints). */
export function meterTotals(p: Pipeline) {
  return (
    p
      // A reading arrives when it happens, but the watermark trails 300 ms behind, so a
      // window's total comes out 300 ms after the window ends, between two checkpoints.
      .fromArray(readings, { timestampOf: (r) => r.seq * 50, watermarks: boundedOutOfOrderness(300), uid: 'readings' })
      .keyBy((r) => r.meter)
      .window(tumblingWindows(seconds(1)))
      .sum((r) => r.wh)
      .uid('meter-totals')
  );
}

export default (p: Pipeline) => {
  const totals = meterTotals(p);
  totals.sinkTo('billing', { guarantee: 'exactlyOnce', uid: 'billing' });
  totals.sink('dashboard');
};
