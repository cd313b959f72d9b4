// Keyed process functions, checked against Flink's KeyedProcessOperator: keyed state (value,
// list, map, reducing, aggregating) scoped to the current key, event-time timers that fire when the
// watermark reaches them (W >= t) and processing-time timers 1 ms after their time (clock > t), one timer per
// (key, time), side outputs, state time-to-live (StateTtlConfig, NeverReturnExpired), and errors
// from user code reported with the operator's name.

import { describe, expect, it } from 'vitest';
import {
  boundedOutOfOrderness,
  minutes,
  PipelineDefinitionError,
  runPipeline,
  runnerPings,
  seconds,
  testStream,
  UserCodeError,
  type KeyedProcessFunction,
  type Pipeline,
  type TestStreamSpec,
} from '../../../src/engine/api/index.ts';
import { runWithTrace, valuesOf } from '../harness.ts';

interface Ev {
  k: string;
  v: number;
}

const el = (k: string, v: number, timestamp: number) => ({ value: { k, v }, timestamp });

/** Runs `fn` keyed by `k` over the script and returns what reached the sink. */
function runKeyed<R>(spec: TestStreamSpec<Ev>, fn: KeyedProcessFunction<string, Ev, R>, name = 'fn') {
  return runWithTrace((p) => {
    p.testStream(spec).keyBy((e) => e.k).process<R>(fn, name).sink('out');
  });
}

describe('keyed state', () => {
  const spec = testStream<Ev>().advanceWatermarkTo(0).addElements(el('a', 1, 1), el('b', 2, 2), el('a', 3, 3), el('a', 4, 4), el('b', 5, 5)).advanceWatermarkToInfinity();

  it('value state holds one value per key', () => {
    const r = runKeyed<string>(spec, {
      processElement(e, ctx) {
        const sum = ctx.state.value<number>('sum');
        sum.update((sum.value() ?? 0) + e.v);
        ctx.output(`${ctx.key}:${sum.value()}`);
      },
    });
    // Each key has its own running sum: a 1, 1+3, 1+3+4; b 2, 2+5.
    expect(valuesOf(r.records)).toEqual(['a:1', 'b:2', 'a:4', 'a:8', 'b:7']);
  });

  it('list state appends, replaces and clears per key', () => {
    const r = runKeyed<string>(spec, {
      processElement(e, ctx) {
        const list = ctx.state.list<number>('seen');
        list.add(e.v);
        if (list.get().length === 2) {
          ctx.output(`${ctx.key}:${list.get().join(',')}`);
          list.update([list.get()[1]! * 10]);
        } else if (list.get().length === 3) {
          ctx.output(`${ctx.key}:${list.get().join(',')}`);
          list.clear();
        }
      },
    });
    // a: [1] -> [1,3] (output, replaced by [30]) -> [30,4] (output, replaced by [40]); b: [2] -> [2,5].
    expect(valuesOf(r.records)).toEqual(['a:1,3', 'a:30,4', 'b:2,5']);
  });

  it('map state keeps entries in insertion order, per key', () => {
    const words = testStream<{ user: string; word: string }>()
      .advanceWatermarkTo(0)
      .addElements(
        ...['x', 'y', 'x', '!'].map((word, i) => ({ value: { user: 'u1', word }, timestamp: i })),
        ...['z', '!'].map((word, i) => ({ value: { user: 'u2', word }, timestamp: 10 + i })),
      )
      .advanceWatermarkToInfinity();
    const r = runWithTrace((p) => {
      p.testStream(words)
        .keyBy((e) => e.user)
        .process<unknown>({
          processElement(e, ctx) {
            const counts = ctx.state.map<string, number>('counts');
            if (e.word !== '!') {
              counts.put(e.word, (counts.get(e.word) ?? 0) + 1);
              return;
            }
            ctx.output({ user: ctx.key, entries: counts.entries(), keys: counts.keys(), values: counts.values(), hasX: counts.contains('x') });
            counts.remove('x');
            ctx.output({ user: ctx.key, after: counts.entries(), empty: counts.isEmpty() });
            counts.clear();
            ctx.output({ user: ctx.key, cleared: counts.isEmpty() });
          },
        })
        .sink('out');
    });
    expect(valuesOf(r.records)).toEqual([
      { user: 'u1', entries: [['x', 2], ['y', 1]], keys: ['x', 'y'], values: [2, 1], hasX: true },
      { user: 'u1', after: [['y', 1]], empty: false },
      { user: 'u1', cleared: true },
      { user: 'u2', entries: [['z', 1]], keys: ['z'], values: [1], hasX: false },
      { user: 'u2', after: [['z', 1]], empty: false },
      { user: 'u2', cleared: true },
    ]);
  });

  it('reducing and aggregating state fold each added value in', () => {
    const r = runKeyed<string>(spec, {
      processElement(e, ctx) {
        const max = ctx.state.reducing<number>('max', (x, y) => Math.max(x, y));
        const avg = ctx.state.aggregating<number, { sum: number; n: number }, number>('avg', {
          createAccumulator: () => ({ sum: 0, n: 0 }),
          add: (v, acc) => ({ sum: acc.sum + v, n: acc.n + 1 }),
          getResult: (acc) => acc.sum / acc.n,
        });
        max.add(e.v);
        avg.add(e.v);
        ctx.output(`${ctx.key}:max=${max.get()},avg=${avg.get()}`);
      },
    });
    // a sees 1, 3, 4 (averages 1, 2, 8/3); b sees 2, 5.
    expect(valuesOf(r.records)).toEqual(['a:max=1,avg=1', 'b:max=2,avg=2', 'a:max=3,avg=2', `a:max=4,avg=${8 / 3}`, 'b:max=5,avg=3.5']);
  });
});

describe('event-time timers', () => {
  interface Fired {
    key: string;
    time: number;
    domain: string;
    watermark: number;
  }
  const onTimer: KeyedProcessFunction<string, Ev, Fired>['onTimer'] = (time, ctx) =>
    ctx.output({ key: ctx.key, time: ctx.timestamp, domain: ctx.timeDomain, watermark: ctx.timerService.currentWatermark() });

  it('fire once the watermark reaches them (W >= t), in time order, with the timer time as timestamp', () => {
    const spec = testStream<Ev>()
      .advanceWatermarkTo(0)
      .addElements(el('b', 300, 10), el('a', 100, 20), el('a', 200, 30))
      .advanceWatermarkTo(99)
      .advanceWatermarkTo(200)
      .advanceWatermarkTo(500)
      .advanceWatermarkToInfinity();
    const r = runKeyed<Fired>(spec, {
      processElement(e, ctx) {
        ctx.timerService.registerEventTimeTimer(e.v);
      },
      onTimer,
    });
    // Flink's InternalTimerServiceImpl.advanceWatermark fires every timer with t <= W, earliest first:
    // W = 99 fires nothing, W = 200 fires a@100 and a@200, W = 500 fires b@300.
    expect(r.records.map((x) => [x.value, x.timestamp])).toEqual([
      [{ key: 'a', time: 100, domain: 'eventTime', watermark: 200 }, 100],
      [{ key: 'a', time: 200, domain: 'eventTime', watermark: 200 }, 200],
      [{ key: 'b', time: 300, domain: 'eventTime', watermark: 500 }, 300],
    ]);
  });

  it('are one per key and time: registering twice fires once, deleting cancels', () => {
    const spec = testStream<Ev>()
      .advanceWatermarkTo(0)
      .addElements(el('a', 100, 1), el('a', 100, 2), el('b', 100, 3), el('c', -100, 4))
      .advanceWatermarkToInfinity();
    const r = runKeyed<Fired>(spec, {
      processElement(e, ctx) {
        if (e.v > 0) ctx.timerService.registerEventTimeTimer(e.v);
        else {
          ctx.timerService.registerEventTimeTimer(-e.v);
          ctx.timerService.deleteEventTimeTimer(-e.v);
        }
      },
      onTimer,
    });
    // a's two registrations at 100 are one timer; b has its own; c's is deleted before it fires.
    expect(r.records.map((x) => (x.value as Fired).key)).toEqual(['a', 'b']);
    expect(r.eventsOf('timerFired').map((e) => [e.key, e.time])).toEqual([
      ['a', 100],
      ['b', 100],
    ]);
  });

  it('set for a time the watermark has passed fire at the next watermark, and ones set in onTimer in the same advance', () => {
    const spec = testStream<Ev>().advanceWatermarkTo(1000).addElements(el('a', 500, 1)).advanceWatermarkTo(1001).advanceWatermarkToInfinity();
    const r = runKeyed<Fired>(spec, {
      processElement(e, ctx) {
        ctx.timerService.registerEventTimeTimer(e.v);
      },
      onTimer(time, ctx) {
        onTimer!(time, ctx);
        // Flink keeps polling the timer queue while its head is <= W, so this one fires in the same advance.
        if (time === 500) ctx.timerService.registerEventTimeTimer(700);
      },
    });
    // The timer at 500 (< W = 1000) is not fired at registration but when W next advances (1001).
    expect(valuesOf<Fired>(r.records).map((f) => [f.time, f.watermark])).toEqual([
      [500, 1001],
      [700, 1001],
    ]);
  });
});

describe('processing-time timers', () => {
  it('fire 1 ms after their time, once the clock is past it; ones still pending at the end are abandoned', () => {
    const spec = testStream<Ev>()
      .advanceWatermarkTo(0)
      .addElements(el('a', 100, 1), el('b', 5000, 2))
      .advanceProcessingTime(100)
      .advanceProcessingTime(1)
      .advanceWatermarkToInfinity();
    const r = runKeyed<unknown>(spec, {
      processElement(e, ctx) {
        ctx.timerService.registerProcessingTimeTimer(ctx.timerService.currentProcessingTime() + e.v);
      },
      onTimer(time, ctx) {
        ctx.output({ key: ctx.key, time, ts: ctx.timestamp, domain: ctx.timeDomain, now: ctx.timerService.currentProcessingTime() });
      },
    });
    // a's timer (0 + 100) does not fire when the clock reaches 100 but at 101: Flink schedules a
    // processing-time timer 1 ms after its time (ProcessingTimeServiceUtil.getProcessingTimeDelay).
    // onTimer gets the timer's own time (100), as does ctx.timestamp (Flink's OnTimerContext.timestamp()),
    // while the clock reads 101. b's (5000) is still pending when the input ends, and Flink does not
    // fire processing-time timers at the end of input. (Brook stamps the output with the timer's time;
    // Flink leaves records emitted from a processing-time timer without a timestamp.)
    expect(r.records.map((x) => [x.value, x.processingTime])).toEqual([[{ key: 'a', time: 100, ts: 100, domain: 'processingTime', now: 101 }, 101]]);
    expect(r.eventsOf('jobFinished')[0]!.abandonedProcessingTimers).toBe(1);
  });

  it('a timer for the current processing time fires 1 ms later, not at once', () => {
    const fn: KeyedProcessFunction<string, Ev, unknown> = {
      processElement(_e, ctx) {
        ctx.timerService.registerProcessingTimeTimer(ctx.timerService.currentProcessingTime());
      },
      onTimer(time, ctx) {
        ctx.output({ time, now: ctx.timerService.currentProcessingTime() });
      },
    };
    const stops = testStream<Ev>().advanceWatermarkTo(0).advanceProcessingTime(50).addElements(el('a', 1, 1)).advanceWatermarkToInfinity();
    const goesOn = testStream<Ev>().advanceWatermarkTo(0).advanceProcessingTime(50).addElements(el('a', 1, 1)).advanceProcessingTime(1).advanceWatermarkToInfinity();
    // Flink: a timer registered for "now" is scheduled with a delay of 1 ms (getProcessingTimeDelay
    // returns 1 when the time is not in the future). So it is still pending when the input ends at
    // pt 50, and fires at pt 51 when the script goes on that long.
    const r1 = runKeyed<unknown>(stops, fn);
    const r2 = runKeyed<unknown>(goesOn, fn);
    expect(r1.records).toEqual([]);
    expect(r1.eventsOf('jobFinished')[0]!.abandonedProcessingTimers).toBe(1);
    expect(r2.records.map((x) => [x.value, x.processingTime])).toEqual([[{ time: 50, now: 51 }, 51]]);
  });
});

describe('side outputs', () => {
  it('send values to a named output read with getSideOutput', () => {
    const spec = testStream<Ev>().advanceWatermarkTo(0).addElements(el('a', 1, 1), el('a', -2, 2), el('b', 3, 3), el('b', -4, 4)).advanceWatermarkToInfinity();
    const r = runWithTrace((p) => {
      const main = p
        .testStream(spec)
        .keyBy((e) => e.k)
        .process<number>({
          processElement(e, ctx) {
            if (e.v >= 0) ctx.output(e.v);
            else ctx.outputTo('negative', `${ctx.key}:${e.v}`);
          },
        });
      main.sink('main');
      main.getSideOutput<string>('negative').sink('rejects');
    });
    // Flink's ctx.output(OutputTag, value): side records keep the element's timestamp.
    expect(valuesOf(r.records, 'main')).toEqual([1, 3]);
    expect(r.records.filter((x) => x.sink === 'rejects').map((x) => [x.value, x.timestamp])).toEqual([
      ['a:-2', 2],
      ['b:-4', 4],
    ]);
  });
});

describe('state time-to-live', () => {
  /** One element per step, each `gap` ms of processing time after the previous one. */
  function spaced(values: number[], gaps: number[]): TestStreamSpec<Ev> {
    let b = testStream<Ev>().advanceWatermarkTo(0);
    values.forEach((v, i) => {
      if (i > 0) b = b.advanceProcessingTime(gaps[i - 1]!);
      b = b.addElements(el('a', v, i));
    });
    return b.advanceWatermarkToInfinity();
  }

  it('never returns a value once last write + ttl <= now', () => {
    // Writes at pt 0 (v = 1); reads at pt 999 and 1000 (v = 0 only reads).
    const r = runKeyed<unknown>(spaced([1, 0, 0], [999, 1]), {
      processElement(e, ctx) {
        const s = ctx.state.value<number>('s', { ttl: { ttl: 1000 } });
        if (e.v !== 0) s.update(e.v);
        else ctx.output(s.value() ?? null);
      },
    });
    // Flink's TtlUtils.expired: lastAccess + ttl <= now. At 999 it is there; at 1000 it has expired.
    expect(valuesOf(r.records)).toEqual([1, null]);
  });

  it('refreshes on reads with updateOnRead (Flink OnReadAndWrite)', () => {
    // Write at 0, reads at 800, 1600 and 2601.
    const r = runKeyed<unknown>(spaced([1, 0, 0, 0], [800, 800, 1001]), {
      processElement(e, ctx) {
        const s = ctx.state.value<number>('s', { ttl: { ttl: 1000, updateOnRead: true } });
        if (e.v !== 0) s.update(e.v);
        else ctx.output(s.value() ?? null);
      },
    });
    // Each read moves the expiry to read + 1000: 1800, then 2600; at 2601 it has expired.
    expect(valuesOf(r.records)).toEqual([1, 1, null]);
  });

  it('expires list elements and map entries one by one', () => {
    // Element 1 at pt 0, element 2 at pt 600, a read at pt 1200: ttl 1000.
    const r = runKeyed<unknown>(spaced([1, 2, 0], [600, 600]), {
      processElement(e, ctx) {
        const list = ctx.state.list<number>('l', { ttl: { ttl: 1000 } });
        const map = ctx.state.map<string, number>('m', { ttl: { ttl: 1000 } });
        if (e.v !== 0) {
          list.add(e.v);
          map.put(`k${e.v}`, e.v);
        } else ctx.output({ list: list.get(), map: map.entries(), has1: map.contains('k1'), has2: map.contains('k2') });
      },
    });
    // Flink's TtlListState and TtlMapState stamp every element and entry with its own write time:
    // at 1200 the one written at 0 has expired (0 + 1000 <= 1200), the one written at 600 has not.
    expect(valuesOf(r.records)).toEqual([{ list: [2], map: [['k2', 2]], has1: false, has2: true }]);
  });
});

describe('errors in user code', () => {
  it('surface as UserCodeError naming the operator and the callback', () => {
    const spec = testStream<Ev>().advanceWatermarkTo(0).addElements(el('a', 1, 1)).advanceWatermarkToInfinity();
    const build = (p: Pipeline) => {
      p.testStream(spec)
        .keyBy((e) => e.k)
        .process<number>({
          processElement() {
            throw new TypeError('boom');
          },
        }, 'validate')
        .sink('out');
    };
    let caught: unknown;
    try {
      runPipeline(build);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(UserCodeError);
    const err = caught as UserCodeError;
    expect(err.operator).toBe('validate');
    expect(err.message).toBe('processElement in operator "validate" threw TypeError: boom');
    expect((err.cause as Error).message).toBe('boom');
  });

  it('from onTimer too', () => {
    const spec = testStream<Ev>().advanceWatermarkTo(0).addElements(el('a', 1, 1)).advanceWatermarkToInfinity();
    expect(() =>
      runPipeline((p) => {
        p.testStream(spec)
          .keyBy((e) => e.k)
          .process<number>({
            processElement(_e, ctx) {
              ctx.timerService.registerEventTimeTimer(10);
            },
            onTimer() {
              throw new Error('late');
            },
          }, 'alerts')
          .sink('out');
      }),
    ).toThrow('onTimer in operator "alerts" threw Error: late');
  });

  it('timers on a stream that is not keyed are a pipeline definition error', () => {
    const spec = testStream<number>().advanceWatermarkTo(0).addElements({ value: 1, timestamp: 1 }).advanceWatermarkToInfinity();
    // Flink: "Setting timers is only supported on a keyed streams."
    expect(() =>
      runPipeline((p) => {
        p.testStream(spec)
          .process<number>({
            processElement(_v, ctx) {
              ctx.timerService.registerEventTimeTimer(5);
            },
          })
          .sink('out');
      }),
    ).toThrow(PipelineDefinitionError);
  });
});

describe('state declarations', () => {
  const spec = testStream<Ev>().advanceWatermarkTo(0).addElements(el('a', 1, 1), el('a', 2, 2)).advanceWatermarkToInfinity();
  /** Runs `fn` and returns what it threw. */
  const thrown = (fn: KeyedProcessFunction<string, Ev, number>): unknown => {
    try {
      runKeyed<number>(spec, fn, 'stateful');
    } catch (e) {
      return e;
    }
    return undefined;
  };

  it('the same name with two kinds is a pipeline definition error naming the state and both kinds', () => {
    // Flink refuses a state name registered with another type ("Incompatible key/value state types").
    const e = thrown({
      processElement(_e, ctx) {
        ctx.state.value<number>('s').update(1);
        ctx.state.list<number>('s').add(2);
      },
    });
    expect(e).toBeInstanceOf(PipelineDefinitionError);
    expect((e as Error).message).toBe('state "s" in operator "stateful" is declared as value state and as list state: give each state its own name');
  });

  it('the same name declared in processElement and, with another kind, in onTimer fails too', () => {
    const e = thrown({
      processElement(_e, ctx) {
        ctx.state.map<string, number>('seen').put('x', 1);
        ctx.timerService.registerEventTimeTimer(5);
      },
      onTimer(_t, ctx) {
        ctx.state.reducing<number>('seen', (a, b) => a + b).add(1);
      },
    });
    expect(e).toBeInstanceOf(PipelineDefinitionError);
    expect((e as Error).message).toBe('state "seen" in operator "stateful" is declared as map state and as reducing state: give each state its own name');
  });

  it('the same name with two TTLs is a pipeline definition error', () => {
    const withAndWithout = thrown({
      processElement(_e, ctx) {
        ctx.state.value<number>('s', { ttl: { ttl: 1000 } }).update(1);
        ctx.state.value<number>('s').value();
      },
    });
    expect(withAndWithout).toBeInstanceOf(PipelineDefinitionError);
    expect((withAndWithout as Error).message).toBe(
      'state "s" in operator "stateful" is declared with ttl 1000 ms and with no ttl: declare it with the same options everywhere',
    );
    const readRefresh = thrown({
      processElement(e, ctx) {
        ctx.state.list<number>('l', { ttl: { ttl: 1000, updateOnRead: e.v === 2 } }).add(e.v);
      },
    });
    expect((readRefresh as Error).message).toBe(
      'state "l" in operator "stateful" is declared with ttl 1000 ms and with ttl 1000 ms, updated on read: declare it with the same options everywhere',
    );
  });

  it('declaring a state again the same way returns the same state', () => {
    const r = runKeyed<number>(spec, {
      processElement(e, ctx) {
        ctx.state.value<number>('sum', { ttl: { ttl: 60_000, updateOnRead: false } }).update((ctx.state.value<number>('sum', { ttl: { ttl: 60_000 } }).value() ?? 0) + e.v);
        ctx.output(ctx.state.value<number>('sum', { ttl: { ttl: 60_000 } }).value()!);
      },
    });
    expect(valuesOf<number>(r.records)).toEqual([1, 3]);
  });
});

describe('a silent-tracker alert', () => {
  interface Ping {
    runner: string;
  }
  interface Alert {
    runner: string;
    silentSince: number;
  }
  const SILENCE = 10_000;
  /** Alerts when a runner has sent no ping for SILENCE ms of event time; each ping resets the timer. */
  const silence: KeyedProcessFunction<string, Ping, Alert> = {
    processElement(_ping, ctx) {
      const deadline = ctx.state.value<number>('deadline');
      const old = deadline.value();
      if (old !== undefined) ctx.timerService.deleteEventTimeTimer(old);
      deadline.update(ctx.timestamp + SILENCE);
      ctx.timerService.registerEventTimeTimer(ctx.timestamp + SILENCE);
    },
    onTimer(time, ctx) {
      ctx.state.value<number>('deadline').clear();
      ctx.output({ runner: ctx.key, silentSince: time - SILENCE });
    },
  };

  it('fires when a tracker has been silent too long, and is reset by every ping', () => {
    const ping = (runner: string, ts: number) => ({ value: { runner }, timestamp: ts });
    const spec = testStream<Ping>()
      .advanceWatermarkTo(0)
      .addElements(ping('r1', 0), ping('r2', 0))
      .advanceWatermarkTo(4000)
      .addElements(ping('r1', 5000), ping('r2', 5000))
      .advanceWatermarkTo(9000)
      .addElements(ping('r1', 10_000))
      .advanceWatermarkTo(14_000)
      .addElements(ping('r1', 15_000))
      .advanceWatermarkTo(15_000)
      .addElements(ping('r1', 20_000))
      .advanceWatermarkTo(24_000)
      .addElements(ping('r2', 30_000), ping('r1', 25_000))
      .advanceWatermarkToInfinity();
    const r = runWithTrace((p) => {
      p.testStream(spec).keyBy((x) => x.runner).process(silence, 'silence').sink('alerts');
    });
    // r2's last ping before its gap is at 5000: its timer (15000) fires when W = 15000. At the end of
    // the input the final watermark fires every pending timer: r1 (25000 + 10000), then r2 (30000 + 10000).
    expect(r.records.map((x) => [x.value, x.timestamp])).toEqual([
      [{ runner: 'r2', silentSince: 5000 }, 15_000],
      [{ runner: 'r1', silentSince: 25_000 }, 35_000],
      [{ runner: 'r2', silentSince: 30_000 }, 40_000],
    ]);
  });

  it('on generated runner pings, needs idleness to see a lost tracker before it comes back', () => {
    const spec = runnerPings({ runners: 3, duration: minutes(10), silences: [{ runner: 1, from: minutes(5), length: minutes(2), buffered: false }] });
    const alertsWith = (idle: boolean) =>
      runWithTrace((p) => {
        const wm = boundedOutOfOrderness(seconds(2));
        p.generator(spec, { watermarks: idle ? wm.withIdleness(seconds(10)) : wm })
          .keyBy((x) => x.runner)
          .process(silence, 'silence')
          .sink('alerts');
      }).records;
    // With idleness, runner-01's partition stops holding the watermark back, its timer (last ping
    // before 5:00 + 10 s) fires during the silence; at the end every runner alerts once.
    const idle = alertsWith(true);
    const early = idle.filter((x) => x.processingTime < minutes(7));
    expect(early.map((x) => (x.value as Alert).runner)).toEqual(['runner-01']);
    const since = (early[0]!.value as Alert).silentSince;
    expect(since).toBeGreaterThan(minutes(5) - seconds(7));
    expect(since).toBeLessThan(minutes(5));
    expect(early[0]!.timestamp).toBe(since + SILENCE);
    const end = Math.max(...idle.map((x) => x.processingTime));
    expect(idle).toHaveLength(4);
    expect(idle.filter((x) => x.processingTime === end).map((x) => (x.value as Alert).runner).sort()).toEqual(['runner-00', 'runner-01', 'runner-02']);
    // Without idleness the silent partition holds the watermark at ~5:00 until its tracker is back,
    // and its first ping deletes the timer before the watermark reaches it: only the final alerts.
    const plain = alertsWith(false);
    const plainEnd = Math.max(...plain.map((x) => x.processingTime));
    expect(plain.map((x) => [(x.value as Alert).runner, x.processingTime]).sort()).toEqual([
      ['runner-00', plainEnd],
      ['runner-01', plainEnd],
      ['runner-02', plainEnd],
    ]);
  });
});
