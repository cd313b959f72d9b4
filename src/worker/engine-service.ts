// The engine's API as the worker serves it (EngineApi in protocol.ts), free of any transport:
// the worker exposes it with comlink, tests call it over a Node MessageChannel. It compiles the
// user's code, drives a DurableSession at the asked speed, and pushes summarised trace deltas.
// Invariant: while playing it yields to the event loop every few ms, so pause, ping and the
// deltas themselves get through even flat out; one call runs the job at a time.

import * as Comlink from 'comlink';
import * as brookApi from '../engine/api/index.ts';
import { withDefaultGuarantee } from '../engine/api/run-pipeline.ts';
import { DurableSession } from '../engine/checkpoint/durable-session.ts';
import type { DurableStore } from '../engine/checkpoint/durable-store.ts';
import type { SavepointFile } from '../engine/checkpoint/savepoint.ts';
import { preloadTopics } from '../engine/checkpoint/topic-preload.ts';
import type { SessionOptions } from '../engine/checkpoint/session-options.ts';
import { InputError } from '../engine/errors.ts';
import type { StateView } from '../engine/runtime/state-view.ts';
import { parseTestStream } from '../engine/connectors/test-stream.ts';
import type { OperatorInfo, TraceEvent } from '../engine/trace/trace-event.ts';
import { loadError, runError, unhandledRejectionError } from './code-errors.ts';
import { checkLesson } from './lesson-check.ts';
import { outputReport } from './output-report.ts';
import type {
  CodeError,
  EngineApi,
  JobTicket,
  LessonCheckRequest,
  LessonCheckResult,
  LoadResult,
  OutputReport,
  RunSettings,
  Speed,
  StepResult,
  TraceDelta,
} from './protocol.ts';
import { TraceSummarizer, type SummarizerOptions } from './trace-summarizer.ts';
import { loadUserModule, prepareUserModule, type UserModule } from './user-code.ts';
import { LoopGuard } from './loop-guard.ts';
import { sleep, yieldToEvents } from './yield-to-events.ts';

export interface EngineServiceOptions {
  /** The wall clock (ms); `performance.now` by default. */
  readonly now?: () => number;
  readonly summarizer?: SummarizerOptions;
}

/** Wall ms of engine work between two turns of the event loop. */
const SLICE_MS = 10;
/** Wall ms between two deltas while playing (about 30 a second). */
const DELTA_MS = 33;
/**
 * Events per delta message at most: a window firing for a thousand keys is split over several
 * messages, each decoded by the page as its own short task (docs/sandbox-runtime.md).
 */
const EVENTS_PER_DELTA = 1000;
/** Scheduler steps per `advance` call, between two looks at the wall clock. */
const STEP_BATCH = 200;
/** Wall ms to wait when, at a finite speed, nothing is due yet. */
const FRAME_MS = 16;
/**
 * Flow control: deltas the page may have received but not yet drawn. Past this the job waits
 * for the page's acknowledgement, so a flat-out run goes at the pace the page can show it
 * instead of flooding its main thread (docs/sandbox-runtime.md).
 */
const DELTAS_IN_FLIGHT = 2;
/** Wall ms the job waits for an acknowledgement at most: a page that stopped drawing (a hidden tab) slows the job, never stops it. */
const ACK_WAIT_MS = 250;

interface Loaded {
  readonly session: DurableSession;
  readonly module: UserModule;
  readonly summarizer: TraceSummarizer;
  readonly source: string;
  readonly settings: RunSettings;
  readonly ticket: JobTicket;
}

/** One worker's engine: one attempt of one job. */
export class EngineService implements EngineApi {
  private readonly now: () => number;
  private loaded: Loaded | undefined;
  /** Stops an endless loop in user code with its line (made at load: the worker runs one job). */
  private loopGuard: LoopGuard | undefined;
  private locate: UserModule['locate'] | undefined;
  private onDelta: ((delta: TraceDelta) => void) | undefined;
  private onError: ((error: CodeError) => void) | undefined;
  /** The call driving the job now (play or step), which pause waits for. */
  private running: Promise<StepResult> | undefined;
  private pauseRequested = false;
  private speed: Speed = Number.POSITIVE_INFINITY;
  private until: number | undefined;
  private lastFlush = 0;
  /** The delta saying the job finished went out (it is sent once). */
  private sentFinished = false;
  /** Deltas sent, and the count the page said it has drawn (-1: a page that does not acknowledge). */
  private deltasSent = 0;
  private deltasAcknowledged = -1;

  constructor(
    private readonly store: DurableStore,
    private readonly options: EngineServiceOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
  }

  subscribe(onDelta: (delta: TraceDelta) => void, onError?: (error: CodeError) => void): void {
    this.onDelta = onDelta;
    this.onError = onError;
  }

  /**
   * The page drew the first `count` deltas (engine-worker.ts passes its acknowledgements on).
   * From the first acknowledgement on, a playing job keeps at most DELTAS_IN_FLIGHT ahead.
   */
  acknowledge(count: number): void {
    if (Number.isSafeInteger(count) && count > this.deltasAcknowledged) this.deltasAcknowledged = Math.min(count, this.deltasSent);
  }

  /** Waits while the page is more than DELTAS_IN_FLIGHT deltas behind (at most ACK_WAIT_MS, or until a pause). */
  private async awaitPage(): Promise<void> {
    if (this.deltasAcknowledged < 0) return;
    const start = this.now();
    while (this.deltasSent - this.deltasAcknowledged > DELTAS_IN_FLIGHT && !this.pauseRequested && this.now() - start < ACK_WAIT_MS) await sleep(2);
  }

  async prepare(source: string): Promise<void> {
    try {
      prepareUserModule(source);
    } catch {
      // load() compiles again and reports the error with its line.
    }
  }

  async load(source: string, settings: RunSettings, ticket: JobTicket): Promise<LoadResult> {
    if (this.loaded) return { ok: false, error: { kind: 'internal', message: 'this worker already runs a job; start a new worker' } };
    let module: UserModule | undefined;
    const summarizer = new TraceSummarizer(ticket.attempt, this.options.summarizer);
    let operators: readonly OperatorInfo[] = [];
    let restoredFrom: number | null = null;
    const onTrace = (e: TraceEvent): void => {
      if (e.type === 'jobStarted') operators = e.operators;
      else if (e.type === 'jobRestored') restoredFrom = e.checkpointId;
      summarizer.push(e);
    };
    try {
      this.loopGuard ??= new LoopGuard(this.now);
      module = loadUserModule(source, brookApi, this.loopGuard.check);
      this.locate = module.locate;
      const input = settings.input === undefined ? undefined : parseTestStream(settings.input);
      await preloadRunTopics(this.store, settings, ticket);
      const session = await DurableSession.open(withDefaultGuarantee(module.build, settings.guarantee), {
        store: this.store,
        jobId: ticket.jobId,
        seed: settings.seed,
        ...(input !== undefined && { input }),
        checkpointInterval: settings.checkpointInterval,
        checkpointMode: settings.checkpointMode,
        ...(settings.incremental ? { incremental: true } : {}),
        restart: settings.restart,
        onTrace,
        resume: ticket.resume,
        attempt: ticket.attempt,
        ...savepointOptions(ticket, module),
      });
      this.loaded = { session, module, summarizer, source, settings, ticket };
      if (ticket.fromSavepoint && restoredFrom === ticket.fromSavepoint.file.savepointId) {
        for (const e of restoredStateEvents(session.inspectState(RESTORED_STATE_SHOWN))) summarizer.push(e);
      }
    } catch (error) {
      return { ok: false, error: restoreError(error, ticket) ?? loadError(error, module?.locate) };
    }
    this.flush();
    return { ok: true, operators, restoredFrom, pt: this.loaded.session.now };
  }

  play(speed: Speed, until?: number): Promise<StepResult> {
    this.speed = speed;
    this.until = until;
    this.pauseRequested = false;
    // A play while playing changes the speed (and the stop) of the run in progress.
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  async pause(): Promise<StepResult> {
    this.pauseRequested = true;
    if (this.running) return this.running;
    return this.result();
  }

  async step(): Promise<StepResult> {
    if (this.running) return this.running;
    const { session } = this.job();
    this.running = session
      .advance({ maxSteps: 1 })
      .then(() => this.settle())
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async checkpointNow(): Promise<number | null> {
    const id = await this.exclusive(() => this.job().session.checkpointNow());
    this.flush();
    return id;
  }

  async savepoint(): Promise<SavepointFile> {
    const file = await this.exclusive(() => this.job().session.savepoint());
    this.flush();
    return file;
  }

  async stopWithSavepoint(): Promise<SavepointFile | null> {
    const file = await this.exclusive(async () => {
      const { session } = this.job();
      return (await session.stopWithSavepointAt(session.now)) ?? null;
    });
    this.flush();
    return file;
  }

  async outputReport(): Promise<OutputReport> {
    const { session, module, settings, ticket } = this.job();
    return this.exclusive(() => outputReport(module.build, settings, session, this.store, savepointOptions(ticket, module).fromSavepoint));
  }

  checkLesson(request: LessonCheckRequest): Promise<LessonCheckResult> {
    return checkLesson(request, brookApi);
  }

  ping(): number {
    return this.now();
  }

  /** A promise of user code rejected with nobody to catch it (the worker's `unhandledrejection`). */
  reportUnhandledRejection(reason: unknown): void {
    this.onError?.(unhandledRejectionError(reason, this.locate));
  }

  /** Plays until paused, finished, failed or at `until`, a slice of engine work at a time. */
  private async run(): Promise<StepResult> {
    const { session } = this.job();
    let wallStart = this.now();
    let ptStart = session.now;
    let speed = this.speed;
    let sliceStart = this.now();
    this.loopGuard?.markTurn();
    while (!this.pauseRequested && !session.finished && !session.failed && !session.stopped) {
      if (this.speed !== speed) {
        // A new speed starts a new reckoning from here.
        speed = this.speed;
        wallStart = this.now();
        ptStart = session.now;
      }
      const until = this.until === undefined ? Number.POSITIVE_INFINITY : justBefore(this.until);
      const paced = Number.isFinite(speed) ? ptStart + ((this.now() - wallStart) * speed) / 1000 : Number.POSITIVE_INFINITY;
      const limit = Math.min(until, paced);
      const { steps } = await session.advance({ maxSteps: STEP_BATCH, untilTime: limit });
      if (steps === 0 && !session.finished && !session.failed) {
        // Nothing is due before the limit: at `until`, stop; playing slower than the engine, wait.
        if (limit === until) return this.settle(true);
        if (this.now() - this.lastFlush >= DELTA_MS) this.flush();
        await sleep(FRAME_MS);
        sliceStart = this.now();
        this.loopGuard?.markTurn();
        continue;
      }
      if (this.now() - this.lastFlush >= DELTA_MS) this.flush();
      if (this.now() - sliceStart >= SLICE_MS) {
        await yieldToEvents();
        await this.awaitPage();
        sliceStart = this.now();
        this.loopGuard?.markTurn();
      }
    }
    return this.settle();
  }

  /** Sends what is pending and says where the job stands. */
  private settle(reachedUntil = false): StepResult {
    this.flush();
    return this.result(reachedUntil);
  }

  private result(reachedUntil = false): StepResult {
    const { session } = this.job();
    const failed = session.failed;
    return {
      pt: session.now,
      finished: session.finished,
      ...(failed && { error: runError(failed, this.locate) }),
      ...(reachedUntil && { reachedUntil: true }),
      deltas: this.deltasSent,
    };
  }

  /** Runs `work` once no play or step is driving the job (they are paused first). */
  private async exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.running) await this.pause();
    return work();
  }

  private flush(): void {
    const loaded = this.loaded;
    if (!loaded) return;
    this.lastFlush = this.now();
    const { session, summarizer } = loaded;
    const finished = session.finished;
    if (summarizer.isEmpty && (!finished || this.sentFinished)) return;
    this.sentFinished = finished;
    for (const { delta, transfer } of summarizer.flushParts(session.now, finished, EVENTS_PER_DELTA)) {
      this.deltasSent++;
      this.onDelta?.(Comlink.transfer(delta, transfer));
    }
  }

  private job(): Loaded {
    if (!this.loaded) throw new Error('no job is loaded: call load() first');
    return this.loaded;
  }
}

/** Keyed state entries and timers per subtask that a restore from a savepoint shows the panels. */
const RESTORED_STATE_SHOWN = 1000;

/**
 * Tables whose operators do not trace their writes (their windows and buffers show through
 * timers and panes): listing their restored keys would leave them listed after the operator
 * cleared them.
 */
const UNTRACED_TABLES = new Set(['window-panes', 'interval-join-left', 'interval-join-right']);

/**
 * The session options that start a job from the ticket's savepoint (none without one), with the
 * module's `export const migrations` for state whose shape or kind changed.
 */
function savepointOptions(ticket: JobTicket, module: UserModule): Pick<SessionOptions, 'fromSavepoint'> {
  const from = ticket.fromSavepoint;
  if (!from) return {};
  const migrations = module.migrations !== undefined ? { migrations: module.migrations } : {};
  return { fromSavepoint: { file: from.file, options: { allowNonRestoredState: from.allowNonRestoredState, ...migrations } } };
}

/**
 * A start from a savepoint that failed in the restore itself, in the engine's words (which name
 * the operator uid), saying which savepoint; undefined for other failures (a mistake in the
 * code is reported as without a savepoint).
 */
function restoreError(thrown: unknown, ticket: JobTicket): CodeError | undefined {
  const from = ticket.fromSavepoint;
  if (!from) return undefined;
  const prefix = `cannot resume from savepoint ${from.file.savepointId}`;
  if (thrown instanceof InputError && thrown.path === 'savepoint') return { kind: 'input', message: `${prefix}: ${thrown.message.slice('savepoint: '.length)}` };
  const plain = loadError(thrown, undefined);
  return plain.kind === 'internal' ? { kind: 'input', message: `${prefix}: ${plain.message}` } : undefined;
}

/**
 * What a restore from a savepoint brought back, as the trace events the panels already read:
 * a `stateUpdated` per restored entry of a traced table (growing counts, so every key shows)
 * and a `timerSet` per restored timer (so restored windows show as open). The engine traces
 * only writes; these describe the state the job starts with.
 */
export function restoredStateEvents(view: StateView): TraceEvent[] {
  const events: TraceEvent[] = [];
  const pt = view.pt;
  for (const s of view.subtasks) {
    const counts = new Map<string, number>();
    for (const e of s.entries) {
      if (UNTRACED_TABLES.has(e.state)) continue;
      const entries = (counts.get(e.state) ?? 0) + 1;
      counts.set(e.state, entries);
      events.push({ type: 'stateUpdated', pt, operator: s.operator, subtask: s.subtask, key: e.key ?? undefined, state: e.state, entries });
    }
    for (const t of s.timers) {
      events.push({ type: 'timerSet', pt, operator: s.operator, subtask: s.subtask, key: t.key ?? undefined, domain: t.domain, time: t.time, ...(t.window && { window: t.window }) });
    }
  }
  return events;
}

/**
 * Produces the run's topics (a lesson's `topics:`) into the job's store before a fresh start. A
 * resumed attempt finds them there already, with whatever the crashed attempts appended: the
 * topic outlives the attempt, as in Kafka.
 */
async function preloadRunTopics(store: DurableStore, settings: RunSettings, ticket: JobTicket): Promise<void> {
  if (ticket.resume || settings.topics === undefined || settings.topics.length === 0) return;
  await preloadTopics(store, settings.topics, settings.seed);
}

/** The largest double below `t`: `until` is exclusive, the session's `untilTime` inclusive. */
export function justBefore(t: number): number {
  if (!Number.isFinite(t)) return t;
  if (t === 0) return -Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, t);
  const bits = view.getBigInt64(0);
  view.setBigInt64(0, t > 0 ? bits - 1n : bits + 1n);
  return view.getFloat64(0);
}
