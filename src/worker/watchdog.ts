// Stops user code that never returns. While a call into the worker is outstanding, the page
// pings the worker every few hundred ms; a worker that has not answered any ping for `limit`
// ms is stuck in user code (an endless loop in a map function, say) and is reported, so the
// host can terminate it. Invariant: an idle worker is never pinged, so it is never declared stuck.

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
  async watch<T>(call: () => Promise<T>): Promise<T> {
    if (this.busy++ === 0) {
      this.lastAnswer = this.lastTick = this.now();
      this.timer = setInterval(() => this.tick(), this.interval);
    }
    try {
      return await call();
    } finally {
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
    if (silentFor > this.limit) {
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
