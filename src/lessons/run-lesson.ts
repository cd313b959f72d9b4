// Runs a lesson's (or guide's) pipeline headless, as the check sees it: with `runPipeline`, or,
// when the lesson sets a checkpoint interval or pre-loads topics, with the durable driver over an
// in-memory store (the lesson's topics produced into it first; crashes as the lesson plans them,
// and a failure-free reference run to count what they duplicated or lost). Invariant: the same
// pipeline, input and settings give the same LessonRun.

import { buildPipeline, runPipeline, withDefaultGuarantee, type PipelineBuilder } from '../engine/api/run-pipeline.ts';
import { compareToReference, sinkWritesAsRecords, type SinkRecordLike } from '../engine/checkpoint/delivery-report.ts';
import type { SinkWrite } from '../engine/checkpoint/durable-store.ts';
import { runDurable, type RecoveryMode } from '../engine/checkpoint/job-driver.ts';
import { MemoryDurableStore } from '../engine/checkpoint/memory-store.ts';
import { loadTopics } from '../engine/checkpoint/store-io.ts';
import { preloadTopics } from '../engine/checkpoint/topic-preload.ts';
import { DeliverySink, type DeliveryGuarantee } from '../engine/connectors/delivery-sink.ts';
import type { TestStreamSpec } from '../engine/connectors/test-stream.ts';
import type { TraceEvent } from '../engine/trace/trace-event.ts';
import type { LessonInput, LessonSettings } from './lesson.ts';
import { lessonRunOf, type LessonRun } from './lesson-run.ts';

/** A run that could not finish: the pipeline did not build, or its code threw. */
export interface RunFailure {
  readonly error: unknown;
}

/** Runs `build` on the lesson's input with its settings; never throws for the pipeline's own errors. */
export async function runLesson(build: PipelineBuilder, input: LessonInput, settings: LessonSettings): Promise<LessonRun | RunFailure> {
  const spec = input.kind === 'testStream' ? input.spec : undefined;
  try {
    if (settings.checkpointInterval === null && (settings.topics ?? []).length === 0) {
      const result = runPipeline(build, { seed: settings.seed, collectTrace: true, ...(spec && { input: spec }) });
      return lessonRunOf(result);
    }
    return await runCheckpointed(build, spec, settings, settings.checkpointInterval);
  } catch (error) {
    return { error };
  }
}

/** True when runLesson could not run the pipeline. */
export function isRunFailure(run: LessonRun | RunFailure): run is RunFailure {
  return 'error' in run;
}

async function runCheckpointed(
  build: PipelineBuilder,
  input: TestStreamSpec<unknown> | undefined,
  settings: LessonSettings,
  checkpointInterval: number | null,
): Promise<LessonRun> {
  const guarantee: DeliveryGuarantee = settings.guarantee ?? 'exactlyOnce';
  const sinks = sinksOf(build, guarantee, input);
  const guarantees = sinks.map((s) => s.guarantee);
  const recovery: RecoveryMode = guarantees.length > 0 && guarantees.every((g) => g === 'atMostOnce') ? 'skipAhead' : 'replay';
  const builder = withDefaultGuarantee(build, guarantee);
  const common = {
    jobId: 'lesson',
    seed: settings.seed,
    checkpointInterval,
    recovery,
    ...(input !== undefined && { input }),
    ...(settings.checkpointMode !== undefined && { checkpointMode: settings.checkpointMode }),
  };

  const topics = settings.topics ?? [];
  const trace: TraceEvent[] = [];
  const store = new MemoryDurableStore();
  await preloadTopics(store, topics, settings.seed);
  // What the job found in the log, before it wrote anything (a pipeline may also write to a topic).
  const logs = await loadTopics(store, topics.map((t) => t.name));
  const result = await runDurable(builder, {
    ...common,
    store,
    crashes: { atProcessingTimes: settings.crashAt },
    ...(settings.restart !== undefined && { restart: settings.restart }),
    onTrace: (e) => trace.push(e),
  });
  const stored: Record<string, SinkWrite[]> = {};
  for (const sink of sinks) stored[sink.name] = await store.sinkRead(sink.name);

  let delivery: ReturnType<typeof compareToReference> = [];
  if (settings.crashAt.length > 0) {
    const referenceStore = new MemoryDurableStore();
    await preloadTopics(referenceStore, topics, settings.seed);
    await runDurable(builder, { ...common, store: referenceStore, restart: { kind: 'none' } });
    const reference: SinkRecordLike[] = [];
    const actual: SinkRecordLike[] = [];
    for (const sink of sinks) {
      reference.push(...sinkWritesAsRecords(sink.name, await referenceStore.sinkRead(sink.name)));
      actual.push(...sinkWritesAsRecords(sink.name, stored[sink.name]!));
    }
    delivery = compareToReference(reference, actual);
  }

  const metrics = [...trace].reverse().find((e) => e.type === 'metrics');
  const parts = {
    records: result.records,
    trace,
    metrics: metrics?.type === 'metrics' ? metrics.subtasks : [],
    downtime: result.downtime,
    topics: Object.fromEntries(logs),
  };
  // Durable facts are what a lesson with checkpoints asks about; a run that is durable only to read its topics has none.
  if (checkpointInterval === null) return lessonRunOf(parts);
  return lessonRunOf({
    ...parts,
    durable: {
      stored,
      delivery,
      attempts: result.attempts,
      completedCheckpoints: result.completedCheckpoints,
      failures: result.failures.map(({ attempt, reason, pt }) => ({ attempt, reason, pt })),
      finished: result.finished,
    },
  });
}

/** The pipeline's sinks and the guarantee each writes with (its own, or the run's default). */
function sinksOf(build: PipelineBuilder, guarantee: DeliveryGuarantee, input: TestStreamSpec<unknown> | undefined) {
  const p = buildPipeline(build, input);
  return p.plan.nodes
    .filter((node) => node.kind === 'sink')
    .map((node) => {
      const operator = node.createOperator?.();
      return { name: node.name, guarantee: operator instanceof DeliverySink ? operator.guarantee : guarantee };
    });
}
