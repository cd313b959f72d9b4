// What a lesson's check receives: the result of one headless run of the learner's pipeline
// (sink records, the full trace, and for checkpointed runs what each sink's store holds and
// what crashes duplicated or lost), with small queries over it. Invariant: a check judges only
// what the engine did, never the code's text, so any correct pipeline passes.

import type { DeliveryReport } from '../engine/checkpoint/delivery-report.ts';
import type { LogRecord, SinkWrite } from '../engine/checkpoint/durable-store.ts';
import type { TopicContents } from '../engine/connectors/topic-source.ts';
import type { SinkRecord } from '../engine/connectors/collecting-sink.ts';
import type { SubtaskMetrics, TraceEvent } from '../engine/trace/trace-event.ts';
import { formatClock } from './links.ts';

export type PaneFired = Extract<TraceEvent, { type: 'paneFired' }>;
export type RecordDropped = Extract<TraceEvent, { type: 'recordDropped' }>;
export type RecordLate = Extract<TraceEvent, { type: 'recordLate' }>;
export type TimerFired = Extract<TraceEvent, { type: 'timerFired' }>;

/** Facts of a checkpointed run (settings.checkpointInterval set). */
export interface DurableFacts {
  /** What a reader of each sink's external store sees after the run, by sink name. */
  readonly stored: Readonly<Record<string, readonly SinkWrite[]>>;
  /** Per sink, the store against the same run without crashes (only when crashes were planned). */
  readonly delivery: readonly DeliveryReport[];
  readonly attempts: number;
  readonly completedCheckpoints: number;
  readonly failures: readonly { readonly attempt: number; readonly reason: string; readonly pt: number }[];
  /** False when the restart strategy gave up. */
  readonly finished: boolean;
}

export interface LessonRun {
  /** Every record that reached a plain sink, in order (from every attempt of a checkpointed run). */
  readonly records: readonly SinkRecord[];
  /** Every trace event, in order. */
  readonly trace: readonly TraceEvent[];
  readonly metrics: readonly SubtaskMetrics[];
  /** Present for checkpointed runs. */
  readonly durable?: DurableFacts;
  /** The length of the run's timeline in ms (processing time, plus each attempt after a crash). */
  readonly timelineEnd: number;
  /** Records of one sink. */
  sink(name: string): SinkRecord[];
  /**
   * The log of a topic the lesson pre-loaded, as the job found it when it started (compacted,
   * if the lesson asks for it): every partition's records in offset order, partition by
   * partition. Empty for a topic the lesson does not declare.
   */
  topic(name: string): TopicLogRecord[];
  /** Every pane fired, by every window operator. */
  panes(): PaneFired[];
  /** Records dropped (late beyond the allowed lateness, or for a closed window). */
  drops(): RecordDropped[];
  /** Records sent to a late-data side output. */
  late(): RecordLate[];
  timersFired(): TimerFired[];
  /** `0:12:07` for 727000: how messages name a time. */
  clock(ms: number): string;
  /** `[0:12:00, 0:14:00)` for a window. */
  window(w: { readonly start: number; readonly end: number } | 'global'): string;
}

/** A record of a pre-loaded topic, with the partition it is in. */
export interface TopicLogRecord extends LogRecord {
  readonly partition: number;
}

/** A check's verdict: pass, or what is wrong, in the learner's terms. */
export type CheckResult = { readonly pass: true } | { readonly pass: false; readonly messages: readonly string[] };

/**
 * What check.ts exports by default. It may return the messages only: none means pass.
 * @example
 * const check: LessonCheck = (run) => (run.sink('alerts').length === 0 ? ['no alert reached the "alerts" sink'] : []);
 */
export type LessonCheck = (run: LessonRun) => CheckResult | readonly string[];

/** Normalises what a check returned. */
export function verdictOf(outcome: CheckResult | readonly string[]): CheckResult {
  if (Array.isArray(outcome)) {
    const messages = outcome as readonly string[];
    return messages.length === 0 ? { pass: true } : { pass: false, messages };
  }
  return outcome as CheckResult;
}

/** Builds the LessonRun a check sees from what the engine returned. */
export function lessonRunOf(parts: {
  records: readonly SinkRecord[];
  trace: readonly TraceEvent[];
  metrics: readonly SubtaskMetrics[];
  durable?: DurableFacts;
  downtime?: number;
  /** The pre-loaded topics' logs when the job started, by name. */
  topics?: Readonly<Record<string, TopicContents>>;
}): LessonRun {
  const { records, trace, metrics } = parts;
  const ofType = <K extends TraceEvent['type']>(type: K) => trace.filter((e): e is Extract<TraceEvent, { type: K }> => e.type === type);
  return {
    records,
    trace,
    metrics,
    ...(parts.durable && { durable: parts.durable }),
    timelineEnd: timelineLength(trace) + (parts.downtime ?? 0),
    sink: (name) => records.filter((r) => r.sink === name),
    topic: (name) => (parts.topics?.[name] ?? []).flatMap((log, partition) => log.map((r) => ({ ...r, partition }))),
    panes: () => ofType('paneFired'),
    drops: () => ofType('recordDropped'),
    late: () => ofType('recordLate'),
    timersFired: () => ofType('timerFired'),
    clock: formatClock,
    window: (w) => (w === 'global' ? 'the global window' : `[${formatClock(w.start)}, ${formatClock(w.end)})`),
  };
}

/**
 * The processing time a run covered, attempt after attempt: a restored attempt starts again
 * at its checkpoint's time, and the sandbox's timeline draws it after the crash.
 */
export function timelineLength(trace: readonly TraceEvent[]): number {
  let total = 0;
  // The first attempt's timeline starts at processing time 0, as the sandbox's RunModel draws
  // it (t = pt), even when the job's clock starts later (a source whose first record arrives late).
  let start: number | undefined = 0;
  let last = 0;
  for (const e of trace) {
    if (start === undefined) start = e.pt;
    last = e.pt;
    if (e.type === 'jobCrashed') {
      total += e.pt - start;
      start = undefined;
    }
  }
  if (start !== undefined) total += last - start;
  return total;
}
