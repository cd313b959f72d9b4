// The page's side of the engine (trusted): owns the sandbox iframe and its worker, the store
// worker that keeps the job's IndexedDB store off the main thread, the job's Web Lock and the
// watchdog. Crashes are real: `crashNow` (or a planned `settings.crashAt` time) kills the worker
// and starts a fresh one that restores the newest complete checkpoint from the store.
// Invariant: deltas of an attempt reach `onDelta` only after `onAttempt` announced that attempt,
// so the page's RunModel shifts them right.
// Lifecycle and events: docs/sandbox-runtime.md.

import type * as Comlink from 'comlink';
import type { SavepointFile } from '../engine/checkpoint/savepoint.ts';
import type { WorkerPush } from './engine-worker.ts';
import { CrashPlan } from './crash-plan.ts';
import { DeltaArrivals } from './delta-arrivals.ts';
import { acquireJobLock, type JobLock } from './job-lock.ts';
import type { CodeError, EngineApi, JobTicket, LoadResult, OutputReport, RunSettings, SavepointStart, Speed, StepResult, TraceDelta } from './protocol.ts';
import { SandboxGone, startSandbox, type Sandbox, type SandboxHooks } from './sandbox.ts';
import { StoreWorkerClient } from './store-worker-client.ts';
import { PREPARE_LIMIT, type WatchdogOptions } from './watchdog.ts';

/** Where the host stands. */
export type HostStatus = 'idle' | 'loading' | 'ready' | 'playing' | 'paused' | 'finished' | 'failed' | 'recovering' | 'stopped';

/** A new attempt began: the first after load, or one restored after a crash. */
export interface HostAttempt {
  readonly attempt: number;
  /** The processing time the attempt starts from (a restored checkpoint's time). */
  readonly startPt: number;
  readonly restoredFrom: number | null;
  /** Downtime to show between the crash and the restart (0: the host restarts at once). */
  readonly gap: number;
  /** The crash that ended the previous attempt (for RunModel.markCrash), absent for the first. */
  readonly crash?: { readonly reason: string; readonly pt: number };
}

export interface EngineHostOptions {
  /** Names the job's store and lock: two tabs with the same job id never run it at once. */
  readonly jobId: string;
  readonly onDelta?: (delta: TraceDelta) => void;
  readonly onStatus?: (status: HostStatus, pt: number) => void;
  readonly onError?: (error: CodeError) => void;
  readonly onAttempt?: (attempt: HostAttempt) => void;
  /** The bundled worker's source; by default the lazily loaded `virtual:brook-sandbox-worker`. */
  readonly workerSource?: () => Promise<string>;
  readonly watchdog?: WatchdogOptions;
  /** Where the hidden iframe goes; `document.body` by default. */
  readonly container?: HTMLElement;
}

/** How long a planned crash waits at most for the deltas the worker said it sent (ms). */
const DELTA_WAIT_MS = 2000;

const loadBundledWorker = async (): Promise<string> => (await import('virtual:brook-sandbox-worker')).default;

/** Runs one job at a time in a sandboxed worker. */
export class EngineHost {
  private sandbox: Sandbox | undefined;
  private lock: JobLock | undefined;
  /** The store worker, started with the first sandbox and kept until `dispose` (or until it dies). */
  private stores: StoreWorkerClient | undefined;
  private code = '';
  private settings: RunSettings | undefined;
  /** The savepoint the job started from, which a recovery before its own first checkpoint restores again. */
  private fromSavepoint: SavepointStart | undefined;
  private attempt = 0;
  private pt = 0;
  /** The planned crashes (`settings.crashAt`, and those of the "Crash now" button). */
  private crashes = new CrashPlan();
  private playing = false;
  private speed: Speed = Number.POSITIVE_INFINITY;
  /** A recovery in progress (crashNow), which a play loop waits for. */
  private recovery: Promise<boolean> | undefined;
  /** Deltas of an attempt that has not been announced yet. */
  private held: TraceDelta[] | undefined;
  /** Deltas received from the current sandbox (a planned crash waits for those sent before it). */
  private readonly arrivals = new DeltaArrivals();

  constructor(private readonly options: EngineHostOptions) {}

  /**
   * Compiles and starts `code` as a fresh job (its earlier data deleted), from the beginning or
   * from a savepoint (`from`: its state goes to the operators with the same uid).
   */
  async load(code: string, settings: RunSettings, from?: SavepointStart): Promise<LoadResult> {
    this.playing = false;
    await this.killSandbox();
    this.lock ??= (await acquireJobLock(this.options.jobId)) ?? undefined;
    if (!this.lock) {
      const error: CodeError = {
        kind: 'storage',
        message: `the job "${this.options.jobId}" is running in another tab of Brook; close it there to run it here`,
      };
      this.options.onError?.(error);
      this.status('stopped');
      return { ok: false, error };
    }
    this.code = code;
    this.settings = settings;
    this.fromSavepoint = from;
    this.attempt = 1;
    this.crashes = new CrashPlan(settings.crashAt);
    this.status('loading');
    const result = await this.startAttempt(false);
    if (result.ok) this.announce({ attempt: 1, startPt: result.pt, restoredFrom: result.restoredFrom, gap: 0 }, 'ready');
    return result;
  }

  /** Plays at `speed` (processing ms per wall second; Infinity: flat out) until paused or done. */
  play(speed: Speed): Promise<StepResult | undefined> {
    return this.drive(speed, undefined);
  }

  /** Runs flat out until processing time `pt` (every event before it). */
  runUntil(pt: number): Promise<StepResult | undefined> {
    return this.drive(Number.POSITIVE_INFINITY, pt);
  }

  async pause(): Promise<StepResult | undefined> {
    this.playing = false;
    const r = await this.call((api) => api.pause());
    if (r) this.settle(r, 'paused');
    return r;
  }

  async step(): Promise<StepResult | undefined> {
    if (this.playing) await this.pause();
    const r = await this.call((api) => api.step());
    if (r) this.settle(r, 'paused');
    return r;
  }

  checkpointNow(): Promise<number | null | undefined> {
    return this.call((api) => api.checkpointNow());
  }

  savepoint(): Promise<SavepointFile | undefined> {
    return this.call((api) => api.savepoint());
  }

  /**
   * Stops the job with a savepoint at the current processing time (Flink's stop-with-savepoint);
   * the worker stays, so the run can still be inspected. Null when none could be taken.
   */
  async stopWithSavepoint(): Promise<SavepointFile | null | undefined> {
    if (this.playing) await this.pause();
    const file = await this.call((api) => api.stopWithSavepoint());
    if (file !== undefined) this.status('stopped');
    return file;
  }

  outputReport(): Promise<OutputReport | undefined> {
    return this.call((api) => api.outputReport());
  }

  /**
   * The "Crash now" button, made replayable: the worker is stopped at its next event boundary,
   * then played on to the next whole millisecond (or to `at`, when that is later: a what-if run
   * crashing where its partner did) and killed there exactly as at a planned crash, and that
   * time joins the planned crashes. A link carries them, so it replays this very run (killing
   * the worker wherever it happened to be could not be replayed: it is ahead of the page).
   * Resolves with the crash's processing time; undefined when no job runs or it already ended.
   * A job that was playing plays on; one that was paused is paused again at the crash time.
   */
  async crashSoon(at?: number): Promise<number | undefined> {
    if (!this.sandbox || !this.settings) return undefined;
    const wasPlaying = this.playing;
    const r = await this.pause();
    if (!r || r.finished || r.error) return undefined;
    const pt = at !== undefined && at > r.pt ? at : Math.floor(r.pt) + 1;
    this.crashes.add(pt, r.pt);
    this.settings = { ...this.settings, crashAt: this.crashes.all };
    if (wasPlaying) void this.drive(this.speed, undefined);
    else await this.drive(Number.POSITIVE_INFINITY, pt);
    return pt;
  }

  /**
   * Kills the worker for real and recovers in a fresh one from the newest complete checkpoint;
   * a job that was playing plays on. Resolves with whether the recovery succeeded.
   */
  crashNow(reason = 'crash now: the worker was killed'): Promise<boolean> {
    if (!this.sandbox || !this.settings) return Promise.resolve(false);
    this.recovery ??= this.recover(reason).finally(() => (this.recovery = undefined));
    return this.recovery;
  }

  /** Stops the worker, closes the store (its writes finished), stops the store worker and gives the job's lock back. */
  async dispose(): Promise<void> {
    this.playing = false;
    await this.killSandbox();
    this.stores?.terminate();
    this.stores = undefined;
    this.lock?.release();
    this.lock = undefined;
    this.status('idle');
  }

  /** The play loop: asks the worker to play up to the next planned crash, crashes, plays on. */
  private async drive(speed: Speed, stopAt: number | undefined): Promise<StepResult | undefined> {
    this.speed = speed;
    if (this.playing) {
      // Already playing: the worker's play takes the new speed.
      void this.call((api) => api.play(speed, this.crashes.stopFor(stopAt)));
      return undefined;
    }
    this.playing = true;
    this.status('playing');
    try {
      while (this.playing) {
        const crashAt = this.crashes.next;
        const until = this.crashes.stopFor(stopAt);
        let r: StepResult | undefined;
        try {
          r = await this.call((api) => api.play(this.speed, until));
        } catch (error) {
          if (!(error instanceof SandboxGone)) throw error;
        }
        if (!r) {
          // The worker was killed: wait for the recovery (crashNow), else stop.
          if (this.recovery && (await this.recovery)) continue;
          return undefined;
        }
        if (r.reachedUntil && crashAt !== undefined && until === crashAt && !r.finished && !r.error) {
          this.crashes.struck();
          // Everything the worker sent up to the crash is drawn before it is killed, so the page's
          // timeline (and a shared link's replay) is the same however the messages were timed.
          await this.arrivals.upTo(r.deltas, DELTA_WAIT_MS, () => this.sandbox !== undefined);
          this.pt = r.pt;
          if (await this.crashNow(`crash at processing time ${crashAt} (planned)`)) continue;
          return r;
        }
        this.settle(r, 'paused');
        return r;
      }
      return undefined;
    } finally {
      this.playing = false;
    }
  }

  private settle(r: StepResult, otherwise: HostStatus): void {
    this.pt = r.pt;
    if (r.error) {
      this.playing = false;
      this.options.onError?.(r.error);
      this.status('failed');
    } else if (r.finished) this.status('finished');
    else this.status(otherwise);
  }

  private async recover(reason: string): Promise<boolean> {
    const crash = { reason, pt: this.pt };
    await this.killSandbox();
    this.status('recovering');
    this.attempt++;
    const result = await this.startAttempt(true);
    if (!result.ok) return false;
    this.announce({ attempt: this.attempt, startPt: result.pt, restoredFrom: result.restoredFrom, gap: 0, crash }, this.playing ? 'playing' : 'paused');
    return true;
  }

  /** Starts a sandbox and loads the job in it; deltas are held until the attempt is announced. */
  private async startAttempt(resume: boolean): Promise<LoadResult> {
    const settings = this.settings!;
    this.held = [];
    let result: LoadResult;
    try {
      this.arrivals.reset();
      this.sandbox = await this.startSandbox(resume);
      const ticket: JobTicket = { jobId: this.options.jobId, resume, attempt: this.attempt, ...(this.fromSavepoint && { fromSavepoint: this.fromSavepoint }) };
      // Start-up and compiling run no user code: watched leniently, so a busy machine's slow
      // start is not taken for an endless loop; load then runs user code under the usual limit.
      await this.call((api) => api.prepare(this.code), PREPARE_LIMIT);
      const loaded: LoadResult | undefined = await this.call((api) => api.load(this.code, settings, ticket) as Promise<LoadResult>);
      result = loaded ?? { ok: false, error: { kind: 'timeout', message: 'the worker was stopped while loading the pipeline' } };
    } catch (error) {
      result = { ok: false, error: { kind: 'internal', message: `the sandbox could not start: ${error instanceof Error ? error.message : String(error)}` } };
    }
    if (!result.ok) {
      this.held = undefined;
      if (result.error.kind !== 'timeout') this.options.onError?.(result.error);
      await this.killSandbox();
      this.status('failed');
      return result;
    }
    this.pt = result.pt;
    return result;
  }

  /** Tells the page about the attempt, then passes on the deltas it held back. */
  private announce(attempt: HostAttempt, status: HostStatus): void {
    this.options.onAttempt?.(attempt);
    const held = this.held ?? [];
    this.held = undefined;
    for (const d of held) this.options.onDelta?.(d);
    this.status(status);
  }

  private async startSandbox(resume: boolean): Promise<Sandbox> {
    const source = await (this.options.workerSource ?? loadBundledWorker)();
    if (this.stores?.failed) this.stores = undefined;
    this.stores ??= StoreWorkerClient.start();
    const hooks: SandboxHooks = {
      current: (sandbox) => this.sandbox === sandbox,
      push: (message) => {
        if (message?.type === 'delta') this.arrivals.arrived();
        this.receive(message);
      },
      fault: (message) => this.options.onError?.({ kind: 'runtime', message }),
      stuck: (silentFor) => void this.stuck(silentFor),
    };
    return startSandbox(source, this.stores, { jobId: this.options.jobId, fresh: !resume }, hooks, this.options);
  }

  /** A message from the (untrusted) worker: only well-formed deltas and errors are passed on. */
  private receive(message: WorkerPush): void {
    if (message?.type === 'delta') {
      const d = message.delta;
      if (!(d?.records instanceof Float64Array) || !(d.events instanceof Uint8Array) || typeof d.pt !== 'number') return;
      this.pt = d.pt;
      if (this.held) this.held.push(d);
      else this.options.onDelta?.(d);
    } else if (message?.type === 'error') {
      const e = message.error;
      if (typeof e?.message !== 'string') return;
      this.options.onError?.({
        kind: 'runtime',
        message: e.message,
        ...(typeof e.line === 'number' && { line: e.line }),
        ...(typeof e.column === 'number' && { column: e.column }),
      });
    }
  }

  /** The watchdog's verdict: the worker is stuck in user code. Kill it and say where it was. */
  private async stuck(silentFor: number): Promise<void> {
    this.playing = false;
    const pt = this.pt;
    await this.killSandbox();
    this.options.onError?.({
      kind: 'timeout',
      message:
        `the pipeline stopped answering (${(silentFor / 1000).toFixed(1)} s without a reply) and was stopped: ` +
        `an endless loop in your code? It was running at processing time ${pt}.`,
    });
    this.status('stopped');
  }

  /** Calls the worker under the watchdog; undefined when there is no worker or it was killed. */
  private async call<T>(fn: (api: Comlink.Remote<EngineApi>) => Promise<T>, limit?: number): Promise<T | undefined> {
    const sandbox = this.sandbox;
    if (!sandbox) return undefined;
    try {
      return await sandbox.watchdog.watch(() => Promise.race([fn(sandbox.api), sandbox.gone]), limit);
    } catch (error) {
      if (error instanceof SandboxGone) return undefined;
      throw error;
    }
  }

  private async killSandbox(): Promise<void> {
    const sandbox = this.sandbox;
    this.sandbox = undefined;
    await sandbox?.kill();
  }

  private status(status: HostStatus): void {
    this.options.onStatus?.(status, this.pt);
  }
}

