import { describe, it, expect } from 'vitest';
import {
  afterAll,
  afterCount,
  afterEach,
  afterFirst,
  afterProcessingTime,
  afterWatermark,
  defaultTrigger,
  never,
  repeatedly,
  sessionWindows,
  tumblingWindows,
  type Trigger,
} from '../../../src/engine/api/index.ts';
import { at, id, numbers, rec, run } from './harness.ts';

const W = '[0, 10000)';
const END = 9999;

/** One element (value 2^i at timestamp 1000 + i) every 100 ms of processing time, then the end. */
function oneByOne(n: number) {
  let b = numbers().advanceWatermarkTo(0);
  for (let i = 0; i < n; i++) b = b.addElements(at(1000 + i, 2 ** i)).advanceProcessingTime(100);
  return b.advanceWatermarkToInfinity();
}

const sumWith = (trigger: Trigger, n: number) => run(oneByOne(n), (k) => k.window(tumblingWindows(10_000)).trigger(trigger).sum(id).sink('out'));

describe('composite triggers', () => {
  it('afterEach runs its triggers in order and closes the window when the last finishes', () => {
    const r = sumWith(afterEach(afterCount(2), afterCount(3)), 6);
    // Beam's AfterEach.inOrder: 2 elements (1+2), then 3 more (+4+8+16); then finished: the 6th is dropped.
    expect(r.out).toEqual([rec('a', 3, W, 'EARLY 0/-1 first', END, 100), rec('a', 31, W, 'EARLY 1/-1 last', END, 400)]);
    expect(r.events('recordDropped').map((e) => [e.reason, e.eventTime])).toEqual([['windowClosed', 1005]]);
  });

  it('afterFirst fires once, when the first of its triggers is ready', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceProcessingTime(500)
      .addElements(at(2000, 2))
      .advanceProcessingTime(1000)
      .addElements(at(3000, 4))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) =>
      k.window(tumblingWindows(10_000)).trigger(afterFirst(afterCount(3), afterProcessingTime().plusDelayOf(1000))).sum(id).sink('out'),
    );
    // The 1 s delay (target pt 1000, fired at 1001, once the clock is past it) comes before the 3rd
    // element (pt 1500); AfterFirst is a OnceTrigger.
    expect(r.out).toEqual([rec('a', 3, W, 'EARLY 0/-1 first last', END, 1001)]);
  });

  it('repeatedly(afterFirst(count, delay)) fires on whichever comes first, each round', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceProcessingTime(2000)
      .addElements(at(2000, 2), at(3000, 4), at(4000, 8))
      .advanceProcessingTime(2000)
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) =>
      k
        .window(tumblingWindows(10_000))
        .trigger(repeatedly(afterFirst(afterCount(3), afterProcessingTime().plusDelayOf(1000))))
        .discardingFiredPanes()
        .sum(id)
        .sink('out'),
    );
    // Round 1: the delay (target pt 1000) wins at pt 1001 ([1]). Round 2: three elements at pt 2000
    // win ([2,4,8]). The count firing also cleared the delay started by 2000, so nothing fires at pt 3001.
    expect(r.out).toEqual([
      rec('a', 1, W, 'EARLY 0/-1 first', END, 1001),
      rec('a', 14, W, 'EARLY 1/-1', END, 2000),
      rec('a', 0, W, 'ON_TIME 2/0 last', END, 4000),
    ]);
  });

  it('afterAll fires once every trigger has been ready', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceProcessingTime(1000)
      .advanceProcessingTime(500)
      .addElements(at(2000, 2))
      .advanceProcessingTime(500)
      .addElements(at(3000, 4))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) =>
      k.window(tumblingWindows(10_000)).trigger(afterAll(afterCount(2), afterProcessingTime().plusDelayOf(1000))).sum(id).sink('out'),
    );
    // The delay is ready at pt 1000 but the count only at pt 1500: AfterAll fires then, and finishes.
    expect(r.out).toEqual([rec('a', 3, W, 'EARLY 0/-1 first last', END, 1500)]);
    expect(r.events('recordDropped').map((e) => [e.reason, e.eventTime])).toEqual([['windowClosed', 3000]]);
  });

  it('never() fires only the final pane when the window expires', () => {
    const r = sumWith(never(), 3);
    // Beam's Never.ever() never fires; the garbage-collection firing emits the contents, ON_TIME and last.
    expect(r.out).toEqual([rec('a', 7, W, 'ON_TIME 0/0 first last', END, 300)]);
  });

  it('orFinally fires with the main trigger until the until-trigger fires, then closes the window', () => {
    const r = sumWith(repeatedly(afterCount(1)).orFinally(afterCount(3)), 4);
    // Beam's OrFinally: both see every element; the 3rd element makes the until-trigger fire and finish.
    expect(r.out).toEqual([
      rec('a', 1, W, 'EARLY 0/-1 first', END, 0),
      rec('a', 3, W, 'EARLY 1/-1', END, 100),
      rec('a', 7, W, 'EARLY 2/-1 last', END, 200),
    ]);
    expect(r.events('recordDropped').map((e) => [e.reason, e.eventTime])).toEqual([['windowClosed', 1003]]);
  });

  it('orFinally(afterWatermark()) ends speculative firings with the ON_TIME pane', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1), at(2000, 2))
      .advanceProcessingTime(100)
      .addElements(at(3000, 4))
      .advanceProcessingTime(100)
      .advanceWatermarkTo(END)
      .advanceProcessingTime(100)
      .addElements(at(4000, 8))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) =>
      k.window(tumblingWindows(10_000)).trigger(repeatedly(afterCount(2)).orFinally(afterWatermark())).allowedLateness(10_000).sum(id).sink('out'),
    );
    // Count panes until the watermark passes the end; that firing is final; the late 8 hits a closed window.
    expect(r.out).toEqual([rec('a', 3, W, 'EARLY 0/-1 first', END, 0), rec('a', 7, W, 'ON_TIME 1/0 last', END, 200)]);
    expect(r.events('recordDropped').map((e) => [e.reason, e.eventTime])).toEqual([['windowClosed', 4000]]);
  });

  it('defaultTrigger() set explicitly behaves like no trigger: on time, then once per late element', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceWatermarkTo(10_000)
      .advanceProcessingTime(100)
      .addElements(at(2000, 2))
      .advanceProcessingTime(100)
      .addElements(at(3000, 4))
      .advanceWatermarkToInfinity();
    const build = (t: Trigger | undefined) =>
      run(spec, (k) => {
        const w = k.window(tumblingWindows(10_000));
        (t ? w.trigger(t) : w).allowedLateness(5000).sum(id).sink('out');
      });
    // Beam's DefaultTrigger = Repeatedly(AfterWatermark): never finishes, fires whenever W is past the end.
    const expected = [
      rec('a', 1, W, 'ON_TIME 0/0 first', END, 0),
      rec('a', 3, W, 'LATE 1/1', END, 100),
      rec('a', 7, W, 'LATE 2/2', END, 200),
    ];
    expect(build(defaultTrigger()).out).toEqual(expected);
    expect(build(undefined).out).toEqual(expected);
    expect(build(repeatedly(afterWatermark())).out).toEqual(expected);
  });

  it('afterEach in merging windows: a merge reopens the first step still unfinished in a merged window', () => {
    const spec = numbers()
      .advanceWatermarkTo(0)
      .addElements(at(1000, 1))
      .advanceProcessingTime(2000)
      .addElements(at(8000, 2))
      .advanceProcessingTime(500)
      .addElements(at(5000, 4))
      .advanceProcessingTime(1000)
      .addElements(at(6000, 8))
      .addElements(at(7000, 16))
      .advanceWatermarkToInfinity();
    const r = run(spec, (k) =>
      k.window(sessionWindows(5000)).trigger(afterEach(afterProcessingTime().plusDelayOf(1000), afterCount(2))).sum(id).sink('out'),
    );
    // [1000,6000) passes step 1 at pt 1001 (delay until 1000, fired once the clock is past it).
    // [8000,13000) starts step 1 at pt 2000 (delay until 3000). 5000 merges both at pt 2500 into the
    // new [1000,13000): Beam's AfterEach.onMerge merges step 1 (unfinished in one window, so
    // unfinished; earliest delay 3000), and step 2 has not started. Step 1 fires at pt 3001; step 2
    // then counts 6000 and 7000 and closes the window.
    expect(r.out).toEqual([
      rec('a', 1, '[1000, 6000)', 'EARLY 0/-1 first', 5999, 1001),
      rec('a', 7, '[1000, 13000)', 'EARLY 0/-1 first', 12_999, 3001),
      rec('a', 31, '[1000, 13000)', 'EARLY 1/-1 last', 12_999, 3500),
    ]);
  });

  it('triggers print as Beam prints them', () => {
    // Beam's toString forms, so traces and errors name triggers the way the Beam docs do.
    expect(String(repeatedly(afterFirst(afterCount(3), afterProcessingTime().plusDelayOf(1000))))).toBe(
      'Repeatedly.forever(AfterFirst.of(AfterPane.elementCountAtLeast(3), AfterProcessingTime.pastFirstElementInPane().plusDelayOf(1000 ms)))',
    );
    expect(String(afterWatermark().withEarlyFirings(afterCount(1)).withLateFirings(afterCount(2)))).toBe(
      'AfterWatermark.pastEndOfWindow().withEarlyFirings(AfterPane.elementCountAtLeast(1)).withLateFirings(AfterPane.elementCountAtLeast(2))',
    );
    // Beam leaves out a late trigger that never fires.
    expect(String(afterWatermark().withLateFirings(never()))).toBe('AfterWatermark.pastEndOfWindow()');
    expect(String(afterEach(afterCount(1), never()).orFinally(afterAll(afterCount(2))))).toBe(
      'AfterEach.inOrder(AfterPane.elementCountAtLeast(1), Never.ever()).orFinally(AfterAll.of(AfterPane.elementCountAtLeast(2)))',
    );
  });
});
