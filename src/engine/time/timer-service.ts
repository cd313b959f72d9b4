// Event-time and processing-time timers of one subtask. Timers fire in (time, registration)
// order, so runs are deterministic; registering the same (key, namespace, time) twice is a
// no-op, as in Flink's InternalTimerService. Event-time timers fire when the watermark >= time.

import type { Key } from '../runtime/record-batch.ts';
import type { Window } from '../windows/window.ts';
import type { TimeDomain } from '../windows/triggers/trigger.ts';

/** A timer: a callback for a key (and window, for window operators) at a time. */
export interface Timer {
  readonly time: number;
  readonly key: Key | undefined;
  readonly window: Window | undefined;
  readonly domain: TimeDomain;
  readonly seq: number;
  cancelled: boolean;
}

/** Binary min-heap of timers ordered by time, then registration order. */
class TimerHeap {
  private items: Timer[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Timer | undefined {
    return this.items[0];
  }
  push(t: Timer): void {
    const a = this.items;
    a.push(t);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): Timer | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
  all(): readonly Timer[] {
    return this.items;
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

function timerId(domain: TimeDomain, time: number, key: Key | undefined, w: Window | undefined): string {
  const k = key === undefined ? '' : typeof key === 'number' ? `n${key}` : `s${key}`;
  const ns = w === undefined ? '' : `${w.start}:${w.end}`;
  return `${domain === 'eventTime' ? 'e' : 'p'}|${time}|${ns}|${k}`;
}

/** The timers of one subtask, in both time domains. */
export class TimerService {
  private readonly eventTimers = new TimerHeap();
  private readonly processingTimers = new TimerHeap();
  private readonly live = new Map<string, Timer>();
  private seq = 0;
  /** Told when the earliest processing-time timer changes, so the scheduler can wake up. */
  onProcessingTimerAdded: (time: number) => void = () => {};

  register(domain: TimeDomain, time: number, key: Key | undefined, window?: Window): void {
    const id = timerId(domain, time, key, window);
    if (this.live.has(id)) return;
    const timer: Timer = { time, key, window, domain, seq: this.seq++, cancelled: false };
    this.live.set(id, timer);
    if (domain === 'eventTime') this.eventTimers.push(timer);
    else {
      this.processingTimers.push(timer);
      this.onProcessingTimerAdded(time);
    }
  }

  delete(domain: TimeDomain, time: number, key: Key | undefined, window?: Window): void {
    const id = timerId(domain, time, key, window);
    const t = this.live.get(id);
    if (t !== undefined) {
      t.cancelled = true;
      this.live.delete(id);
    }
  }

  /** Removes and returns the next event-time timer due at `watermark`, if any. */
  nextEventTimer(watermark: number): Timer | undefined {
    return this.nextDue(this.eventTimers, watermark);
  }

  /** Removes and returns the next processing-time timer due at `now`, if any. */
  nextProcessingTimer(now: number): Timer | undefined {
    return this.nextDue(this.processingTimers, now);
  }

  /** The earliest pending processing-time timer, or +Infinity. */
  earliestProcessingTime(): number {
    for (;;) {
      const t = this.processingTimers.peek();
      if (t === undefined) return Number.POSITIVE_INFINITY;
      if (!t.cancelled) return t.time;
      this.processingTimers.pop();
    }
  }

  private nextDue(heap: TimerHeap, now: number): Timer | undefined {
    for (;;) {
      const t = heap.peek();
      if (t === undefined || t.time > now) return undefined;
      heap.pop();
      if (t.cancelled) continue;
      this.live.delete(timerId(t.domain, t.time, t.key, t.window));
      return t;
    }
  }

  /** Pending timers, for the state inspector and tests. */
  pending(): Timer[] {
    return [...this.live.values()].sort((a, b) => a.time - b.time || a.seq - b.seq);
  }

  get size(): number {
    return this.live.size;
  }
}
