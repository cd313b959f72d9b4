// Event-time and processing-time timers of one subtask. Timers fire in (time, registration)
// order, so runs are deterministic; registering the same (key, window, time) twice is a no-op,
// as in Flink's InternalTimerService. Event-time timers fire when the watermark >= time.
//
// Timers are bucketed by time (window timers of many keys share one time), with a heap of the
// distinct times; a per-key list finds duplicates and deletions without building string ids.

import type { Key } from '../runtime/record-batch.ts';
import type { Window } from '../windows/window.ts';
import type { TimeDomain } from '../windows/triggers/trigger.ts';

/** A timer as a checkpoint keeps it. */
export interface TimerSnapshot {
  readonly domain: TimeDomain;
  readonly time: number;
  readonly key: Key | null;
  readonly window: [number, number] | null;
  readonly tracked: boolean;
}

/** A timer: a callback for a key (and window, for window operators) at a time. */
export interface Timer {
  readonly time: number;
  readonly key: Key | undefined;
  readonly window: Window | undefined;
  readonly domain: TimeDomain;
  readonly seq: number;
  cancelled: boolean;
  /** False for timers whose owner keeps track of them itself (window panes): no dedupe, no delete. */
  readonly tracked: boolean;
}

/** Min-heap of distinct times. */
class TimeHeap {
  private readonly a: number[] = [];
  get size(): number {
    return this.a.length;
  }
  peek(): number | undefined {
    return this.a[0];
  }
  push(t: number): void {
    const a = this.a;
    a.push(t);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]! <= a[i]!) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): void {
    const a = this.a;
    const last = a.pop()!;
    if (a.length === 0) return;
    a[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && a[l]! < a[m]!) m = l;
      if (r < a.length && a[r]! < a[m]!) m = r;
      if (m === i) break;
      [a[i], a[m]] = [a[m]!, a[i]!];
      i = m;
    }
  }
}

/** The timers of one domain: buckets of timers per time, in registration order. */
class TimerQueue {
  private readonly times = new TimeHeap();
  private readonly buckets = new Map<number, Timer[]>();
  private current: Timer[] | undefined;
  private currentAt = 0;

  /** Every queued timer (cancelled ones included), for listings. */
  *all(): IterableIterator<Timer> {
    for (const b of this.buckets.values()) {
      const from = b === this.current ? this.currentAt : 0;
      for (let i = from; i < b.length; i++) yield b[i]!;
    }
  }

  add(t: Timer): void {
    let b = this.buckets.get(t.time);
    if (b === undefined) {
      b = [];
      this.buckets.set(t.time, b);
      this.times.push(t.time);
    }
    b.push(t);
  }

  /** Removes and returns the next timer with time <= now (cancelled ones included). */
  next(now: number): Timer | undefined {
    for (;;) {
      const cur = this.current;
      if (cur !== undefined && this.currentAt < cur.length) return cur[this.currentAt++];
      // The bucket may have grown while it was being fired (a timer set for "now").
      if (cur !== undefined) {
        this.current = undefined;
        const time = cur[0]!.time;
        if (this.buckets.get(time) === cur) this.buckets.delete(time);
      }
      const time = this.times.peek();
      if (time === undefined || time > now) return undefined;
      this.times.pop();
      this.current = this.buckets.get(time);
      this.currentAt = 0;
      if (this.current === undefined) continue;
    }
  }

}

function sameTimer(t: Timer, domain: TimeDomain, time: number, w: Window | undefined): boolean {
  if (t.domain !== domain || t.time !== time) return false;
  const tw = t.window;
  return tw === w || (tw !== undefined && w !== undefined && tw.start === w.start && tw.end === w.end);
}

/** The timers of one subtask, in both time domains. */
export class TimerService {
  private readonly eventTimers = new TimerQueue();
  private readonly processingTimers = new TimerQueue();
  /** Live timers per key, for duplicates and deletion. */
  private readonly byKey = new Map<Key | undefined, Timer[]>();
  private count = 0;
  private seq = 0;
  /** Told when a processing-time timer is added, so the scheduler can wake up. */
  onProcessingTimerAdded: (time: number) => void = () => {};

  register(domain: TimeDomain, time: number, key: Key | undefined, window?: Window): void {
    let list = this.byKey.get(key);
    if (list === undefined) {
      list = [];
      this.byKey.set(key, list);
    } else {
      for (let i = 0; i < list.length; i++) if (sameTimer(list[i]!, domain, time, window)) return;
    }
    const timer: Timer = { time, key, window, domain, seq: this.seq++, cancelled: false, tracked: true };
    list.push(timer);
    this.enqueue(timer);
  }

  /**
   * Registers a timer its owner tracks itself: the window operator keeps each pane's timer
   * times, so it never registers one twice and ignores a timer whose pane is gone. Skipping
   * the per-key index saves three map operations per window pane.
   */
  registerOwned(domain: TimeDomain, time: number, key: Key | undefined, window: Window): void {
    this.enqueue({ time, key, window, domain, seq: this.seq++, cancelled: false, tracked: false });
  }

  private enqueue(timer: Timer): void {
    this.count++;
    if (timer.domain === 'eventTime') this.eventTimers.add(timer);
    else {
      this.processingTimers.add(timer);
      this.onProcessingTimerAdded(timer.time);
    }
  }

  delete(domain: TimeDomain, time: number, key: Key | undefined, window?: Window): void {
    const list = this.byKey.get(key);
    if (list === undefined) return;
    for (let i = 0; i < list.length; i++) {
      const t = list[i]!;
      if (sameTimer(t, domain, time, window)) {
        t.cancelled = true;
        this.forget(list, i, key);
        return;
      }
    }
  }

  private forget(list: Timer[], i: number, key: Key | undefined): void {
    const last = list.length - 1;
    if (i !== last) list[i] = list[last]!;
    list.pop();
    if (list.length === 0) this.byKey.delete(key);
    this.count--;
  }

  /** Removes and returns the next event-time timer due at `watermark`, if any. */
  nextEventTimer(watermark: number): Timer | undefined {
    return this.nextDue(this.eventTimers, watermark);
  }

  /** Removes and returns the next processing-time timer due at `now`, if any. */
  nextProcessingTimer(now: number): Timer | undefined {
    return this.nextDue(this.processingTimers, now);
  }

  private nextDue(q: TimerQueue, now: number): Timer | undefined {
    for (;;) {
      const t = q.next(now);
      if (t === undefined) return undefined;
      if (t.cancelled) continue;
      if (!t.tracked) {
        this.count--;
        return t;
      }
      const list = this.byKey.get(t.key)!;
      this.forget(list, list.indexOf(t), t.key);
      return t;
    }
  }

  /** Pending timers in firing order, for checkpoints. */
  snapshot(): TimerSnapshot[] {
    return this.pending().map((t) => ({
      domain: t.domain,
      time: t.time,
      key: t.key ?? null,
      window: t.window === undefined ? null : [t.window.start, t.window.end],
      tracked: t.tracked,
    }));
  }

  /** Registers a snapshot's timers again, in their original order (so ties still break the same way). */
  restore(timers: readonly TimerSnapshot[]): void {
    for (const t of timers) {
      const key = t.key ?? undefined;
      const w = t.window === null ? undefined : { start: t.window[0], end: t.window[1] };
      if (t.tracked || w === undefined) this.register(t.domain, t.time, key, w);
      else this.registerOwned(t.domain, t.time, key, w);
    }
  }

  /** Pending timers, for the state inspector and tests. */
  pending(): Timer[] {
    const all: Timer[] = [];
    for (const q of [this.eventTimers, this.processingTimers]) for (const t of q.all()) if (!t.cancelled) all.push(t);
    return all.sort((a, b) => a.time - b.time || a.seq - b.seq);
  }

  get size(): number {
    return this.count;
  }
}
