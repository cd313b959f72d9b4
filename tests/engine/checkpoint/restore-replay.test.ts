// Restoring any checkpoint and running on gives exactly what the uninterrupted run gave after
// that checkpoint: the same sink records (processing times included) and the same trace. This is
// what makes crash recovery in Brook replay the failure-free run.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  afterCount,
  afterProcessingTime,
  afterWatermark,
  boundedOutOfOrderness,
  buildPipeline,
  minutes,
  seconds,
  sessionWindows,
  slidingWindows,
  testStream,
  tumblingWindows,
  type PipelineBuilder,
  type TraceEvent,
} from '../../../src/engine/api/index.ts';
import type { JobSnapshot } from '../../../src/engine/checkpoint/job-snapshot.ts';
import { seededRandom } from '../../../src/engine/random/random.ts';
import { Job } from '../../../src/engine/runtime/job.ts';
import { toJson } from '../../../src/engine/trace/json.ts';

interface Run {
  records: string[];
  trace: TraceEvent[];
  snapshots: JobSnapshot[];
}

/** Runs a job to the end, checkpointing every `interval` (completing each at once), or restoring `from`. */
function run(build: PipelineBuilder, seed: number, interval: number, from?: JobSnapshot): Run {
  const p = buildPipeline(build);
  const trace: TraceEvent[] = [];
  const job = new Job(p.plan, { random: seededRandom(seed), seed, trace: (e) => trace.push(e) });
  if (interval > 0) job.enableCheckpoints(interval);
  if (from) job.restore(from, 1);
  else job.start();
  const snapshots: JobSnapshot[] = [];
  while (!job.isFinished && job.scheduler.step()) {
    for (const r of job.ioRequests.splice(0)) {
      if (r.kind !== 'persistCheckpoint') continue;
      snapshots.push(r.snapshot);
      job.completeCheckpoint(r.snapshot);
    }
  }
  job.runToEnd();
  return { records: p.records.map((r) => toJson(r)), trace, snapshots };
}

const isCheckpointEvent = (e: TraceEvent) =>
  e.type === 'checkpointTriggered' || e.type === 'checkpointCompleted' || e.type === 'jobStarted' || e.type === 'jobRestored';

/** The trace of `full` after checkpoint `id` was taken, without checkpoint bookkeeping. */
function traceAfter(full: TraceEvent[], id: number): string[] {
  const at = full.findIndex((e) => e.type === 'checkpointCompleted' && e.checkpointId === id);
  return full.slice(at + 1).filter((e) => !isCheckpointEvent(e)).map((e) => toJson(e));
}

function checkEveryCheckpoint(build: PipelineBuilder, seed: number, interval: number): number {
  const plain = run(build, seed, 0);
  const full = run(build, seed, interval);
  // Taking checkpoints changes nothing in the output.
  expect(full.records).toEqual(plain.records);
  for (const s of full.snapshots) {
    const restored = run(build, seed, interval, s);
    const before = full.records.filter((r) => JSON.parse(r).processingTime <= s.time).length;
    expect(restored.records, `restored from checkpoint ${s.checkpointId} at pt ${s.time}`).toEqual(full.records.slice(before));
    expect(restored.trace.filter((e) => !isCheckpointEvent(e)).map((e) => toJson(e))).toEqual(traceAfter(full.trace, s.checkpointId));
  }
  return full.snapshots.length;
}

const scores = testStream<{ user: string; score: number }>()
  .advanceWatermarkTo(0)
  .addElements({ value: { user: 'a', score: 1 }, timestamp: 1000 }, { value: { user: 'b', score: 2 }, timestamp: 2000 })
  .advanceProcessingTime(30_000)
  .addElements({ value: { user: 'a', score: 4 }, timestamp: 40_000 })
  .advanceProcessingTime(60_001)
  .advanceWatermarkTo(400_000)
  .addElements({ value: { user: 'a', score: 8 }, timestamp: 3000 }, { value: { user: 'b', score: 16 }, timestamp: 390_000 })
  .advanceProcessingTime(10_000)
  .advanceWatermarkToInfinity();

describe('restoring a checkpoint replays the uninterrupted run', () => {
  it('for session windows with early and late firings on a TestStream', () => {
    const build: PipelineBuilder = (p) => {
      p.input<{ user: string; score: number }>({ default: scores })
        .keyBy((e) => e.user)
        .window(sessionWindows(minutes(5)))
        .trigger(afterWatermark().withEarlyFirings(afterProcessingTime().plusDelayOf(minutes(1))).withLateFirings(afterCount(1)))
        .allowedLateness(minutes(10))
        .accumulatingAndRetractingFiredPanes()
        .sum((e) => e.score)
        .sink('out');
    };
    expect(checkEveryCheckpoint(build, 0, 7_000)).toBeGreaterThan(10);
  });

  it('for a generator with several partitions, sliding windows and keyed timers, at any seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 150, max: 2500 }), (seed, interval) => {
        const build: PipelineBuilder = (p) => {
          const events = p.generator(
            {
              partitions: [{ speed: 1 }, { speed: 0.5, idle: [{ from: 2000, to: 4000 }] }, { speed: 2 }],
              rate: { kind: 'steady', perSecond: 300 },
              count: 600,
              keys: { count: 7, skew: { zipf: 1.1 } },
              delay: { kind: 'uniform', min: 0, max: 400, late: { fraction: 0.05, extra: 3000 } },
              value: (g) => ({ key: g.key, n: g.index }),
            },
            { watermarks: boundedOutOfOrderness(500).withIdleness(seconds(1)).withWatermarkAlignment('g', 1000) },
          );
          events.keyBy((e) => e.key).window(slidingWindows(2000, 500)).allowedLateness(1000).count().sink('windows');
          events
            .keyBy((e) => e.key)
            .process<string>({
              processElement(e, ctx) {
                const c = ctx.state.value<number>('count');
                c.update((c.value() ?? 0) + 1);
                ctx.timerService.registerEventTimeTimer(ctx.timestamp + 1000);
                ctx.timerService.registerProcessingTimeTimer(ctx.timerService.currentProcessingTime() + 700);
              },
              onTimer(t, ctx) {
                ctx.output(`${ctx.key}@${t}:${ctx.timeDomain}:${ctx.state.value<number>('count').value()}`);
              },
            })
            .sink('timers');
          events.keyBy((e) => e.key).window(tumblingWindows(1000)).sum((e) => e.n).sink('sums');
        };
        checkEveryCheckpoint(build, seed, interval);
      }),
      { numRuns: 15 },
    );
  });
});
