// The UI benchmark page (bench-ui.html): runs a million-record windowed pipeline flat out in the
// sandboxed engine worker while all six panels redraw on animation frames, playhead following
// the run, taking turns within a frame budget as the playground does (`?budget=off`: all six
// in every frame), and measures what a user would feel: main-thread long tasks (a
// PerformanceObserver, buffered) and the frame rate. `?auto` starts at once; results land in
// `window.benchUi` and `body[data-done]` for scripts/bench-ui.mjs. `?records=N` shrinks the run;
// `?checkpoint=MS` sets the checkpoint interval (0: none; default the sandbox's 1000 ms);
// `?panels=time,output` mounts only those panels (`none`: the engine and RunModel alone);
// `?frameBudget=MS` sets the FrameBudget's milliseconds per frame (the playground's: 10).
import '../app.css';
import { DEFAULT_SETTINGS, RECORD_STRIDE, type RunSettings, type TraceDelta } from '../../worker/protocol.ts';
import { EngineHost, type HostAttempt } from '../../worker/engine-host.ts';
import { RunModel } from '../../viz/run-model.ts';
import { PANEL_IDS, PANEL_TITLES, type PanelId, type PanelView } from '../../viz/panel.ts';
import { PANEL_FACTORIES } from '../../viz/panels.ts';
import { FrameBudget } from '../../viz/frame-budget.ts';
import { warmUpLayout } from '../../viz/dataflow/graph-layout.ts';
import { BENCH_RECORDS, benchPipeline } from './bench-pipeline.ts';

/** What one benchmark run measured (milliseconds unless named otherwise). */
export interface BenchResult {
  readonly records: number;
  readonly runMs: number;
  readonly longestTaskMs: number;
  readonly longTasks: number;
  /** Each long task: when it started (ms after the run started) and how long it took, longest first. */
  readonly longTaskTimes: readonly { readonly atMs: number; readonly ms: number }[];
  readonly frames: number;
  readonly fps: number;
  /** Slowest and total time of `RunModel.apply`, and how many deltas. */
  readonly applyMaxMs: number;
  readonly applyTotalMs: number;
  readonly deltas: number;
  /** The slowest delta to apply: its record dots and its events' JSON bytes. */
  readonly applyMaxDelta: { records: number; eventBytes: number };
  /** What the RunModel held at the end. */
  readonly model: Record<string, number>;
  /** Slowest and total `update` per panel, over every frame. */
  readonly panels: Record<string, { maxMs: number; totalMs: number }>;
  /** Slowest whole frame callback (every panel's update). */
  readonly frameMaxMs: number;
  readonly error?: string;
}

declare global {
  interface Window {
    benchUi?: { result?: BenchResult; start: () => Promise<BenchResult> };
  }
}

const params = new URLSearchParams(location.search);
const records = Number(params.get('records') ?? BENCH_RECORDS);
const checkpoint = params.get('checkpoint');
const settings: RunSettings = {
  ...DEFAULT_SETTINGS,
  ...(checkpoint !== null ? { checkpointInterval: Number(checkpoint) > 0 ? Number(checkpoint) : null } : {}),
};

// Observe from page load, buffered, so no long task slips between the observer and the run.
const longTasks: PerformanceEntry[] = [];
new PerformanceObserver((list) => longTasks.push(...list.getEntries())).observe({ type: 'longtask', buffered: true });

const root = document.getElementById('bench-ui')!;
root.innerHTML = `
  <style>
    body { margin: 0; }
    .bench-head { display: flex; gap: 16px; align-items: baseline; padding: 8px 16px; }
    .bench-head h1 { font-size: 18px; margin: 0; }
    .bench-status { font-family: var(--mono); font-size: 13px; color: var(--muted); }
    .bench-grid { display: grid; grid-template-columns: repeat(3, 1fr); grid-auto-rows: 400px; gap: 8px; padding: 0 8px 8px; }
    .bench-grid section { display: flex; flex-direction: column; min-width: 0; border: 1px solid var(--line); border-radius: 6px; background: var(--surface); }
    .bench-grid h2 { font-size: 13px; margin: 4px 8px; }
    .bench-grid .body { flex: 1; position: relative; min-height: 0; }
  </style>
  <header class="bench-head">
    <h1>UI benchmark</h1>
    <button type="button" class="btn" id="bench-start">Run ${records.toLocaleString('en-US')} records</button>
    <span class="bench-status" aria-live="polite">ready</span>
  </header>
  <div class="bench-grid"></div>`;
const status = root.querySelector<HTMLSpanElement>('.bench-status')!;
const grid = root.querySelector<HTMLDivElement>('.bench-grid')!;
const startButton = root.querySelector<HTMLButtonElement>('#bench-start')!;

const model = new RunModel();
const views: { id: PanelId; view: PanelView }[] = [];
const wanted = (params.get('panels') ?? PANEL_IDS.join(',')).split(',');
for (const id of PANEL_IDS.filter((p) => wanted.includes(p))) {
  const section = document.createElement('section');
  section.dataset.panel = id;
  section.innerHTML = `<h2>${PANEL_TITLES[id]}</h2><div class="body"></div>`;
  grid.append(section);
  const factory = PANEL_FACTORIES[id];
  if (factory) views.push({ id, view: factory(section.querySelector<HTMLDivElement>('.body')!, {}) });
}

const panelTimes: Record<string, { maxMs: number; totalMs: number }> = Object.fromEntries(views.map((v) => [v.id, { maxMs: 0, totalMs: 0 }]));
let frameMaxMs = 0;

const ids = new Map(views.map((v) => [v.view, v.id]));
// As the playground's RunSession: panels take turns within a frame budget.
const budget = new FrameBudget(Number(params.get('frameBudget') ?? 10));

/**
 * Redraws the panels at the run's end, as many as the frame budget allows (all of them with
 * `all`: the empty panels at load), timing each. True when every panel was drawn.
 */
function redraw(all = false): boolean {
  const frameStart = performance.now();
  const timed = (view: PanelView) => {
    const start = performance.now();
    view.update(model, model.endT);
    const ms = performance.now() - start;
    // A user-timing entry per update: a trace (--trace) shows which panels drew in each task.
    performance.measure(`update ${ids.get(view)!}`, { start, duration: ms });
    const times = panelTimes[ids.get(view)!]!;
    times.maxMs = Math.max(times.maxMs, ms);
    times.totalMs += ms;
  };
  const list = views.map((v) => v.view);
  let complete = true;
  if (all || params.get('budget') === 'off') list.forEach(timed);
  else complete = budget.run(list, model, model.endT, timed);
  frameMaxMs = Math.max(frameMaxMs, performance.now() - frameStart);
  return complete;
}

const arrivals = () => model.records.length + model.recordsSkipped;

async function start(): Promise<BenchResult> {
  startButton.disabled = true;
  let applyMaxMs = 0;
  let applyTotalMs = 0;
  let deltas = 0;
  let applyMaxDelta = { records: 0, eventBytes: 0 };
  let error: string | undefined;
  const host = new EngineHost({
    jobId: `bench-ui-${Math.random().toString(36).slice(2)}`,
    onDelta: (d: TraceDelta) => {
      const t0 = performance.now();
      model.apply(d);
      const ms = performance.now() - t0;
      if (ms > applyMaxMs) applyMaxDelta = { records: d.records.length / RECORD_STRIDE, eventBytes: d.events.byteLength };
      applyMaxMs = Math.max(applyMaxMs, ms);
      applyTotalMs += ms;
      deltas++;
    },
    onAttempt: (a: HostAttempt) => {
      if (a.crash) model.markCrash(a.crash.reason, a.crash.pt);
      model.beginAttempt(a.attempt, a.startPt, a.restoredFrom, a.gap);
    },
    onError: (e) => (error = `${e.kind}: ${e.message}`),
  });
  status.textContent = 'loading the engine…';
  const loaded = await host.load(benchPipeline(records), settings);
  if (!loaded.ok) {
    const result = emptyResult(loaded.error.message);
    window.benchUi!.result = result;
    document.body.dataset.done = 'true';
    return result;
  }

  // Frames: one redraw per animation frame while the run lasts, counted.
  let frames = 0;
  let running = true;
  const runStart = performance.now();
  const onFrame = () => {
    if (!running) return;
    frames++;
    redraw();
    status.textContent = `${arrivals().toLocaleString('en-US')} records, ${((performance.now() - runStart) / 1000).toFixed(1)} s`;
    requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);
  const played = await host.play(Number.POSITIVE_INFINITY);
  if (played?.error) error = `${played.error.kind}: ${played.error.message}`;
  // The run ends for the page when the last delta (finished) is applied: deltas come on their
  // own port and may trail the reply to play().
  const waitUntil = performance.now() + 5000;
  while (played?.finished && !model.finished && performance.now() < waitUntil) await new Promise((r) => requestAnimationFrame(r));
  const runMs = performance.now() - runStart;
  running = false;
  // The final state, drawn as the playground draws it (frames within the budget until every
  // panel has shown it), then a moment for the last long task to be reported.
  for (let frame = 0; frame < 60; frame++) {
    await new Promise((r) => requestAnimationFrame(r));
    if (redraw()) break;
  }
  await new Promise((r) => setTimeout(r, 500));
  const endAt = performance.now();
  await host.dispose();

  const during = longTasks.filter((e) => e.startTime + e.duration >= runStart && e.startTime <= endAt);
  const result: BenchResult = {
    records: arrivals(),
    runMs,
    longestTaskMs: Math.max(0, ...during.map((e) => e.duration)),
    longTasks: during.length,
    longTaskTimes: during.map((e) => ({ atMs: e.startTime - runStart, ms: e.duration })).sort((a, b) => b.ms - a.ms),
    frames,
    fps: frames / (runMs / 1000),
    applyMaxMs,
    applyTotalMs,
    deltas,
    applyMaxDelta,
    model: {
      recordDots: model.records.length,
      panes: model.panes.length,
      sinkOutput: model.sinkOutput.length,
      stateChanges: model.stateChanges.length,
      timerChanges: model.timerChanges.length,
      metrics: model.metrics.length,
      checkpoints: model.checkpoints.length,
      watermarkPoints: [...model.watermarks.values()].reduce((n, l) => n + l.length, 0),
    },
    panels: panelTimes,
    frameMaxMs,
    ...(error ? { error } : {}),
  };
  status.textContent = `${result.records.toLocaleString('en-US')} records in ${(runMs / 1000).toFixed(1)} s; longest task ${Math.round(result.longestTaskMs)} ms; ${Math.round(result.fps)} fps${error ? `; ${error}` : ''}`;
  window.benchUi!.result = result;
  document.body.dataset.done = 'true';
  return result;
}

function emptyResult(error: string): BenchResult {
  return { records: 0, runMs: 0, longestTaskMs: 0, longTasks: 0, longTaskTimes: [], frames: 0, fps: 0, applyMaxMs: 0, applyTotalMs: 0, deltas: 0, applyMaxDelta: { records: 0, eventBytes: 0 }, model: {}, panels: {}, frameMaxMs: 0, error };
}

window.benchUi = { start };
startButton.addEventListener('click', () => void start());
redraw(true);
// Ready as the playground is when its user presses Run: loaded, with its idle-time warm-ups done
// (ELK's first layout), not in its first frames.
void (views.some((v) => v.id === 'graph') ? warmUpLayout() : Promise.resolve()).then(() => {
  document.body.dataset.ready = 'true';
  if (params.has('auto')) void start();
});
