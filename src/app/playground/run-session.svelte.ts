// One run in the playground (or an embed, or a lesson): the code and settings, the worker host
// running them, the RunModel built from its deltas and the playhead every panel draws at.
// Invariant: one clock. Panels never read the run on their own; the session redraws all of
// them at most once per animation frame, at the same playhead, taking turns when a frame's
// budget runs out (the rest draw in the next frame). In a what-if comparison the paired run B
// follows A's controls and draws at A's playhead.
import { RunModel } from '../../viz/run-model.ts';
import { FrameBudget } from '../../viz/frame-budget.ts';
import type { PanelId, PanelView } from '../../viz/panel.ts';
import { EngineHost, type HostAttempt, type HostStatus } from '../../worker/engine-host.ts';
import type { SavepointFile } from '../../engine/checkpoint/savepoint.ts';
import type { CodeError, OutputReport, RunSettings, SavepointStart, StepResult } from '../../worker/protocol.ts';
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
  /** The worker's delivery report of the finished run (sinks' store against the failure-free run). */
  report: OutputReport | null = $state(null);
  /** The savepoint id the current run started from (Resume from a savepoint), null for a plain run. */
  resumedFrom: number | null = $state(null);
  /** The savepoint id the job was stopped with (Stop with savepoint), null otherwise. */
  stoppedWith: number | null = $state(null);
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
  /** What-if: the run B this session's controls also drive (set on A). */
  private partner: RunSession | null = null;
  /** What-if: the run whose playhead this one draws at (set on B). */
  private leader: RunSession | null = null;

  constructor(options: RunSessionOptions, run?: Partial<SharedRun>) {
    this.options = options;
    if (run?.code !== undefined) this.code = run.code;
    if (run?.settings) this.settings = run.settings;
    if (run?.panels && run.panels.length > 0) this.panels = [...run.panels];
  }

  /** The job id this session was made with: the page's name for its savepoints. */
  get jobId(): string {
    return this.options.jobId;
  }

  /** The link payload reproducing this run. */
  shared(): SharedRun {
    const run: SharedRun = { code: this.code, settings: $state.snapshot(this.settings) as RunSettings, panels: [...this.panels] };
    const b = this.partner;
    return b ? { ...run, compare: { code: b.code, settings: $state.snapshot(b.settings) as RunSettings } } : run;
  }

  get isLoaded(): boolean {
    return this.loaded && (this.status === 'ready' || this.status === 'playing' || this.status === 'paused' || this.status === 'recovering');
  }

  /** Whether the code or settings changed since the current run started (run again to apply). */
  get edited(): boolean {
    return (this.loadedWith !== null && this.loadedWith !== this.fingerprint()) || (this.partner?.edited ?? false);
  }

  private fingerprint(): string {
    const { crashAt: _crashAt, ...rest } = this.settings;
    return JSON.stringify([this.code, rest]);
  }

  /** The processing clock of the current attempt at the end of what has run. */
  get pt(): number {
    return this.model.endT - (this.model.attempts.at(-1)?.offset ?? 0);
  }

  /**
   * What-if: `b` runs beside this session from now on, on the same seed, input and crash times,
   * driven by this session's controls and drawn at its playhead (null ends the pairing).
   */
  pair(b: RunSession | null): void {
    if (this.partner) this.partner.leader = null;
    this.partner = b;
    if (b) {
      b.leader = this;
      b.requestFrame();
    }
  }

  /** Runs `command` on the paired run B too (each run goes at its own pace). */
  private mirror(command: (b: RunSession) => Promise<void>): Promise<void> {
    return this.partner ? command(this.partner) : Promise.resolve();
  }

  /** Compiles and starts a new run of the current code and settings (Ctrl/Cmd+Enter). */
  async run(): Promise<void> {
    const b = this.mirror((b) => b.run());
    if (await this.start()) await this.play(false);
    await b;
  }

  /** A new run of the same code, stopped at its beginning. */
  async reset(): Promise<void> {
    await Promise.all([this.start(), this.mirror((b) => b.reset())]);
  }

  async togglePlay(): Promise<void> {
    if (this.status === 'playing') await this.pause();
    else if (this.status !== 'loading' && this.status !== 'recovering') await this.play();
  }

  /** Plays on (B too, unless `mirrored` is false: `run` started B on its own). */
  async play(mirrored = true): Promise<void> {
    const b = mirrored ? this.mirror((b) => b.play()) : Promise.resolve();
    if (!this.isLoaded && !(await this.start())) return;
    this.following = true;
    await this.drive((host) => host.play(this.speed));
    await b;
  }

  async pause(): Promise<void> {
    const b = this.mirror((b) => b.pause());
    if (this.status === 'playing' && this.host) {
      await this.host.pause();
      this.requestFrame();
    }
    await b;
  }

  /** Runs exactly one scheduler event. */
  async step(): Promise<void> {
    const b = this.mirror((b) => b.step());
    if (!this.isLoaded && !(await this.start())) return;
    this.following = true;
    await this.drive((host) => host.step());
    await b;
  }

  /** A playing run takes the new speed at once. */
  async setSpeed(speed: number): Promise<void> {
    const b = this.mirror((b) => b.setSpeed(speed));
    this.speed = speed;
    if (this.status === 'playing' && this.host) await this.host.play(speed);
    await b;
  }

  /**
   * Moves the playhead to timeline time `t`: back and forth over what has run, and past the end
   * runs the job forward to there.
   */
  async seek(t: number): Promise<void> {
    const b = this.mirror((b) => b.seek(t));
    await this.seekOwn(t);
    await b;
  }

  private async seekOwn(t: number): Promise<void> {
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

  /**
   * Kills the worker at the next whole millisecond of processing time (EngineHost.crashSoon); the
   * crash time joins the settings so a link replays it exactly. A what-if partner crashes at the
   * same time (or as soon after as it can). Resolves with the crash time, if there was a crash.
   */
  async crashNow(at?: number): Promise<number | undefined> {
    if (!this.host || !this.isLoaded) return undefined;
    const pt = await this.host.crashSoon(at);
    if (pt !== undefined) this.settings = { ...this.settings, crashAt: [...this.settings.crashAt.filter((c) => c !== pt), pt].sort((a, b) => a - b) };
    this.requestFrame();
    if (pt !== undefined) await this.mirror(async (b) => void (await b.crashNow(pt)));
    return pt;
  }

  async checkpointNow(): Promise<void> {
    if (!this.host || !this.isLoaded) return;
    const b = this.mirror((b) => b.checkpointNow());
    await this.host.checkpointNow();
    this.requestFrame();
    await b;
  }

  /** Takes a savepoint of the running job (it keeps running); undefined when there is no job. */
  async takeSavepoint(): Promise<SavepointFile | undefined> {
    if (!this.host || !this.isLoaded) return undefined;
    const file = await this.host.savepoint();
    this.requestFrame();
    return file;
  }

  /**
   * Stops the job with a savepoint at the current processing time (Flink's stop-with-savepoint);
   * null when none could be taken, undefined when there is no job.
   */
  async stopWithSavepoint(): Promise<SavepointFile | null | undefined> {
    if (!this.host || !this.isLoaded) return undefined;
    const file = await this.host.stopWithSavepoint();
    if (file) this.stoppedWith = file.savepointId;
    this.requestFrame();
    return file;
  }

  /**
   * Runs the current code from a savepoint: its state goes to the operators with the same uid,
   * the clock starts at its processing time. False when it cannot (the errors say why, in the
   * engine's words).
   */
  async resumeFrom(file: SavepointFile, allowNonRestoredState: boolean): Promise<boolean> {
    if (!(await this.start({ file, allowNonRestoredState }))) return false;
    await this.play(false);
    return true;
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
        // The first attempt of a run resumed from a savepoint starts from that savepoint.
        this.model.beginAttempt(a.attempt, a.startPt, a.restoredFrom, a.gap, a.attempt === 1 && this.resumedFrom !== null && a.restoredFrom === this.resumedFrom);
        this.requestFrame();
      },
      onStatus: (status) => {
        if (gen !== this.generation) return;
        this.status = status;
        if (status === 'finished') void this.fetchReport(gen);
        this.requestFrame();
      },
      onError: (e) => {
        if (gen === this.generation) this.addError(e);
      },
    });
  }

  /** Asks the worker what the sinks' store holds against the failure-free run. */
  private async fetchReport(gen: number): Promise<void> {
    try {
      const report = await this.host?.outputReport();
      if (gen === this.generation && report) this.report = report;
    } catch {
      // The report is an extra (what-if); a run without it still shows its output.
    }
  }

  /**
   * Loads the code as a fresh job into this session's worker host (made on first use, kept
   * across runs so the job's lock stays held); false when it cannot run.
   */
  private async start(from?: SavepointStart): Promise<boolean> {
    const gen = this.generation;
    // A what-if run B always has A's seed, input and crash times.
    if (this.leader) {
      const { seed, input, crashAt } = this.leader.settings;
      this.settings = { ...this.settings, seed, input, crashAt: [...crashAt] };
    }
    this.loaded = false;
    this.report = null;
    this.resumedFrom = from ? from.file.savepointId : null;
    this.stoppedWith = null;
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
        const loaded = await host.load(this.code, $state.snapshot(this.settings) as RunSettings, from);
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
    // B draws at A's playhead (at its own end while it is behind), so both show one moment.
    if (this.leader) this.playheadT = Math.min(this.leader.seekTarget ?? this.leader.playheadT, this.endT);
    this.partner?.requestFrame();
    // Panels take turns within a frame budget (src/viz/frame-budget.ts): no frame's task is all six.
    if (!this.budget.run([...this.views], m, this.playheadT)) this.requestFrame();
  }
}
