// Restart strategies, as Flink's: whether a failed job restarts, and after how long. The delay
// is reported in the trace (Brook's recovery rewinds the virtual clock to the checkpoint, so the
// downtime is kept as a separate "wall" time that the driver adds up).

/** How a job reacts to failures (Flink's restart strategies). */
export type RestartStrategy =
  | { readonly kind: 'none' }
  /** At most `attempts` restarts, each after `delay` ms. */
  | { readonly kind: 'fixedDelay'; readonly attempts: number; readonly delay: number }
  /** Restarts forever, the delay doubling (by `multiplier`) from `initial` up to `max`. */
  | { readonly kind: 'exponentialBackoff'; readonly initial: number; readonly max: number; readonly multiplier?: number }
  /** Gives up when more than `maxFailures` happen within `interval` ms of wall time. */
  | { readonly kind: 'failureRate'; readonly maxFailures: number; readonly interval: number; readonly delay: number };

/** Decides, after the `failures`-th failure at wall time `now`, whether to restart and after how long. */
export function nextRestart(strategy: RestartStrategy, failureTimes: readonly number[]): { restart: boolean; delay: number } {
  const failures = failureTimes.length;
  switch (strategy.kind) {
    case 'none':
      return { restart: false, delay: 0 };
    case 'fixedDelay':
      return { restart: failures <= strategy.attempts, delay: strategy.delay };
    case 'exponentialBackoff': {
      const m = strategy.multiplier ?? 2;
      return { restart: true, delay: Math.min(strategy.max, strategy.initial * m ** (failures - 1)) };
    }
    case 'failureRate': {
      const now = failureTimes[failures - 1] ?? 0;
      const recent = failureTimes.filter((t) => t > now - strategy.interval).length;
      return { restart: recent <= strategy.maxFailures, delay: strategy.delay };
    }
  }
}

/** Brook's default: up to 3 restarts, 1 s apart (Flink's fixed-delay default when checkpointing). */
export const DEFAULT_RESTART: RestartStrategy = { kind: 'fixedDelay', attempts: 3, delay: 1000 };
