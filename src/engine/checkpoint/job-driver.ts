// runDurable: a durable job run to the end in one call (docs/durability.md), for the command
// line, benchmarks and tests. It drives one DurableSession (durable-session.ts), which steps the
// deterministic job, fulfils its I/O requests against a DurableStore in order, injects the
// planned crashes, and recovers by building a fresh job from the latest complete checkpoint.
// There is one driver: what runDurable does, a session stepped from outside does too.

import type { PipelineBuilder } from '../api/run-pipeline.ts';
import type { SinkRecord } from '../connectors/collecting-sink.ts';
import { DurableSession, type SessionOptions } from './durable-session.ts';
import type { SavepointFile } from './savepoint.ts';

export type { CrashPhase, CrashPlan, RecoveryMode } from './durable-session.ts';
export { persistCheckpoint } from './store-io.ts';

/** A durable run's options: a session's (session-options.ts), started or continued from the store. */
export interface DurableRunOptions extends Omit<SessionOptions, 'resume' | 'attempt'> {
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

/**
 * Runs a pipeline durably: checkpoints to `store`, crashes as planned, recovers, and reports. A
 * store that already holds complete checkpoints of `jobId` is continued from the newest.
 * @example
 * const r = await runDurable(build, { store: new MemoryDurableStore(), jobId: 'j', checkpointInterval: 1000, crashes: { atProcessingTimes: [2500] } });
 */
export async function runDurable(build: PipelineBuilder, options: DurableRunOptions): Promise<DurableRunResult> {
  const { stopWithSavepointAt, ...rest } = options;
  const session = await DurableSession.open(build, { ...rest, resume: 'continue' });
  let savepoint: SavepointFile | undefined;
  if (stopWithSavepointAt !== undefined) savepoint = await session.stopWithSavepointAt(stopWithSavepointAt);
  else while (!session.finished && session.failed === undefined) await session.advance();
  return {
    records: session.records,
    finished: session.finished,
    attempts: session.attempt,
    failures: session.failures,
    completedCheckpoints: session.completedCheckpoints,
    downtime: session.downtime,
    ...(savepoint !== undefined ? { savepoint } : {}),
  };
}

/** One line per failure, for summaries. */
export function describeFailures(result: DurableRunResult): string[] {
  return result.failures.map((f) => `attempt ${f.attempt} failed at pt ${f.pt}: ${f.reason}`);
}
