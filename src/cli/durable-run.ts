// `brook run --checkpoint-interval MS`: runs the pipeline with the durable driver (runDurable)
// against an in-memory store, with the crashes, restart strategy, delivery guarantee and
// savepoints the flags ask for; prints what a reader of each sink sees afterwards, and on
// standard error a summary: checkpoints, failures and restarts, downtime, and per sink what
// was duplicated or lost against the same run without failures (docs/durability.md).
//
// Strategy:
//   1. Build the pipeline once to learn its sinks and their guarantees (a sink made with
//      sinkTo keeps its own; every other takes --guarantee), and so the recovery mode.
//   2. Run it without failures (the reference), recording when source records arrive: the
//      delivery report compares against it, and --crash-random / --crash-every-records draw
//      their crash times from its arrivals.
//   3. Run it with the crashes and the restart strategy; then read each sink from the store.
// Runs are deterministic, so the same flags and seed always print the same. A job that fails
// with the same error RESTART_LOOP_LIMIT times in a row is stopped, whatever the strategy
// (backoff restarts forever), and reported as a restart loop.

import { writeFileSync, readFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { buildPipeline, runPipeline, withDefaultGuarantee, type PipelineBuilder } from '../engine/api/run-pipeline.ts';
import { CollectingSink, type SinkRecord } from '../engine/connectors/collecting-sink.ts';
import type { TestStreamSpec } from '../engine/connectors/test-stream.ts';
import {
  compareToReference,
  compareUpsertTables,
  describeReport,
  describeUpsertReport,
  sinkWritesAsRecords,
  type DeliveryReport,
} from '../engine/checkpoint/delivery-report.ts';
import type { SinkWrite } from '../engine/checkpoint/durable-store.ts';
import { runDurable, type DurableRunOptions, type DurableRunResult, type RecoveryMode } from '../engine/checkpoint/job-driver.ts';
import { MemoryDurableStore } from '../engine/checkpoint/memory-store.ts';
import { nextRestart, type RestartStrategy } from '../engine/checkpoint/restart-strategy.ts';
import { parseSavepointFile, type SavepointFile, type StateMigrations } from '../engine/checkpoint/savepoint.ts';
import { DeliverySink, type DeliveryGuarantee } from '../engine/connectors/delivery-sink.ts';
import type { TraceEvent } from '../engine/trace/trace-event.ts';
import { toJson } from '../engine/trace/json.ts';
import { guaranteeName, type DurableArgs } from './args.ts';
import { crashPlan } from './crash-plan.ts';

export { randomCrashTimes } from './crash-plan.ts';
import { FileError, fileErrorReason, JobFailedError } from './errors.ts';
import { describeThrown } from './load-pipeline.ts';
import { LineWriter, sinkRecordLine, sinkWriteLine } from './output.ts';

export interface DurableRunContext {
  /** The pipeline file as the user wrote it; its name (without extension) is the job id. */
  readonly pipeline: string;
  readonly cwd: string;
  readonly seed: number;
  readonly input?: TestStreamSpec<unknown>;
  /** --trace: where the crashed run's trace events go. */
  readonly trace?: LineWriter;
  readonly stdoutFd: number;
  readonly stderrFd: number;
  /** The pipeline file's `export const migrations`, applied when it resumes from a savepoint. */
  readonly migrations?: StateMigrations;
}

/** Brook stops a job that failed this many times in a row with the same error, whatever the strategy. */
export const RESTART_LOOP_LIMIT = 25;

/** One sink of the pipeline and the guarantee it writes with (undefined: it only collects). */
interface SinkInfo {
  readonly name: string;
  readonly guarantee: DeliveryGuarantee | undefined;
  /** Chosen by the pipeline (sinkTo), not by --guarantee. */
  readonly own: boolean;
}

interface Failure {
  readonly attempt: number;
  readonly reason: string;
  readonly pt: number;
}

/** What the crashed run's trace said. */
interface RunStats {
  completed: number;
  failed: number;
  readonly failures: Failure[];
  /** Attempt → the checkpoint it restored (null: it started over). */
  readonly restored: Map<number, number | null>;
  /** The same non-injected error, how many times in a row. */
  repeat: number;
  /** Operators the first restore (from --from-savepoint) ran at another parallelism. */
  rescaled: NonNullable<(TraceEvent & { type: 'jobRestored' })['rescaled']>;
}

/** A sink's records after the run: collected ones, or what its store holds. */
type SinkContents = { readonly records: SinkRecord[] } | { readonly writes: SinkWrite[] };

/** Thrown from the trace callback to stop a job whose strategy would restart it forever. */
class RestartLoopStop extends Error {}

const isInjected = (reason: string): boolean => reason.startsWith('Crash: ');

/** Runs the checkpointed job; returns the exit status (the summary is written either way). */
export async function runDurableCommand(build: PipelineBuilder, args: DurableArgs, context: DurableRunContext): Promise<number> {
  const fromSavepoint = args.fromSavepoint === undefined ? undefined : readSavepoint(args.fromSavepoint, context.cwd);
  // 1. The sinks, and how the job recovers.
  const builder = withDefaultGuarantee(build, args.guarantee);
  const sinks = sinksOf(build, args.guarantee, context.input);
  const recovery: RecoveryMode = recoveryFor(sinks);

  const common: Omit<DurableRunOptions, 'store'> = {
    jobId: basename(context.pipeline, extname(context.pipeline)) || 'job',
    seed: context.seed,
    checkpointInterval: args.checkpointInterval,
    checkpointMode: args.checkpointMode,
    ...(args.checkpointTimeout !== undefined && { checkpointTimeout: args.checkpointTimeout }),
    ...(args.incremental && { incremental: true }),
    recovery,
    ...(context.input !== undefined && { input: context.input }),
    ...(args.stopWithSavepointAt !== undefined && { stopWithSavepointAt: args.stopWithSavepointAt }),
    ...(fromSavepoint !== undefined && {
      fromSavepoint: { file: fromSavepoint, options: { allowNonRestoredState: args.allowNonRestoredState, ...(context.migrations && { migrations: context.migrations }) } },
    }),
  };

  // 2. The reference: the same run without failures.
  const arrivals: number[] = [];
  const wantArrivals = args.crashRandom !== undefined || args.crashEveryRecords !== undefined;
  const referenceStore = new MemoryDurableStore();
  const reference = await runDurable(builder, {
    ...common,
    store: referenceStore,
    restart: { kind: 'none' },
    ...(wantArrivals && { onTrace: (e: TraceEvent) => void (e.type === 'recordArrived' && arrivals.push(e.pt)) }),
  });

  const summary: string[] = [];
  summary.push(
    `checkpointed run: every ${args.checkpointInterval} ms (${args.checkpointMode}${args.incremental ? ', incremental' : ''}), ` +
      `sinks without their own guarantee: ${guaranteeName(args.guarantee)}, restart: ${args.restartSpec}` +
      (recovery === 'skipAhead' ? ', recovery: skip ahead (at-most-once)' : ''),
  );
  summary.push(...recoveryNotes(sinks, recovery));
  const { plan, lines: planLines } = crashPlan(args, arrivals, context.seed);
  summary.push(...planLines);

  // 3. The run with failures.
  const store = new MemoryDurableStore();
  const stats: RunStats = { completed: 0, failed: 0, failures: [], restored: new Map(), repeat: 0, rescaled: [] };
  const onTrace = (e: TraceEvent): void => {
    context.trace?.write(toJson(e));
    if (e.type === 'checkpointCompleted') stats.completed++;
    else if (e.type === 'checkpointFailed') stats.failed++;
    else if (e.type === 'jobRestored') {
      stats.restored.set(e.attempt, e.checkpointId);
      if (e.attempt === 1 && e.rescaled !== undefined) stats.rescaled = e.rescaled;
    } else if (e.type === 'jobCrashed') {
      const last = stats.failures.at(-1);
      stats.repeat = !isInjected(e.reason) && last?.reason === e.reason ? stats.repeat + 1 : 1;
      stats.failures.push({ attempt: e.attempt, reason: e.reason, pt: e.pt });
      if (!isInjected(e.reason) && stats.repeat >= RESTART_LOOP_LIMIT) throw new RestartLoopStop();
    }
  };
  let result: DurableRunResult | undefined;
  try {
    result = await runDurable(builder, { ...common, store, crashes: plan, restart: args.restart, onTrace });
  } catch (error) {
    if (!(error instanceof RestartLoopStop)) throw error;
  }

  // What a reader of each sink sees, sink by sink in the order the pipeline declares them.
  const out = new LineWriter(context.stdoutFd);
  const contents = new Map<string, SinkContents>();
  for (const sink of sinks) {
    if (sink.guarantee === undefined) {
      const records = (result?.records ?? []).filter((r) => r.sink === sink.name);
      contents.set(sink.name, { records });
      for (const r of records) out.write(sinkRecordLine(r));
    } else {
      const writes = await store.sinkRead(sink.name);
      contents.set(sink.name, { writes });
      for (const w of writes) out.write(sinkWriteLine(sink.name, w));
    }
  }
  out.flush();

  // The summary.
  if (fromSavepoint !== undefined && stats.rescaled.length > 0) {
    const each = stats.rescaled.map((r) => `"${r.operatorId}" rescaled from ${r.from} to ${r.to} subtasks`);
    summary.push(`restored savepoint ${fromSavepoint.savepointId}: ${each.join(', ')} (keyed state moved by key group, source partitions reassigned)`);
  }
  summary.push(`checkpoints: ${stats.completed} completed, ${stats.failed} failed`);
  const stopped = result === undefined;
  const gaveUp = stopped || (!result!.finished && result!.savepoint === undefined && stats.failures.length > 0);
  const restarts = gaveUp ? stats.failures.length - 1 : stats.failures.length;
  const downtime = result?.downtime ?? restartDelays(stats.failures.slice(0, -1), args.restart);
  summary.push(`failures: ${stats.failures.length}, restarts: ${restarts}, downtime: ${downtime} ms`);
  summary.push(...failureLines(stats, recovery, gaveUp, stopped ? `stopped by brook` : `the restart strategy ${args.restartSpec} gave up`));
  const loop = restartLoop(stats.failures);
  if (loop !== undefined) summary.push(`restart loop: the same error ${loop} times — a poison record? route bad records to a side output`);
  if (stopped) {
    summary.push(`brook stopped the job after ${RESTART_LOOP_LIMIT} identical failures in a row: the restart strategy ${args.restartSpec} would restart it forever`);
  }

  if (reference.finished || reference.savepoint !== undefined) {
    summary.push('delivery, against the same run without failures:');
    for (const sink of sinks) {
      const text = await deliveryReport(sink, contents.get(sink.name)!, reference, referenceStore);
      summary.push(...text.split('\n').map((line) => `  ${line}`));
    }
  } else {
    const why = reference.failures.at(-1)?.reason ?? 'it did not finish';
    summary.push(`delivery: no report, the job fails even without injected crashes (${why})`);
  }

  let failure: unknown;
  if (result?.savepoint !== undefined) {
    const sp = result.savepoint;
    let written = '';
    if (args.savepointOut !== undefined) {
      try {
        writeSavepoint(sp, args.savepointOut, context.cwd);
        written = `, written to ${args.savepointOut}`;
      } catch (error) {
        failure = error;
      }
    }
    summary.push(`job stopped with savepoint ${sp.savepointId} at pt ${sp.time}${written}`);
  } else if (result?.finished === true) {
    summary.push('job finished');
    if (args.stopWithSavepointAt !== undefined) {
      failure = new JobFailedError(`the job finished before pt ${args.stopWithSavepointAt} (--stop-with-savepoint-at): no savepoint was taken`);
    }
  } else if (!gaveUp) {
    summary.push('job stopped without a savepoint');
    failure = new JobFailedError(`no savepoint could be taken at pt ${args.stopWithSavepointAt} (see the failed checkpoints above)`);
  } else {
    const last = stats.failures.at(-1);
    summary.push(`job failed: ${stopped ? 'brook stopped the restart loop' : `the restart strategy ${args.restartSpec} gave up`}`);
    failure = lastError(last, builder, context, fromSavepoint !== undefined);
  }

  const err = new LineWriter(context.stderrFd);
  for (const line of summary) err.write(line);
  err.flush();
  if (failure !== undefined) throw failure;
  return 0;
}

/**
 * The pipeline's named sinks in plan order, each with the guarantee it writes with. Sinks of
 * other kinds (a topic sink writes to a log topic, not to a sink's store) are left out.
 */
function sinksOf(build: PipelineBuilder, guarantee: DeliveryGuarantee, input: TestStreamSpec<unknown> | undefined): SinkInfo[] {
  const p = buildPipeline(build, input);
  const sinks: SinkInfo[] = [];
  for (const node of p.plan.nodes) {
    if (node.kind !== 'sink') continue;
    const operator = node.createOperator?.();
    if (operator instanceof DeliverySink) sinks.push({ name: node.name, guarantee: operator.guarantee, own: true });
    else if (operator instanceof CollectingSink) sinks.push({ name: node.name, guarantee, own: false });
  }
  return sinks;
}

/** At-most-once needs the sources to skip ahead after a crash; any other guarantee needs a replay. */
function recoveryFor(sinks: readonly SinkInfo[]): RecoveryMode {
  const guarantees = sinks.map((s) => s.guarantee).filter((g) => g !== undefined);
  return guarantees.length > 0 && guarantees.every((g) => g === 'atMostOnce') ? 'skipAhead' : 'replay';
}

/** Says so when an at-most-once sink shares a job that replays. */
function recoveryNotes(sinks: readonly SinkInfo[], recovery: RecoveryMode): string[] {
  if (recovery !== 'replay') return [];
  const atMostOnce = sinks.filter((s) => s.guarantee === 'atMostOnce');
  const other = sinks.find((s) => s.guarantee !== undefined && s.guarantee !== 'atMostOnce');
  if (atMostOnce.length === 0 || other === undefined) return [];
  return [
    `note: ${atMostOnce.map((s) => `sink "${s.name}"`).join(', ')} ${atMostOnce.length === 1 ? 'is' : 'are'} at-most-once, but the job ` +
      `recovers by replaying from its checkpoint for sink "${other.name}" (${guaranteeName(other.guarantee!)}), so it may repeat output too`,
  ];
}

/**
 * The restart delays of these failures (each restarted), as the driver adds them up: injected
 * crashes restart at once; a failure of the job's own waits as the strategy says for the n-th
 * failure (the delay never depends on when failures happened, only whether to restart does).
 */
function restartDelays(failures: readonly Failure[], strategy: RestartStrategy): number {
  let total = 0;
  failures.forEach((f, i) => {
    if (!isInjected(f.reason)) total += nextRestart(strategy, new Array<number>(i + 1).fill(0)).delay;
  });
  return total;
}

/** One line per run of identical failures: when, why, and how the job went on. */
function failureLines(stats: RunStats, recovery: RecoveryMode, gaveUp: boolean, why: string): string[] {
  const lines: string[] = [];
  const f = stats.failures;
  for (let i = 0; i < f.length; ) {
    let j = i;
    // Identical failures in a row (a poison record) make one line.
    while (j + 1 < f.length && f[j + 1]!.reason === f[i]!.reason && f[j + 1]!.pt === f[i]!.pt && !isInjected(f[i]!.reason)) j++;
    const restarted = (attempt: number): string => {
      if (recovery === 'skipAhead') return 'restarted with empty state, sources where they were';
      const cp = stats.restored.get(attempt + 1);
      return cp === null || cp === undefined ? 'restarted from the beginning (no checkpoint yet)' : `restarted from checkpoint ${cp}`;
    };
    let then: string;
    if (j === f.length - 1 && gaveUp) {
      then = i === j ? `not restarted: ${why}` : `${restarted(f[i]!.attempt)} (${j - i}×), then not restarted: ${why}`;
    } else {
      then = i === j ? restarted(f[i]!.attempt) : `${restarted(f[i]!.attempt)} (${j - i + 1}×)`;
    }
    const who = i === j ? `attempt ${f[i]!.attempt}` : `attempts ${f[i]!.attempt}-${f[j]!.attempt}`;
    lines.push(`  ${who} failed at pt ${f[i]!.pt}: ${f[i]!.reason} → ${then}`);
    i = j + 1;
  }
  return lines;
}

/** How often the most repeated error of the job's own (not an injected crash) occurred, if more than once. */
function restartLoop(failures: readonly Failure[]): number | undefined {
  const counts = new Map<string, number>();
  for (const f of failures) if (!isInjected(f.reason)) counts.set(f.reason, (counts.get(f.reason) ?? 0) + 1);
  const most = Math.max(0, ...counts.values());
  return most >= 2 ? most : undefined;
}


/** The sink's delivery report against the reference, as describeReport (or describeUpsertReport) gives it. */
async function deliveryReport(sink: SinkInfo, actual: SinkContents, reference: DurableRunResult, referenceStore: MemoryDurableStore): Promise<string> {
  let text: string;
  if ('writes' in actual) {
    const expected = await referenceStore.sinkRead(sink.name);
    if (sink.guarantee === 'upsert') {
      text = describeUpsertReport(compareUpsertTables(sink.name, expected, actual.writes));
    } else {
      const [report] = compareToReference(sinkWritesAsRecords(sink.name, expected), sinkWritesAsRecords(sink.name, actual.writes));
      text = describeReport(report ?? emptyReport(sink.name));
    }
  } else {
    const expected = reference.records.filter((r) => r.sink === sink.name);
    const [report] = compareToReference(expected, actual.records);
    text = describeReport(report ?? emptyReport(sink.name));
  }
  if (sink.guarantee === 'atMostOnce' && /\(×\d+ instead of ×0\)/.test(text)) {
    text +=
      '\n  (at-most-once restarts with empty state: a result cut short by a crash is written instead of the full one, ' +
      'so it shows as a record written "instead of ×0" and the full one as lost)';
  }
  const label = sink.guarantee === undefined ? 'collected' : `${guaranteeName(sink.guarantee)}${sink.own ? ', its own' : ''}`;
  const head = `sink ${JSON.stringify(sink.name)}:`;
  return text.startsWith(head) ? `sink ${JSON.stringify(sink.name)} (${label}):${text.slice(head.length)}` : text;
}

function emptyReport(sink: string): DeliveryReport {
  return { sink, expected: 0, actual: 0, duplicated: [], lost: [], duplicates: 0, losses: 0, exact: true };
}

/**
 * The error to end with when the job gave up. Runs are deterministic, so an error of the job's
 * own (a poison record) happens again in a plain run of the same pipeline, where it can be
 * caught with its stack and shown at its file and line; otherwise the reason alone is given.
 */
function lastError(last: Failure | undefined, builder: PipelineBuilder, context: DurableRunContext, restored: boolean): unknown {
  const reason = last?.reason ?? 'unknown';
  if (last !== undefined && !isInjected(reason) && !restored) {
    try {
      runPipeline(builder, { seed: context.seed, ...(context.input !== undefined && { input: context.input }) });
    } catch (error) {
      if (describeThrown(error) === reason) return error;
    }
  }
  return new JobFailedError(`the job failed and was not restarted: ${reason}`);
}

function readSavepoint(path: string, cwd: string): SavepointFile {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch (error) {
    throw new FileError(`cannot read savepoint file ${path}: ${fileErrorReason(error)}`);
  }
  return parseSavepointFile(text, path);
}

function writeSavepoint(sp: SavepointFile, path: string, cwd: string): void {
  try {
    writeFileSync(resolve(cwd, path), JSON.stringify(sp, null, 2) + '\n');
  } catch (error) {
    throw new FileError(`cannot write savepoint file ${path}: ${fileErrorReason(error)}`);
  }
}
