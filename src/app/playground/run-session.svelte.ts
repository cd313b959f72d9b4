// One run in the playground (or an embed, or a lesson): the code and settings, the worker host
// running them, the RunModel built from its deltas and the playhead every panel draws at.
// Invariant: one clock. Panels never read the run on their own; the session redraws all of
// them at most once per animation frame, at the same playhead, taking turns when a frame's
// budget runs out (the rest draw in the next frame).
import { RunModel } from '../../viz/run-model.ts';
import { FrameBudget } from '../../viz/frame-budget.ts';
import type { PanelId, PanelView } from '../../viz/panel.ts';
import { EngineHost, type HostAttempt, type HostStatus } from '../../worker/engine-host.ts';
import type { CodeError, RunSettings, StepResult } from '../../worker/protocol.ts';
import { DEFAULT_SPEED } from '../controls/speed.ts';
import type { SharedRun } from '../share/share-codec.ts';
import { DEFAULT_CODE, DEFAULT_PANELS, DEFAULT_RUN_SETTINGS } from './default-run.ts';

export type RunStatus = HostStatus;

export interface RunSessionOptions {
  /**
   * Names the job's IndexedDB store and Web Lock. Two tabs never run one job id at once, so an
   * embed tries `jobId-1`, `jobId-2`, ... up to `slots` when the id is taken.
   */
  readonly jobId: string;
  readonly slots?: number;
}

export class RunSession {
  code = $state(DEFAULT_CODE);
  settings: RunSettings = $state(DEFAULT_RUN_SETTINGS);
  panels: PanelId[] = $state([...DEFAULT_PANELS]);
  speed = $state(DEFAULT_SPEED);
  status: RunStatus = $state('idle');
  errors: CodeError[] = $state([]);
  /** Timeline time the panels show. */
  playheadT = $state(0);
  startT = $state(0);
  endT = $state(0);
  /** Whether the playhead follows the run (false after scrubbing back). */
  following = $state(true);
  attempt = $state(0);
  /** Timeline time a seek past the end is running forward to. */
  seekTarget: number | null = $state(null);
  /** Grows whenever the model changed, for summaries that read it. */
  version = $state(0);
  /** Whether the current code is loaded into the worker host (a run exists to drive). */
  loaded = $state(false);
  /** The code and settings the current run was loaded with (crash times aside), to tell edits. */
  private loadedWith: string | null = $state(null);

  /** The run's trace so far; replaced by every new run, mutated by deltas (not reactive). */
  model = new RunModel();

  private host: EngineHost | null = null;
  private readonly views = new Set<PanelView>();
  private readonly budget = new FrameBudget();
  private frame = 0;
  /** Bumped by every new run so callbacks of a disposed worker host are ignored. */
  private generation = 0;
  private readonly options: RunSessionOptions;
  /** Timeline time a run-forward reached (past the last event, which is all `model.endT` knows). */
  private reachedT = 0;
  /** Which of the job ids (`jobId`, `jobId-1`, ...) this session holds. */
  private slot = 0;

  constructor(options: RunSessionOptions, run?: Partial<SharedRun>) {
    this.options = options;
    if (run?.code !== undefined) this.code = run.code;
    if (run?.settings) this.settings = run.settings;
    if (run?.panels && run.panels.length > 0) this.panels = [...run.panels];
  }

  /** The link payload reproducing this run. */
  shared(): SharedRun {
    return { code: this.code, settings: $state.snapshot(this.settings) as RunSettings, panels: [...this.panels] };
  }

  get isLoaded(): boolean {
    return this.loaded && (this.status === 'ready' || this.status === 'playing' || this.status === 'paused' || this.status === 'recovering');
  }

  /** Whether the code or settings changed since the current run started (run again to apply). */
  get edited(): boolean {
    return this.loadedWith !== null && this.loadedWith !== this.fingerprint();
  }

  private fingerprint(): string {
    const { crashAt: _crashAt, ...rest } = this.settings;
    return JSON.stringify([this.code, rest]);
  }

  /** The processing clock of the current attempt at the end of what has run. */
  get pt(): number {
    return this.model.endT - (this.model.attempts.at(-1)?.offset ?? 0);
  }

  /** Compiles and starts a new run of the current code and settings (Ctrl/Cmd+Enter). */
  async run(): Promise<void> {
    if (await this.start()) await this.play();
  }

  /** A new run of the same code, stopped at its beginning. */
  async reset(): Promise<void> {
    await this.start();
  }

  async togglePlay(): Promise<void> {
    if (this.status === 'playing') await this.pause();
    else if (this.status !== 'loading' && this.status !== 'recovering') await this.play();
  }

  async play(): Promise<void> {
    if (!this.isLoaded && !(await this.start())) return;
    this.following = true;
    await this.drive((host) => host.play(this.speed));
  }

  async pause(): Promise<void> {
    if (this.status !== 'playing' || !this.host) return;
    await this.host.pause();
    this.requestFrame();
  }

  /** Runs exactly one scheduler event. */
  async step(): Promise<void> {
    if (!this.isLoaded && !(await this.start())) return;
    this.following = true;
    await this.drive((host) => host.step());
  }

  /** A playing run takes the new speed at once. */
  async setSpeed(speed: number): Promise<void> {
    this.speed = speed;
    if (this.status === 'playing' && this.host) await this.host.play(speed);
  }

  /**
   * Moves the playhead to timeline time `t`: back and forth over what has run, and past the end
   * runs the job forward to there.
   */
  async seek(t: number): Promise<void> {
    const to = Math.max(this.startT, t);
    const ran = Math.max(this.model.endT, this.reachedT);
    if (to <= ran || this.model.finished) {
      this.playheadT = Math.min(to, ran);
      this.following = this.playheadT >= ran && this.status === 'playing';
      this.redraw();
      return;
    }
    // Nothing to move over yet (a `moment:` link, a link with `t`): start the run first.
    if (!this.isLoaded && (this.status === 'loading' || this.status === 'recovering' || !(await this.start()))) return;
    if (this.status === 'playing') await this.pause();
    this.seekTarget = to;
    this.following = true;
    const pt = to - (this.model.attempts.at(-1)?.offset ?? 0);
    const result = await this.drive((host) => host.runUntil(pt));
    this.seekTarget = null;
    // Every event before `pt` ran: the run has reached `to`, even if nothing happened at `to`.
    if (result?.reachedUntil && !result.finished) {
      this.reachedT = to;
      this.redraw();
    }
  }

  /** Kills the worker now; the crash time joins the settings so a link replays it. */
  async crashNow(): Promise<void> {
    if (!this.host || !this.isLoaded) return;
    const pt = this.pt;
    this.settings = { ...this.settings, crashAt: [...this.settings.crashAt.filter((c) => c !== pt), pt].sort((a, b) => a - b) };
    await this.host.crashNow();
    this.requestFrame();
  }

  async checkpointNow(): Promise<void> {
    if (!this.host || !this.isLoaded) return;
    await this.host.checkpointNow();
    this.requestFrame();
  }

  updateSettings(change: Partial<RunSettings>): void {
    this.settings = { ...this.settings, ...change };
  }

  /** Adds a panel view to the shared clock; it is drawn on the next frame. */
  attach(view: PanelView): () => void {
    this.views.add(view);
    this.requestFrame();
    return () => this.views.delete(view);
  }

  /** Stops the run's worker and forgets its callbacks. */
  dispose(): void {
    this.generation++;
    void this.host?.dispose();
    this.host = null;
    this.loaded = false;
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  private addError(error: CodeError): void {
    if (this.errors.some((e) => e.kind === error.kind && e.message === error.message && e.line === error.line)) return;
    this.errors = [...this.errors, error];
  }

  private hostFor(jobId: string, gen: number): EngineHost {
    return new EngineHost({
      jobId,
      onDelta: (d) => {
        if (gen !== this.generation) return;
        this.model.apply(d);
        this.requestFrame();
      },
      onAttempt: (a: HostAttempt) => {
        if (gen !== this.generation) return;
        if (a.crash) this.model.markCrash(a.crash.reason, a.crash.pt);
        this.model.beginAttempt(a.attempt, a.startPt, a.restoredFrom, a.gap);
        this.requestFrame();
      },
      onStatus: (status) => {
        if (gen !== this.generation) return;
        this.status = status;
        this.requestFrame();
      },
      onError: (e) => {
        if (gen === this.generation) this.addError(e);
      },
    });
  }

  /**
   * Loads the code as a fresh job into this session's worker host (made on first use, kept
   * across runs so the job's lock stays held); false when it cannot run.
   */
  private async start(): Promise<boolean> {
    const gen = this.generation;
    this.loaded = false;
    this.model = new RunModel();
    this.reachedT = 0;
    this.errors = [];
    this.status = 'loading';
    this.playheadT = 0;
    this.following = true;
    this.redraw();
    const slots = this.options.slots ?? 0;
    for (;;) {
      this.host ??= this.hostFor(this.slot === 0 ? this.options.jobId : `${this.options.jobId}-${this.slot}`, gen);
      const host = this.host;
      try {
        const loaded = await host.load(this.code, $state.snapshot(this.settings) as RunSettings);
        if (gen !== this.generation) return false;
        if (loaded.ok) {
          this.loaded = true;
          this.loadedWith = this.fingerprint();
          this.playheadT = this.model.endT;
          this.redraw();
          return true;
        }
        // Another tab runs this job id: an embed tries its next slot.
        if (loaded.error.kind === 'storage' && this.slot < slots) {
          this.slot++;
          this.errors = [];
          this.host = null;
          await host.dispose();
          continue;
        }
        this.addError(loaded.error);
        this.status = 'failed';
        return false;
      } catch (e) {
        if (gen !== this.generation) return false;
        this.addError({ kind: 'internal', message: e instanceof Error ? e.message : String(e) });
        this.status = 'failed';
        return false;
      }
    }
  }

  /** Runs one engine command; the host reports the status, errors and deltas on its own. */
  private async drive(command: (host: EngineHost) => Promise<StepResult | undefined>): Promise<StepResult | undefined> {
    const host = this.host;
    if (!host) return undefined;
    const gen = this.generation;
    let result: StepResult | undefined;
    try {
      result = await command(host);
    } catch (e) {
      if (gen !== this.generation) return undefined;
      this.addError({ kind: 'internal', message: e instanceof Error ? e.message : String(e) });
      this.status = 'failed';
    }
    this.requestFrame();
    return result;
  }

  /** Schedules one redraw of every panel (deltas arrive far more often than frames). */
  private requestFrame(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.redraw();
    });
  }

  private redraw(): void {
    const m = this.model;
    this.startT = m.attempts[0]?.startT ?? 0;
    this.endT = Math.max(m.endT, this.reachedT);
    this.attempt = m.attempts.at(-1)?.attempt ?? 0;
    this.version = m.version;
    if (this.following) this.playheadT = this.endT;
    // Panels take turns within a frame budget (src/viz/frame-budget.ts): no frame's task is all six.
    if (!this.budget.run([...this.views], m, this.playheadT)) this.requestFrame();
  }
}
