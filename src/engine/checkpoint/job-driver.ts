// The asynchronous driver of a durable job (docs/durability.md): steps the deterministic job,
// fulfils its I/O requests against a DurableStore in order, injects crashes, and recovers by
// building a fresh job from the latest complete checkpoint. The virtual clock never moves while
// the store is awaited, so the trace does not depend on how fast the store is.
//
// Strategy for one attempt:
//   1. Build a job; start it, or restore the newest complete checkpoint (rewinding the clock).
//   2. Step it; after each step, fulfil the requests it raised (a crash may strike between them).
//   3. On a crash or a failure, throw the job away and go to 1, as the restart strategy allows.

import type { TraceEvent } from '../trace/trace-event.ts';
import { buildPipeline, type PipelineBuilder } from '../api/run-pipeline.ts';
import type { SinkRecord } from '../connectors/collecting-sink.ts';
import type { TestStreamSpec } from '../connectors/test-stream.ts';
import { seededRandom } from '../random/random.ts';
import { Job } from '../runtime/job.ts';
import type { CheckpointMode } from './checkpoint-coordinator.ts';
import { describePart, sealManifest } from './checksum.ts';
import type { CheckpointManifest, DurableStore, LogRecord } from './durable-store.ts';
import type { TopicContents } from '../connectors/topic-source.ts';
import { InputError } from '../errors.ts';
import type { IoRequest } from './io-request.ts';
import type { JobSnapshot } from './job-snapshot.ts';
import { DEFAULT_RESTART, nextRestart, type RestartStrategy } from './restart-strategy.ts';
import { fitSavepoint, snapshotOf, toSavepointFile, type RestoreOptions, type SavepointFile } from './savepoint.ts';

/** Where crashes strike. Each listed crash strikes once. */
export interface CrashPlan {
  /** When the processing clock first reaches each of these times. */
  readonly atProcessingTimes?: readonly number[];
  /** At the n-th time a named phase is reached (1 = the first time). */
  readonly phases?: readonly { readonly phase: CrashPhase; readonly occurrence: number }[];
}

/**
 * Named moments: `midSnapshotWrite` (checkpoint parts written, manifest not yet: a torn
 * checkpoint), `afterPreCommit` (a sink staged a transaction, its commit has not happened),
 * `afterCheckpointComplete` (just after a checkpoint became complete).
 */
export type CrashPhase = 'midSnapshotWrite' | 'afterPreCommit' | 'afterCheckpointComplete';

/**
 * How a job recovers: `replay` restores the newest complete checkpoint (state and source
 * offsets) and replays from there; `skipAhead` is at-most-once, as a job without checkpoints
 * whose sources commit their read offsets: state starts empty and sources continue from where
 * they had read at the crash, so what was in flight is lost and nothing is repeated.
 */
export type RecoveryMode = 'replay' | 'skipAhead';

export interface DurableRunOptions {
  readonly store: DurableStore;
  /** Names this job's checkpoints in the store. */
  readonly jobId: string;
  readonly seed?: number;
  readonly input?: TestStreamSpec<unknown>;
  /** Processing time between checkpoints. */
  readonly checkpointInterval: number;
  /** Aligned (default) or unaligned barriers. */
  readonly checkpointMode?: CheckpointMode;
  /** How many completed checkpoints to keep. Default 3. */
  readonly keepCheckpoints?: number;
  readonly recovery?: RecoveryMode;
  readonly crashes?: CrashPlan;
  readonly restart?: RestartStrategy;
  readonly onTrace?: (e: TraceEvent) => void;
  /** Start from a savepoint instead of from the beginning (the pipeline may have changed). */
  readonly fromSavepoint?: { readonly file: SavepointFile; readonly options?: RestoreOptions };
  /**
   * Take a savepoint once the processing clock reaches this time (after everything due then),
   * and stop there (Flink's stop-with-savepoint): the result carries the savepoint file.
   */
  readonly stopWithSavepointAt?: number;
}

export interface DurableRunResult {
  /** Records of plain `.sink()` sinks, from every attempt (they were printed: a crash cannot take them back). */
  readonly records: SinkRecord[];
  /** Whether the job ran to its end (false when the restart strategy gave up). */
  readonly finished: boolean;
  readonly attempts: number;
  /** Every failure, with the error itself (a UserCodeError keeps the user's stack, for file:line). */
  readonly failures: readonly { readonly attempt: number; readonly reason: string; readonly pt: number; readonly error: unknown }[];
  readonly completedCheckpoints: number;
  /** Wall time spent restarting (the sum of restart delays). */
  readonly downtime: number;
  /** The savepoint taken by `stopWithSavepointAt`. */
  readonly savepoint?: SavepointFile;
}

class Crash extends Error {
  override readonly name = 'Crash';
}

/** Runs a pipeline durably: checkpoints to `store`, crashes as planned, recovers, and reports. */
export async function runDurable(build: PipelineBuilder, options: DurableRunOptions): Promise<DurableRunResult> {
  const seed = options.seed ?? 0;
  const store = options.store;
  const keep = options.keepCheckpoints ?? 3;
  const restart = options.restart ?? DEFAULT_RESTART;
  const trace = options.onTrace;
  const pendingTimes = [...(options.crashes?.atProcessingTimes ?? [])].sort((a, b) => a - b);
  const phaseCount = new Map<CrashPhase, number>();
  const phasePlan = options.crashes?.phases ?? [];
  const records: SinkRecord[] = [];
  const failures: { attempt: number; reason: string; pt: number; error: unknown }[] = [];
  const failureWallTimes: number[] = [];
  let wall = 0;
  let downtime = 0;
  let completed = 0;
  let attempt = 0;
  let skipTo: JobSnapshot | undefined;
  let savepointId = -1;
  /** Ids of the complete checkpoints in the store, newest first. */
  let retained: number[] = [];
  let savepoint: SavepointFile | undefined;

  const reachPhase = (phase: CrashPhase): void => {
    const n = (phaseCount.get(phase) ?? 0) + 1;
    phaseCount.set(phase, n);
    if (phasePlan.some((c) => c.phase === phase && c.occurrence === n)) throw new Crash(`crash injected at phase ${phase} (#${n})`);
  };

  for (;;) {
    attempt++;
    const p = buildPipeline(build, options.input);
    const topics = await loadTopics(store, p.plan.nodes.map((n) => (n.source?.kind === 'partitions' ? n.source.topic : undefined)));
    const job = new Job(p.plan, { random: seededRandom(seed), seed, trace, topics });
    job.enableCheckpoints(options.checkpointInterval);
    if (options.checkpointMode !== undefined) job.setCheckpointMode(options.checkpointMode);
    // Listing verifies every kept checkpoint's checksums: do it once per attempt, and keep
    // track of the ids from then on (pruning does not need to verify again).
    const listed = await store.listCheckpoints(options.jobId);
    retained = listed.map((m) => m.checkpointId);
    const latest = listed[0];
    let startedAt: number;
    if (latest === undefined && options.fromSavepoint && !(options.recovery === 'skipAhead' && skipTo)) {
      // As in Flink, the savepoint a job started from is its first completed checkpoint: a crash
      // before the job's own first checkpoint restores the savepoint again, not the empty start.
      const { snapshot, fresh } = fitSavepoint(snapshotOf(options.fromSavepoint.file), job.partNames(), options.fromSavepoint.options);
      job.restore(snapshot, attempt, new Set(fresh));
      startedAt = job.scheduler.now;
    } else if (attempt === 1 && latest === undefined) {
      job.start();
      startedAt = job.scheduler.now;
    } else {
      const snapshot = latest ? await readSnapshot(store, latest, seed) : undefined;
      if (options.recovery === 'skipAhead' && skipTo) {
        const sources = new Set(job.sourcePartNames());
        const fresh = job.partNames().filter((n) => !sources.has(n));
        job.restore({ ...skipTo, parts: skipTo.parts.filter((part) => sources.has(part.name)) }, attempt, new Set(fresh));
      } else if (snapshot) {
        job.restore(snapshot, attempt);
      } else {
        job.start();
        trace?.({ type: 'jobRestored', pt: job.scheduler.now, attempt, checkpointId: null });
      }
      startedAt = job.scheduler.now;
    }
    try {
      while (!job.isFinished) {
        const stopAt = options.stopWithSavepointAt;
        if (stopAt !== undefined && savepoint === undefined && job.scheduler.nextEventTime > stopAt) {
          savepointId = job.triggerCheckpoint();
          while (savepoint === undefined && (job.ioRequests.length > 0 || job.scheduler.step())) await fulfil(job);
          records.push(...p.records);
          return { records, finished: false, attempts: attempt, failures, completedCheckpoints: completed, downtime, ...(savepoint ? { savepoint } : {}) };
        }
        if (pendingTimes.length > 0 && job.scheduler.nextEventTime >= pendingTimes[0]!) {
          const t = pendingTimes.shift()!;
          throw new Crash(`crash injected at processing time ${t}`);
        }
        if (!job.scheduler.step()) break;
        await fulfil(job);
      }
      await finalCheckpoint(job);
      job.runToEnd();
      await fulfil(job);
      records.push(...p.records);
      return { records, finished: true, attempts: attempt, failures, completedCheckpoints: completed, downtime };
    } catch (e) {
      const reason = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      const pt = job.scheduler.now;
      trace?.({ type: 'jobCrashed', pt, attempt, reason });
      failures.push({ attempt, reason, pt, error: e });
      records.push(...p.records);
      // The stop's savepoint completed before the crash: the stop succeeded (Flink reports the
      // savepoint); the job does not run on past the stop.
      if (savepoint !== undefined) {
        return { records, finished: false, attempts: attempt, failures, completedCheckpoints: completed, downtime, savepoint };
      }
      if (options.recovery === 'skipAhead') skipTo = job.snapshot(0);
      wall += pt - startedAt;
      failureWallTimes.push(wall);
      const decision = e instanceof Crash ? { restart: true, delay: 0 } : nextRestart(restart, failureWallTimes);
      if (!decision.restart) {
        return { records, finished: false, attempts: attempt, failures, completedCheckpoints: completed, downtime };
      }
      wall += decision.delay;
      downtime += decision.delay;
    }
  }

  /**
   * At the end of a bounded input, one more checkpoint (Flink's final checkpoint, FLIP-147):
   * exactly-once sinks pre-commit their last records at its barrier and commit when it completes,
   * so a crash during the end of the input replays it without committing anything twice.
   */
  async function finalCheckpoint(job: Job): Promise<void> {
    const before = completed;
    job.triggerCheckpoint();
    while (completed === before && (job.ioRequests.length > 0 || job.checkpointsInProgress > 0)) {
      if (job.ioRequests.length === 0 && !job.scheduler.step()) break;
      await fulfil(job);
    }
    await fulfil(job);
  }

  /** Fulfils the job's I/O requests in order; a crash may strike between any two. */
  async function fulfil(job: Job): Promise<void> {
    while (job.ioRequests.length > 0) {
      const r = job.ioRequests.shift()!;
      await perform(job, r);
    }
  }

  async function perform(job: Job, r: IoRequest): Promise<void> {
    switch (r.kind) {
      case 'persistCheckpoint': {
        const s = r.snapshot;
        try {
          await persistCheckpoint(store, options.jobId, s, () => reachPhase('midSnapshotWrite'));
        } catch (e) {
          if (e instanceof Crash) throw e;
          job.failCheckpoint(s.checkpointId, e instanceof Error ? `${e.name}: ${e.message}` : String(e));
          return;
        }
        completed++;
        if (s.checkpointId === savepointId) savepoint = toSavepointFile(options.jobId, s);
        retained.unshift(s.checkpointId);
        for (const old of retained.splice(keep)) await store.deleteCheckpoint(options.jobId, old);
        job.completeCheckpoint(s);
        reachPhase('afterCheckpointComplete');
        return;
      }
      case 'topicAppend':
        if ((await store.topicConfig(r.topic)) === undefined) await store.createTopic(r.topic, { partitions: r.partitions });
        await store.append(r.topic, r.partition, r.records);
        return;
      case 'sinkAppend':
        return store.sinkAppend(r.sink, r.records);
      case 'sinkUpsert':
        return store.sinkUpsert(r.sink, r.records);
      case 'sinkStage':
        await store.sinkStage(r.sink, r.transaction, r.records);
        reachPhase('afterPreCommit');
        return;
      case 'sinkCommit':
        return store.sinkCommit(r.sink, r.transaction);
      case 'sinkAbort':
        return store.sinkAbort(r.sink, r.transaction);
    }
  }
}

/** Loads every partition of the topics the job reads (a topic that does not exist is an error). */
async function loadTopics(store: DurableStore, names: readonly (string | undefined)[]): Promise<Map<string, TopicContents>> {
  const out = new Map<string, TopicContents>();
  for (const name of names) {
    if (name === undefined || out.has(name)) continue;
    const config = await store.topicConfig(name);
    if (config === undefined) throw new InputError(`topic "${name}"`, 'the topic does not exist: produce to it first (a job\'s sinkToTopic, or produceToTopic)');
    const partitions: LogRecord[][] = [];
    for (let p = 0; p < config.partitions; p++) {
      const records: LogRecord[] = [];
      for (;;) {
        const from = records.length === 0 ? 0 : records[records.length - 1]!.offset + 1;
        const chunk = await store.read(name, p, from, 10_000);
        if (chunk.length === 0) break;
        records.push(...chunk);
      }
      partitions.push(records);
    }
    out.set(name, partitions);
  }
  return out;
}

/**
 * Writes a checkpoint as the driver does: every part, then the sealed manifest (with the parts'
 * sizes and checksums). `betweenPartsAndManifest` runs in the gap where a crash leaves a torn
 * checkpoint, which readers never see.
 */
export async function persistCheckpoint(store: DurableStore, jobId: string, s: JobSnapshot, betweenPartsAndManifest: () => void = () => {}): Promise<void> {
  for (const part of s.parts) await store.writeCheckpointPart(jobId, s.checkpointId, part.name, part.data);
  betweenPartsAndManifest();
  await store.writeCheckpointManifest(
    sealManifest({
      jobId,
      checkpointId: s.checkpointId,
      kind: 'checkpoint',
      triggeredAt: s.time,
      completedAt: s.time,
      parts: s.parts.map((part) => describePart(part.name, part.data)),
    }),
  );
}

/** Reads a complete checkpoint's parts back into a snapshot (its manifest was verified when listed). */
async function readSnapshot(store: DurableStore, manifest: CheckpointManifest, seed: number): Promise<JobSnapshot> {
  const parts: { name: string; data: string }[] = [];
  for (const part of manifest.parts) parts.push({ name: part.name, data: await store.readCheckpointPart(manifest.jobId, manifest.checkpointId, part.name) });
  return { version: 1, checkpointId: manifest.checkpointId, time: manifest.completedAt, seed, parts };
}


/** One line per failure, for summaries. */
export function describeFailures(result: DurableRunResult): string[] {
  return result.failures.map((f) => `attempt ${f.attempt} failed at pt ${f.pt}: ${f.reason}`);
}

