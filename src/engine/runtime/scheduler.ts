// The deterministic scheduler: owns the virtual processing clock. It alternates between
// draining every subtask that has queued input (round-robin, one element at a time) and
// jumping the clock to the next timed event. Events at the same time run in a fixed order of
// classes (timers, sources, watermark emission, alignment, checkpoints, metrics) and then by a
// stable entity number, never by when they were scheduled: a job restored from a checkpoint
// schedules its pending events in a different order, yet must run them in the same one.

/** The order in which events due at the same processing time run. */
export const EventClass = {
  /** Processing-time timers (Beam fires them before the next TestStream step). */
  timers: 1,
  /** Source polls and TestStream steps. */
  sources: 2,
  /** Periodic watermark emission (after the records that arrived at the same time). */
  watermarks: 3,
  /** Watermark-alignment announcements (after the watermarks they read). */
  alignment: 4,
  /** Checkpoint triggers: after everything else due at that time. */
  checkpoints: 5,
  /** Metrics for the trace only. */
  metrics: 6,
} as const;
export type EventClass = (typeof EventClass)[keyof typeof EventClass];

/** Something that has queued input to process. */
export interface Runnable {
  /** Processes one queued element; returns true if more remain. */
  runOne(): boolean;
  /** Whether the runnable is already in the ready queue (maintained by the scheduler). */
  queued: boolean;
}

interface TimedEvent {
  readonly time: number;
  readonly cls: number;
  readonly entity: number;
  readonly seq: number;
  readonly run: () => void;
}

export class Scheduler {
  private clock: number;
  private seq = 0;
  private ready: Runnable[] = [];
  private readyHead = 0;
  private readonly timed: TimedEvent[] = [];

  constructor(startTime: number) {
    this.clock = startTime;
  }

  /** Sets the clock of a scheduler that has not run yet (a job restored from a checkpoint). */
  resetClock(time: number): void {
    if (this.seq !== 0) throw new Error('the clock can only be reset before anything was scheduled');
    this.clock = time;
  }

  /** The current processing time. */
  get now(): number {
    return this.clock;
  }

  /**
   * Runs `run` when the clock reaches `time` (at once, after queued work, if it already has).
   * Among events due at the same time, `cls` orders first, then `entity` (a stable number of
   * the subtask or group that scheduled it), then scheduling order.
   */
  at(time: number, run: () => void, cls: EventClass, entity: number): void {
    const ev: TimedEvent = { time: Math.max(time, this.clock), cls, entity, seq: this.seq++, run };
    const a = this.timed;
    a.push(ev);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!earlier(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }

  /** Puts a runnable with new input at the back of the ready queue. */
  wake(r: Runnable): void {
    if (r.queued) return;
    r.queued = true;
    this.ready.push(r);
  }

  /**
   * Does one unit of work: one queued element if any subtask has input, else the next timed
   * event. Returns false when there is nothing left to do.
   */
  step(): boolean {
    if (this.readyHead < this.ready.length) {
      const r = this.ready[this.readyHead++]!;
      if (this.readyHead > 1024 && this.readyHead * 2 > this.ready.length) {
        this.ready = this.ready.slice(this.readyHead);
        this.readyHead = 0;
      }
      r.queued = false;
      if (r.runOne()) this.wake(r);
      return true;
    }
    const ev = this.popTimed();
    if (ev === undefined) return false;
    if (ev.time > this.clock) this.clock = ev.time;
    ev.run();
    return true;
  }

  /** Runs until nothing is left, or until the clock would pass `until`. */
  run(until = Number.POSITIVE_INFINITY): void {
    for (;;) {
      if (this.readyHead >= this.ready.length) {
        const next = this.timed[0];
        if (next === undefined || next.time > until) return;
      }
      if (!this.step()) return;
    }
  }

  /** When the next unit of work happens: now if a subtask has queued input, else the next timed event (+Infinity if none). */
  get nextEventTime(): number {
    if (this.readyHead < this.ready.length) return this.clock;
    const next = this.timed[0];
    return next === undefined ? Number.POSITIVE_INFINITY : Math.max(next.time, this.clock);
  }

  /** True when no work is queued and no timed event is pending. */
  get isIdle(): boolean {
    return this.readyHead >= this.ready.length && this.timed.length === 0;
  }

  private popTimed(): TimedEvent | undefined {
    const a = this.timed;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && earlier(a[l]!, a[m]!)) m = l;
        if (r < a.length && earlier(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

function earlier(a: TimedEvent, b: TimedEvent): boolean {
  if (a.time !== b.time) return a.time < b.time;
  if (a.cls !== b.cls) return a.cls < b.cls;
  if (a.entity !== b.entity) return a.entity < b.entity;
  return a.seq < b.seq;
}
