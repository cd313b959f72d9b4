// The delivery report in the worker: the job's sink output set against the failure-free run of
// the same code, input and seed (computed here, deterministic), sink by sink, as the command
// line's durable run does it (src/cli/durable-run.ts). A sink with a delivery guarantee is read
// from the store, which holds what every attempt delivered; a plain collecting sink only has
// this attempt's records (earlier workers died with theirs).

import { buildPipeline, withDefaultGuarantee, type PipelineBuilder } from '../engine/api/run-pipeline.ts';
import { compareToReference, sinkWritesAsRecords, upsertTable, type DeliveryReport } from '../engine/checkpoint/delivery-report.ts';
import { DurableSession } from '../engine/checkpoint/durable-session.ts';
import type { SessionOptions } from '../engine/checkpoint/session-options.ts';
import type { DurableStore, SinkWrite } from '../engine/checkpoint/durable-store.ts';
import { MemoryDurableStore } from '../engine/checkpoint/memory-store.ts';
import { preloadTopics } from '../engine/checkpoint/topic-preload.ts';
import { CollectingSink } from '../engine/connectors/collecting-sink.ts';
import { DeliverySink, type DeliveryGuarantee } from '../engine/connectors/delivery-sink.ts';
import { parseTestStream } from '../engine/connectors/test-stream.ts';
import type { OutputReport, RunSettings } from './protocol.ts';

interface SinkInfo {
  readonly name: string;
  /** Undefined for a sink that only collects (it has no store). */
  readonly guarantee: DeliveryGuarantee | undefined;
}

/**
 * Runs the reference (no crashes, no restarts, a store in memory) and compares each sink with
 * what `session` and `store` hold now. A job started from a savepoint is compared with the
 * failure-free run from the same savepoint (`fromSavepoint`), not with one from the beginning.
 */
export async function outputReport(
  build: PipelineBuilder,
  settings: RunSettings,
  session: DurableSession,
  store: DurableStore,
  fromSavepoint?: SessionOptions['fromSavepoint'],
): Promise<OutputReport> {
  const input = settings.input === undefined ? undefined : parseTestStream(settings.input);
  const builder = withDefaultGuarantee(build, settings.guarantee);
  const referenceStore = new MemoryDurableStore();
  await preloadTopics(referenceStore, settings.topics ?? [], settings.seed);
  const reference = await DurableSession.open(builder, {
    store: referenceStore,
    jobId: 'reference',
    seed: settings.seed,
    ...(input !== undefined && { input }),
    checkpointInterval: settings.checkpointInterval,
    checkpointMode: settings.checkpointMode,
    restart: { kind: 'none' },
    resume: false,
    ...(fromSavepoint && { fromSavepoint }),
  });
  await reference.advance();
  const reports: DeliveryReport[] = [];
  for (const sink of sinksOf(builder, input)) {
    if (sink.guarantee === undefined) {
      const expected = reference.records.filter((r) => r.sink === sink.name);
      const actual = session.records.filter((r) => r.sink === sink.name);
      reports.push(onlyReport(sink.name, compareToReference(expected, actual)));
      continue;
    }
    let expected = await referenceStore.sinkRead(sink.name);
    let actual = await store.sinkRead(sink.name);
    if (sink.guarantee === 'upsert') {
      // An upsert sink delivers its final table: compare the rows, not every write.
      expected = tableRows(expected);
      actual = tableRows(actual);
    }
    reports.push(onlyReport(sink.name, compareToReference(sinkWritesAsRecords(sink.name, expected), sinkWritesAsRecords(sink.name, actual))));
  }
  return { sinks: reports };
}

function tableRows(writes: readonly SinkWrite[]): SinkWrite[] {
  return [...upsertTable(writes).values()];
}

/** The pipeline's named sinks in plan order, with the guarantee each writes with. */
function sinksOf(build: PipelineBuilder, input: ReturnType<typeof parseTestStream> | undefined): SinkInfo[] {
  const sinks: SinkInfo[] = [];
  for (const node of buildPipeline(build, input).plan.nodes) {
    if (node.kind !== 'sink') continue;
    const operator = node.createOperator?.();
    if (operator instanceof DeliverySink) sinks.push({ name: node.name, guarantee: operator.guarantee });
    else if (operator instanceof CollectingSink) sinks.push({ name: node.name, guarantee: undefined });
  }
  return sinks;
}

function onlyReport(sink: string, reports: DeliveryReport[]): DeliveryReport {
  return reports[0] ?? { sink, expected: 0, actual: 0, duplicated: [], lost: [], duplicates: 0, losses: 0, exact: true };
}
