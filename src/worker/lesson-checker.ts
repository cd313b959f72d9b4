// The page's side of the Check button (trusted): a sandbox of its own (iframe + worker, as
// EngineHost starts them) in which `EngineApi.checkLesson` compiles and runs the learner's code
// and the lesson's check, under a watchdog. Invariant: a check always settles — an endless loop,
// a worker that died or a check that threw comes back as a LessonCheckResult, never a hang.

import * as Comlink from 'comlink';
import type { EngineApi, LessonCheckRequest, LessonCheckResult } from './protocol.ts';
import { startSandboxFrame, type SandboxFrame } from './sandbox-frame.ts';
import { PREPARE_LIMIT, Watchdog, type WatchdogOptions } from './watchdog.ts';

export interface LessonCheckerOptions {
  /** The bundled worker's source; by default the lazily loaded `virtual:brook-sandbox-worker`. */
  readonly workerSource?: () => Promise<string>;
  /**
   * A check runs a whole lesson headless in one go (runPipeline does not yield), so the worker is
   * allowed longer without answering than a playing run: 10 s by default.
   */
  readonly watchdog?: WatchdogOptions;
  /** Where the hidden iframe goes; `document.body` by default. */
  readonly container?: HTMLElement;
}

interface CheckSandbox {
  readonly frame: SandboxFrame;
  readonly api: Comlink.Remote<EngineApi>;
  readonly watchdog: Watchdog;
  /** Rejects once the sandbox is killed, with why. */
  readonly gone: Promise<never>;
  readonly kill: (why: LessonCheckResult) => Promise<void>;
}

/** The sandbox went away while a check was out; `result` says why. */
class CheckSandboxGone extends Error {
  constructor(readonly result: LessonCheckResult) {
    super('the check sandbox was stopped');
  }
}

const loadBundledWorker = async (): Promise<string> => (await import('virtual:brook-sandbox-worker')).default;

const DEFAULT_CHECK_LIMIT_MS = 10_000;

/** Checks learners' pipelines one at a time in a sandbox kept for the page. */
export class LessonChecker {
  private sandbox: Promise<CheckSandbox> | undefined;
  /** The check in progress; the next waits for it. */
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(private readonly options: LessonCheckerOptions = {}) {}

  /** Runs the learner's pipeline and the lesson's check in the sandbox. */
  check(request: LessonCheckRequest): Promise<LessonCheckResult> {
    const next = this.queue.then(() => this.checkNow(request));
    this.queue = next.catch(() => {});
    return next;
  }

  /** Stops the sandbox; later checks are refused. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const sandbox = this.sandbox;
    this.sandbox = undefined;
    await (await sandbox?.catch(() => undefined))?.kill(stopped('the lesson page was closed'));
  }

  private async checkNow(request: LessonCheckRequest): Promise<LessonCheckResult> {
    if (this.disposed) return stopped('the lesson page was closed');
    let sandbox: CheckSandbox;
    try {
      this.sandbox ??= this.start();
      sandbox = await this.sandbox;
    } catch (error) {
      this.sandbox = undefined;
      return stopped(`the sandbox could not start: ${error instanceof Error ? error.message : String(error)}`);
    }
    try {
      // Start-up and compiling run no user code: watched leniently.
      await sandbox.watchdog.watch(() => Promise.race([sandbox.api.prepare(request.source), sandbox.gone]), PREPARE_LIMIT);
      return await sandbox.watchdog.watch(() => Promise.race([sandbox.api.checkLesson(request), sandbox.gone]));
    } catch (error) {
      if (error instanceof CheckSandboxGone) return error.result;
      // The worker could not answer (a result that could not be cloned, say): start afresh next time.
      await sandbox.kill(stopped(String(error)));
      return stopped(error instanceof Error ? error.message : String(error));
    }
  }

  private async start(): Promise<CheckSandbox> {
    const source = await (this.options.workerSource ?? loadBundledWorker)();
    let kill: (why: LessonCheckResult) => Promise<void> = async () => {};
    const frame = await startSandboxFrame(source, (message) => void kill({ kind: 'error', where: 'pipeline', error: { kind: 'runtime', message } }), this.options.container);
    const api = Comlink.wrap<EngineApi>(frame.enginePort);
    let markGone: (error: CheckSandboxGone) => void = () => {};
    const gone = new Promise<never>((_, reject) => (markGone = reject));
    gone.catch(() => {});
    const watchdog = new Watchdog(
      () => api.ping(),
      (silentFor) =>
        void kill({
          kind: 'error',
          where: 'pipeline',
          error: {
            kind: 'timeout',
            message: `the check was stopped after ${(silentFor / 1000).toFixed(1)} s without an answer from the sandbox: an endless loop in your code?`,
          },
        }),
      { limit: DEFAULT_CHECK_LIMIT_MS, ...this.options.watchdog },
    );
    const sandbox: CheckSandbox = {
      frame,
      api,
      watchdog,
      gone,
      kill: async (why) => {
        kill = async () => {};
        watchdog.dispose();
        markGone(new CheckSandboxGone(why));
        void this.sandbox?.then((current) => {
          if (current === sandbox) this.sandbox = undefined;
        });
        await frame.kill();
      },
    };
    kill = sandbox.kill;
    return sandbox;
  }
}

function stopped(message: string): LessonCheckResult {
  return { kind: 'error', where: 'check', error: { kind: 'internal', message } };
}
