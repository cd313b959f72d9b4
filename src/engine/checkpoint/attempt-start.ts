// How each attempt of a durable session begins: its job built from the session options (the
// pipeline, the topics its sources read, the checkpoint settings), then started from the
// beginning, or restored from the newest complete checkpoint, the savepoint it started from, or,
// skipping ahead, the crashed job's source positions. Kept out of durable-session.ts, which
// decides when attempts begin and end.
//
// Invariant: a restore traces `jobRestored` (with the checkpoint, or null when there was none to
// restore); only the very first attempt of a fresh session starts plainly.

import { buildPipeline, type PipelineBuilder } from '../api/run-pipeline.ts';
import type { Pipeline } from '../api/pipeline.ts';
import { seededRandom } from '../random/random.ts';
import { Job } from '../runtime/job.ts';
import { DEFAULT_INCREMENTAL_POLICY } from '../state/incremental-policy.ts';
import type { TraceEvent } from '../trace/trace-event.ts';
import type { CheckpointManifest } from './durable-store.ts';
import type { JobSnapshot } from './job-snapshot.ts';
import { fitSavepoint, snapshotOf } from './savepoint.ts';
import type { SessionOptions } from './session-options.ts';
import { loadTopics, readSnapshot } from './store-io.ts';

/** Builds an attempt's job (not started): its pipeline, the topics it reads, its checkpoint settings. */
export async function buildAttemptJob(build: PipelineBuilder, o: SessionOptions, trace: ((e: TraceEvent) => void) | undefined): Promise<{ job: Job; pipeline: Pipeline }> {
  const seed = o.seed ?? 0;
  const pipeline = buildPipeline(build, o.input);
  const topics = await loadTopics(o.store, pipeline.plan.nodes.map((n) => (n.source?.kind === 'partitions' ? n.source.topic : undefined)));
  const costs = o.processingCost !== undefined ? { processingCost: o.processingCost } : {};
  const incremental = o.incremental === true ? DEFAULT_INCREMENTAL_POLICY : o.incremental || undefined;
  const job = new Job(pipeline.plan, { random: seededRandom(seed), seed, trace, topics, ...costs, ...(incremental ? { incremental } : {}) });
  if (o.checkpointInterval !== null) job.enableCheckpoints(o.checkpointInterval);
  if (o.checkpointTimeout !== undefined) job.setCheckpointTimeout(o.checkpointTimeout);
  if (o.checkpointMode !== undefined) job.setCheckpointMode(o.checkpointMode);
  return { job, pipeline };
}

/** What an attempt may begin from. */
export interface AttemptStart {
  readonly attempt: number;
  /** The newest complete checkpoint in the store. */
  readonly latest: CheckpointManifest | undefined;
  /** skipAhead recovery: the crashed job's state, whose source positions this attempt takes. */
  readonly skipTo: JobSnapshot | undefined;
  /** The first attempt of a fresh session: start plainly when there is no checkpoint. */
  readonly plain: boolean;
}

/**
 * Starts or restores `job`; returns the checkpoint (or savepoint) it was restored from, or null.
 * Strategy: a savepoint when the store has no checkpoint of this run yet (as in Flink, the
 * savepoint a job started from is its first completed checkpoint); else a plain start on a
 * fresh store; else the crashed job's source positions (skipAhead), the newest checkpoint, or,
 * with none, a start traced as a restore of nothing.
 */
export async function beginAttempt(job: Job, o: SessionOptions, from: AttemptStart, trace: ((e: TraceEvent) => void) | undefined): Promise<number | null> {
  const { attempt, latest, skipTo } = from;
  if (latest === undefined && o.fromSavepoint && skipTo === undefined) {
    const { snapshot, fresh } = fitSavepoint(snapshotOf(o.fromSavepoint.file), job.partNames(), o.fromSavepoint.options, job.stateDescriptors());
    job.restore(snapshot, attempt, new Set(fresh));
    return snapshot.checkpointId;
  }
  if (from.plain && latest === undefined) {
    job.start();
    return null;
  }
  const snapshot = latest ? await readSnapshot(o.store, latest, o.seed ?? 0) : undefined;
  if (skipTo !== undefined) {
    const sources = new Set(job.sourcePartNames());
    const fresh = job.partNames().filter((n) => !sources.has(n));
    job.restore({ ...skipTo, parts: skipTo.parts.filter((part) => sources.has(part.name)) }, attempt, new Set(fresh));
    return null;
  }
  if (snapshot) {
    job.restore(snapshot, attempt);
    return snapshot.checkpointId;
  }
  job.start();
  trace?.({ type: 'jobRestored', pt: job.scheduler.now, attempt, checkpointId: null });
  return null;
}
