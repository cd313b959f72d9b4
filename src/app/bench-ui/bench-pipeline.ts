// The pipeline the UI benchmark runs: one million generated records, keyed and counted in
// tumbling event-time windows, with out-of-order arrivals and a few late stragglers, so every
// panel has work (dots, watermarks, panes, late marks, state, checkpoints, sink rows, metrics).

/** Records the benchmark generates. */
export const BENCH_RECORDS = 1_000_000;

/** The pipeline's TypeScript source, as a user would type it into the editor. */
export function benchPipeline(records = BENCH_RECORDS): string {
  return `import { boundedOutOfOrderness, type Pipeline, seconds, tumblingWindows } from 'brook';

export default (p: Pipeline) => {
  p.generator({
    partitions: 4,
    rate: 20_000,
    count: ${records},
    keys: { count: 1_000, skew: { zipf: 1.1 } },
    delay: { kind: 'uniform', min: 0, max: 1_500, late: { fraction: 0.0005, extra: seconds(10) } },
    value: (g) => ({ user: g.key, bytes: 100 + g.random.int(900) }),
  }, { name: 'clicks', watermarks: boundedOutOfOrderness(seconds(2)) })
    .keyBy((e) => e.user)
    .window(tumblingWindows(seconds(5)))
    .count()
    .sink('clicks-per-5s');
};
`;
}
