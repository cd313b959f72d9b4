// Rescaling's law: a keyed pipeline stopped with a savepoint at parallelism p1 and resumed at p2
// gives, per key and in per-key order, exactly what an uninterrupted run gives at p1 and at p2:
// every key's state and timers moved to the subtask its records go to, so windows and timers
// fire exactly once, and records late before the savepoint stay late after it.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { boundedOutOfOrderness, runPipeline, sessionWindows, tumblingWindows, type PipelineBuilder } from '../../../src/engine/api/index.ts';
import { runDurable } from '../../../src/engine/checkpoint/job-driver.ts';
import { MemoryDurableStore } from '../../../src/engine/checkpoint/memory-store.ts';
import type { SinkRecord } from '../../../src/engine/connectors/collecting-sink.ts';

interface Event {
  readonly key: string;
  readonly n: number;
  readonly ts: number;
}

type Family = 'windows' | 'sessions' | 'timers' | 'count';

/** The keyed operator runs at `parallelism`; the source (one partition) and the sinks at 1, so every subtask sees the same watermarks. */
function pipeline(family: Family, events: readonly Event[], parallelism: number): PipelineBuilder {
  return (p) => {
    const keyed = p
      .fromArray(events, { timestampOf: (e) => e.ts, watermarks: boundedOutOfOrderness(300), uid: 'events' })
      .keyBy((e) => e.key);
    switch (family) {
      case 'windows': {
        // Tumbling windows with allowed lateness (LATE panes) and a side output for records later still.
        const counts = keyed.window(tumblingWindows(1000), { parallelism, uid: 'windows' }).allowedLateness(500).sideOutputLateData('late').count();
        counts.sink('counts');
        counts.getSideOutput<Event>('late').map((e) => e.n).sink('late');
        return;
      }
      case 'sessions':
        // Merging windows: a key's sessions merge as records fill the gaps between them.
        keyed.window(sessionWindows(400), { parallelism, uid: 'sessions' }).allowedLateness(300).count().sink('sessions');
        return;
      case 'timers':
        // Event-time and processing-time timers, value and list state.
        keyed
          .process<string>(
            {
              processElement(e, ctx) {
                const seen = ctx.state.list<number>('seen');
                seen.add(e.n);
                ctx.timerService.registerEventTimeTimer(e.ts + 400);
                ctx.timerService.registerProcessingTimeTimer(ctx.timerService.currentProcessingTime() + 250);
                const fired = ctx.state.value<number>('fired');
                fired.update(fired.value() ?? 0);
              },
              onTimer(time, ctx) {
                const fired = ctx.state.value<number>('fired');
                fired.update((fired.value() ?? 0) + 1);
                ctx.output(`${ctx.timeDomain}@${time} #${fired.value()} seen ${ctx.state.list<number>('seen').get().join(',')}`);
              },
            },
            { parallelism, uid: 'timers' },
          )
          .sink('fired');
        return;
      case 'count':
        // A keyed count in value state, with map state by parity.
        keyed
          .process<string>(
            {
              processElement(e, ctx) {
                const count = ctx.state.value<number>('count');
                count.update((count.value() ?? 0) + 1);
                const parity = ctx.state.map<string, number>('parity');
                const side = e.n % 2 === 0 ? 'even' : 'odd';
                parity.put(side, (parity.get(side) ?? 0) + 1);
                ctx.output(`${count.value()} (${side} ${parity.get(side)})`);
              },
            },
            { parallelism, uid: 'count' },
          )
          .sink('counts');
    }
  };
}

/** Per sink and key, the records in the order they arrived (processing times left out). */
function perKey(records: readonly SinkRecord[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const r of records) {
    const id = `${r.sink}/${JSON.stringify(r.key ?? null)}`;
    (out[id] ??= []).push(JSON.stringify([r.value, r.timestamp, r.window ?? null, r.pane ?? null]));
  }
  return out;
}

const events = fc
  .array(fc.record({ key: fc.integer({ min: 0, max: 9 }), gap: fc.integer({ min: 0, max: 300 }), lag: fc.integer({ min: 0, max: 1500 }) }), { minLength: 4, maxLength: 40 })
  .map((list) => {
    let t = 0;
    return list.map((e, n): Event => {
      t += e.gap;
      return { key: `k${e.key}`, n, ts: Math.max(0, t - (n % 4 === 3 ? e.lag : 0)) };
    });
  });

/** Sources, keyed operators and a stateless step all change parallelism; order-free outputs, so nothing is late (bound 5000 ms). */
function everything(family: 'windows' | 'count', events: readonly (Event & { partition: number })[], sources: number, parallelism: number): PipelineBuilder {
  return (p) => {
    const keyed = p
      .fromArray(events, { timestampOf: (e) => e.ts, partitions: 4, partitionOf: (e) => e.partition, watermarks: boundedOutOfOrderness(5000), uid: 'events', parallelism: sources })
      .keyBy((e) => e.key);
    const out =
      family === 'windows'
        ? keyed.window(tumblingWindows(1000), { parallelism, uid: 'windows' }).count()
        : keyed.process<number>(
            {
              processElement(_, ctx) {
                const count = ctx.state.value<number>('count');
                count.update((count.value() ?? 0) + 1);
                ctx.output(count.value()!);
              },
            },
            { parallelism, uid: 'count' },
          );
    out.map((n) => `n=${n}`, { parallelism, uid: 'format' }).sink('out', { parallelism: Math.max(1, parallelism - 1) });
  };
}

/** Per sink and key, values and windows as a sorted list (order-free: a count's timestamp is its record's, which depends on the order). */
function perKeySorted(records: readonly SinkRecord[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const r of records) (out[`${r.sink}/${JSON.stringify(r.key ?? null)}`] ??= []).push(JSON.stringify([r.value, r.window ?? null]));
  for (const list of Object.values(out)) list.sort();
  return out;
}

const parallelisms = fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 })).filter(([a, b]) => a !== b);

describe('rescaling a savepoint', () => {
  it('resumed at another parallelism, keyed pipelines (tumbling and session windows with late data, timers, counts) give per key exactly the uninterrupted output at either parallelism', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<Family>('windows', 'sessions', 'timers', 'count'), events, parallelisms, fc.double({ min: 0, max: 1, noNaN: true }), async (family, list, [p1, p2], at) => {
        const last = Math.max(...list.map((e) => e.ts));
        const stopAt = Math.floor(at * last);
        const stopped = await runDurable(pipeline(family, list, p1), { store: new MemoryDurableStore(), jobId: 'a', checkpointInterval: 1000, stopWithSavepointAt: stopAt });
        const file = stopped.savepoint;
        expect(file).toBeDefined();
        const resumed = await runDurable(pipeline(family, list, p2), { store: new MemoryDurableStore(), jobId: 'b', checkpointInterval: 1000, fromSavepoint: { file: file! } });
        expect(resumed.finished).toBe(true);
        const rescaled = perKey([...stopped.records, ...resumed.records]);
        expect(rescaled).toEqual(perKey(runPipeline(pipeline(family, list, p1)).records));
        expect(rescaled).toEqual(perKey(runPipeline(pipeline(family, list, p2)).records));
      }),
      { numRuns: 160, seed: 20260 },
    );
  }, 120_000);

  it('with sources (4 partitions, some ending early) and the steps after the keyed one rescaled too, nothing is lost or repeated', async () => {
    const partitioned = fc.tuple(events, fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 40, maxLength: 40 })).map(([list, parts]) => list.map((e, i) => ({ ...e, partition: parts[i]! })));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<'windows' | 'count'>('windows', 'count'), partitioned, parallelisms, parallelisms, fc.double({ min: 0, max: 1, noNaN: true }), async (family, list, [s1, s2], [p1, p2], at) => {
        const last = Math.max(...list.map((e) => e.ts));
        const stopped = await runDurable(everything(family, list, s1, p1), { store: new MemoryDurableStore(), jobId: 'a', checkpointInterval: 1000, stopWithSavepointAt: Math.floor(at * last) });
        // Everything at one instant can end the job before the stop: no savepoint to rescale then.
        fc.pre(!stopped.finished);
        expect(stopped.savepoint).toBeDefined();
        const resumed = await runDurable(everything(family, list, s2, p2), { store: new MemoryDurableStore(), jobId: 'b', checkpointInterval: 1000, fromSavepoint: { file: stopped.savepoint! } });
        expect(resumed.finished).toBe(true);
        const rescaled = perKeySorted([...stopped.records, ...resumed.records]);
        expect(rescaled).toEqual(perKeySorted(runPipeline(everything(family, list, s1, p1)).records));
        expect(rescaled).toEqual(perKeySorted(runPipeline(everything(family, list, s2, p2)).records));
      }),
      { numRuns: 100, seed: 20261 },
    );
  }, 120_000);
});
