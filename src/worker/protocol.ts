// What crosses the boundary between the page and the engine's worker, in one file (as comlink's
// protocol.ts): the control API the page calls through comlink, the settings of a run, and the
// trace deltas the worker pushes a few dozen times a second in transferable buffers.
// Invariant: everything here is plain, structured-cloneable data; no engine objects cross.

import type { CheckpointMode } from '../engine/checkpoint/checkpoint-coordinator.ts';
import type { DeliveryReport } from '../engine/checkpoint/delivery-report.ts';
import type { RestartStrategy } from '../engine/checkpoint/restart-strategy.ts';
import type { SavepointFile } from '../engine/checkpoint/savepoint.ts';
import type { TopicPreload } from '../engine/checkpoint/topic-preload.ts';
import type { DeliveryGuarantee } from '../engine/connectors/delivery-sink.ts';
import type { OperatorInfo } from '../engine/trace/trace-event.ts';
import type { LessonInput, LessonSettings } from '../lessons/lesson.ts';

/** Everything besides the code that decides a run; a share link carries exactly this. */
export interface RunSettings {
  readonly seed: number;
  /** Processing time (ms) between checkpoints; null runs without checkpoints. */
  readonly checkpointInterval: number | null;
  readonly checkpointMode: CheckpointMode;
  /** Incremental checkpoints: write only the keys changed since the last one (absent: full snapshots). */
  readonly incremental?: boolean;
  /** The guarantee of `sinkTo` sinks that do not choose one. */
  readonly guarantee: DeliveryGuarantee;
  readonly restart: RestartStrategy;
  /** TestStream JSON for `p.input()` (the CLI's `--input`), or undefined. */
  readonly input?: unknown;
  /**
   * Processing times at which the page kills the worker for real (crash now, and a share link
   * that replays those crashes). Sorted ascending.
   */
  readonly crashAt: readonly number[];
  /**
   * Log topics the job's store holds before the job starts (a lesson's `topics:`): created and
   * produced on a fresh start only, never again on a resume (the topic outlives the attempt).
   */
  readonly topics?: readonly TopicPreload[];
}

export const DEFAULT_SETTINGS: RunSettings = {
  seed: 1,
  checkpointInterval: 1000,
  checkpointMode: 'aligned',
  guarantee: 'exactlyOnce',
  restart: { kind: 'fixedDelay', attempts: 3, delay: 1000 },
  crashAt: [],
};

/** Where user code went wrong, with the line in the user's own file when it is known. */
export interface CodeError {
  readonly kind: 'compile' | 'definition' | 'runtime' | 'input' | 'timeout' | 'storage' | 'internal';
  readonly message: string;
  /** 1-based line and column in the user's TypeScript source. */
  readonly line?: number;
  readonly column?: number;
}

/** Which job's durable data a worker works on, and whether to recover it. */
export interface JobTicket {
  /** Names the job's checkpoints, logs and sink output in the durable store. */
  readonly jobId: string;
  /**
   * True when a previous worker of this job was killed: restore the newest complete checkpoint
   * in the store and replay from it. False starts from nothing (stale data of the job is cleared).
   */
  readonly resume: boolean;
  /** The attempt number this worker runs (1 for a fresh start). */
  readonly attempt: number;
  /**
   * Start from this savepoint instead of from the beginning (the code may have changed since
   * it was taken). A resumed attempt restores its own newest checkpoint if it has one, else
   * this savepoint again, as Flink does.
   */
  readonly fromSavepoint?: SavepointStart;
}

/** A savepoint to start a job from, and whether state of operators the code lost may be dropped. */
export interface SavepointStart {
  readonly file: SavepointFile;
  /** Drop state of operators the new code no longer has instead of refusing (Flink's --allowNonRestoredState). */
  readonly allowNonRestoredState: boolean;
}

export type LoadResult =
  | {
      readonly ok: true;
      readonly operators: readonly OperatorInfo[];
      /** The checkpoint restored (resume), null when the job started from the beginning. */
      readonly restoredFrom: number | null;
      /** The processing clock after loading (a restored job starts at its checkpoint's time). */
      readonly pt: number;
    }
  | { readonly ok: false; readonly error: CodeError };

export interface StepResult {
  /** The processing clock now. */
  readonly pt: number;
  readonly finished: boolean;
  /** Set when the job failed and its restart strategy gave up, or user code threw. */
  readonly error?: CodeError;
  /**
   * `play(speed, until)` stopped because the next event is at `until` or later (`until` is
   * exclusive: every event before it ran, none at it).
   */
  readonly reachedUntil?: boolean;
  /**
   * Deltas the worker had sent when it answered. They travel on their own port, which keeps no
   * order with the answer's, so the page waits for that many before it kills the worker at a
   * planned crash (what the worker sent would be lost with it, and the page's timeline with it).
   */
  readonly deltas?: number;
}

/**
 * Processing-time milliseconds per wall-clock second. `Infinity` runs flat out (still yielding
 * to deliver deltas and control calls).
 */
export type Speed = number;

/** Output of the job set against the failure-free run of the same code, input and seed. */
export interface OutputReport {
  readonly sinks: readonly DeliveryReport[];
}

/**
 * The engine worker's API, called through comlink. One worker runs one attempt of one job; a
 * crash terminates the worker and the page starts a fresh one with `resume: true`.
 */
export interface EngineApi {
  /** Compiles the TypeScript source, builds the pipeline and starts or restores the job. */
  load(source: string, settings: RunSettings, ticket: JobTicket): Promise<LoadResult>;
  /**
   * Compiles `source` ahead of `load` (which then reuses the result), running no user code:
   * a fresh worker's start-up and the compiler's first run can take seconds on a busy machine,
   * so the host watches this call with a longer limit than calls that run user code. Never
   * rejects; `load` reports compile errors.
   */
  prepare(source: string): Promise<void>;
  /**
   * Deltas arrive through `onDelta` (a comlink proxy) until the worker ends. `onError`, when
   * given, hears of failures outside any call: a promise user code left to reject (a `fetch`
   * the sandbox refused, say).
   */
  subscribe(onDelta: (delta: TraceDelta) => void, onError?: (error: CodeError) => void): void;
  /**
   * Runs at `speed` until paused, finished, failed, or the clock reaches `until` (every event
   * before `until` runs, none at it). A play while playing changes the speed and the stop.
   */
  play(speed: Speed, until?: number): Promise<StepResult>;
  /** Stops a `play` at the next event boundary; resolves once stopped. */
  pause(): Promise<StepResult>;
  /** Runs exactly one scheduler event (one queued element or one timed event). */
  step(): Promise<StepResult>;
  /** Triggers a checkpoint now; resolves with its id once it completed (null if it failed). */
  checkpointNow(): Promise<number | null>;
  /** Takes a savepoint now (the job keeps running). */
  savepoint(): Promise<SavepointFile>;
  /**
   * Flink's stop-with-savepoint: runs what is due at the current processing time, takes a
   * savepoint and stops the job there. Null when the job had already ended or the savepoint
   * could not be completed (the job is stopped all the same).
   */
  stopWithSavepoint(): Promise<SavepointFile | null>;
  /** The job's sink output compared with the failure-free run (computed in this worker). */
  outputReport(): Promise<OutputReport>;
  /**
   * Runs the learner's pipeline headless as `brook check` does and judges it with the lesson's
   * check.ts (both compiled here, in the sandbox). Needs no loaded job; never rejects for the
   * learner's or the check's own mistakes.
   */
  checkLesson(request: LessonCheckRequest): Promise<LessonCheckResult>;
  /** Answers at once unless the worker's thread is stuck in user code (the watchdog's probe). */
  ping(): number;
}

/** What `checkLesson` needs: the two sources and the lesson's input and settings (plain data). */
export interface LessonCheckRequest {
  /** The learner's pipeline (TypeScript). */
  readonly source: string;
  /** The lesson's check.ts (TypeScript importing only 'brook' and types). */
  readonly checkSource: string;
  readonly input: LessonInput;
  readonly settings: LessonSettings;
}

/**
 * A check's outcome: a verdict (the messages are markdown for the learner), or why there is none —
 * the learner's pipeline did not compile or build (`pipeline`), or the lesson's check itself
 * failed (`check`).
 */
export type LessonCheckResult =
  | { readonly kind: 'verdict'; readonly pass: boolean; readonly messages: readonly string[] }
  | { readonly kind: 'error'; readonly where: 'pipeline' | 'check'; readonly error: CodeError };

/** Numbers per record in `TraceDelta.records`, in this order. */
export const RECORD_COLUMNS = ['eventTime', 'pt', 'source', 'partition', 'offset'] as const;
export const RECORD_STRIDE = RECORD_COLUMNS.length;

/**
 * What the worker sends the page, a few dozen times a second: everything that happened since
 * the previous delta. Record arrivals travel as numbers in a transferred Float64Array; every
 * other trace event as UTF-8 JSON in a transferred buffer. High-rate events are summarised
 * (see trace-summarizer.ts), never silently dropped: what was left out is counted.
 */
export interface TraceDelta {
  readonly seq: number;
  readonly attempt: number;
  /** The processing clock at the end of this delta. */
  readonly pt: number;
  readonly finished: boolean;
  /** `RECORD_STRIDE` numbers per sampled record arrival; `source` indexes `sources`. */
  readonly records: Float64Array;
  /** Source names, so `records` can index them. Always the full list for this attempt. */
  readonly sources: readonly string[];
  /** Record arrivals in this delta that are counted but not in `records` (sampling). */
  readonly recordsSkipped: number;
  /** UTF-8 JSON of `TraceEvent[]` minus `recordArrived`, with high-rate kinds coalesced. */
  readonly events: Uint8Array;
  /** Events of high-rate kinds folded into later ones of the same subtask and key. */
  readonly eventsCoalesced: number;
  /**
   * Pane firings and sink records past the run's cap (counted, not sent). Absent means 0; only
   * a run of hundreds of thousands of results reaches it.
   */
  readonly eventsSkipped?: number;
}
