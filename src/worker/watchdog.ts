// Stops user code that never returns. While a call into the worker is outstanding, the page
// pings the worker every few hundred ms; a worker that has not answered any ping for `limit`
// ms is stuck in user code (an endless loop in a map function, say) and is reported, so the
// host can terminate it. Invariant: an idle worker is never pinged, so it is never declared stuck.

/**
 * Silence (ms) allowed while a fresh worker starts and compiles the code (`EngineApi.prepare`):
 * no user code runs then, and on two busy cores the worker's start-up and the compiler's first
 * run can take seconds. Calls that run user code keep the usual limit.
 */
export const PREPARE_LIMIT = 15_000;

export interface WatchdogOptions {
  /**
   * How long without an answer means stuck. Default 1200 ms: with a check every 200 ms and the
   * page's own stalls forgiven, a loop is still stopped within 2 s on a busy machine.
   */
  readonly limit?: number;
  /** How often to check and ping. Default 200 ms. */
  readonly interval?: number;
  /** The wall clock; `performance.now` by default. */
  readonly now?: () => number;
}

/** Watches one worker through its `ping`. */
export class Watchdog {
  private readonly limit: number;
  private readonly interval: number;
  private readonly now: () => number;
  private busy = 0;
  private lastAnswer = 0;
  private lastTick = 0;
  private pingOutstanding = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private fired = false;
  /** Limits of outstanding calls watched more leniently (work that is not user code); the longest applies. */
  private readonly longer: number[] = [];

  constructor(
    private readonly ping: () => Promise<unknown>,
    private readonly onStuck: (silentFor: number) => void,
    options: WatchdogOptions = {},
  ) {
    this.limit = options.limit ?? 1200;
    this.interval = options.interval ?? 200;
    this.now = options.now ?? (() => performance.now());
  }

  /**
   * Runs `call` under watch: while it (or any other watched call) is outstanding, the worker
   * must answer pings.
   */
  async watch<T>(call: () => Promise<T>, limit?: number): Promise<T> {
    if (this.busy++ === 0) {
      this.lastAnswer = this.lastTick = this.now();
      this.timer = setInterval(() => this.tick(), this.interval);
    }
    if (limit !== undefined) this.longer.push(limit);
    try {
      return await call();
    } finally {
      // The worker replied: as good an answer as a ping's (after a long call, the next one is
      // timed from here, not from the last ping before it).
      this.lastAnswer = this.now();
      if (limit !== undefined) this.longer.splice(this.longer.indexOf(limit), 1);
      if (--this.busy === 0) this.stopTimer();
    }
  }

  /** Stops watching for good (the worker was killed). */
  dispose(): void {
    this.fired = true;
    this.stopTimer();
  }

  private tick(): void {
    if (this.fired) return;
    // A tick far behind its interval means the page itself was busy (a long task): the worker's
    // answer may be waiting in the page's queue, so that time does not count as its silence.
    const now = this.now();
    const late = now - this.lastTick - this.interval;
    this.lastTick = now;
    if (late > this.interval) this.lastAnswer += late;
    const silentFor = now - this.lastAnswer;
    if (silentFor > Math.max(this.limit, ...this.longer)) {
      this.dispose();
      this.onStuck(silentFor);
      return;
    }
    if (this.pingOutstanding) return;
    this.pingOutstanding = true;
    this.ping().then(
      () => {
        this.pingOutstanding = false;
        this.lastAnswer = this.now();
      },
      () => {
        this.pingOutstanding = false;
      },
    );
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
