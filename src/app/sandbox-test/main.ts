// The sandbox harness (sandbox-test.html): runs pipelines in the engine host's sandboxed worker
// and reports what came back, for tests/e2e/sandbox-escapes.spec.ts (through
// `window.sandboxTest`) and for a look at the results (`?auto` runs every scenario in a table).
import '../app.css';
import { DEFAULT_SETTINGS, type CodeError, type RunSettings, type StepResult } from '../../worker/protocol.ts';
import { EngineHost, type HostAttempt, type HostStatus } from '../../worker/engine-host.ts';
import { RunModel } from '../../viz/run-model.ts';
import { SCENARIOS } from './scenarios.ts';
import { CRASH_PIPELINE } from './crash-pipeline.ts';
import { benchPipeline } from '../bench-ui/bench-pipeline.ts';

/** What one run reported. */
export interface RunReport {
  readonly loaded: boolean;
  readonly result: StepResult | undefined;
  readonly errors: CodeError[];
  readonly statuses: HostStatus[];
  /** Wall ms from the start of play to the run's end (or its stop by the watchdog). */
  readonly playMs?: number;
  readonly attempts: HostAttempt[];
  readonly elapsedMs: number;
  readonly sinkOutput: number;
  readonly panes: number;
  /** Messages that reached this page from anywhere but the sandbox's ports. */
  readonly strayMessages: number;
}

const APP_DB = 'brook-app';
const SETTINGS: RunSettings = { ...DEFAULT_SETTINGS, restart: { kind: 'none' } };

let strayMessages = 0;
addEventListener('message', () => strayMessages++);
new BroadcastChannel('brook').onmessage = () => strayMessages++;

/** Runs `code` to its end (or failure) in a fresh sandbox and reports. */
async function run(code: string, settings: RunSettings = SETTINGS, jobId = `harness-${Math.random().toString(36).slice(2)}`): Promise<RunReport> {
  const errors: CodeError[] = [];
  const statuses: HostStatus[] = [];
  const attempts: HostAttempt[] = [];
  const model = new RunModel();
  const host = new EngineHost({
    jobId,
    onError: (e) => errors.push(e),
    onStatus: (s) => {
      statuses.push(s);
      if (s === 'stopped') onStopped();
    },
    onDelta: (d) => model.apply(d),
    onAttempt: (a) => {
      attempts.push(a);
      if (a.crash) model.markCrash(a.crash.reason, a.crash.pt);
      model.beginAttempt(a.attempt, a.startPt, a.restoredFrom, a.gap);
    },
  });
  let onStopped = () => {};
  const before = strayMessages;
  const started = performance.now();
  const load = await host.load(code, settings);
  let result: StepResult | undefined;
  let playMs: number | undefined;
  if (load.ok) {
    const playStart = performance.now();
    const stopped = new Promise<void>((resolve) => (onStopped = resolve));
    result = await Promise.race([host.play(Number.POSITIVE_INFINITY), stopped.then(() => undefined)]);
    playMs = performance.now() - playStart;
    // Rejections of promises user code left behind arrive a little later.
    await new Promise((r) => setTimeout(r, 400));
  }
  const elapsedMs = performance.now() - started;
  await host.dispose();
  return { loaded: load.ok, result, errors, statuses, ...(playMs !== undefined && { playMs }), attempts, elapsedMs, sinkOutput: model.sinkOutput.length, panes: model.panes.length, strayMessages: strayMessages - before };
}

/** Creates the app's own database with one marker row, as Brook's storage would hold data. */
async function seedAppDb(): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const open = indexedDB.open(APP_DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore('drafts');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('drafts', 'readwrite');
      tx.objectStore('drafts').put('my draft', 'marker');
      tx.oncomplete = () => (open.result.close(), resolve());
    };
  });
}

/** The app database's marker row, or null when the database or row is gone. */
async function readAppDb(): Promise<string | null> {
  const names = (await indexedDB.databases()).map((d) => d.name);
  if (!names.includes(APP_DB)) return null;
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(APP_DB);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const get = open.result.transaction('drafts').objectStore('drafts').get('marker');
      get.onsuccess = () => (open.result.close(), resolve((get.result as string | undefined) ?? null));
    };
  });
}

/**
 * Plays the crash pipeline with a planned crash at `crashAt`, recovers in a fresh worker from
 * IndexedDB, and compares the output with the failure-free run.
 */
async function crashAndResume(crashAt = 7000): Promise<RunReport & { exact: boolean[]; restoredFrom: (number | null)[] }> {
  const jobId = `crash-${Math.random().toString(36).slice(2)}`;
  const settings: RunSettings = { ...DEFAULT_SETTINGS, crashAt: [crashAt] };
  const errors: CodeError[] = [];
  const statuses: HostStatus[] = [];
  const attempts: HostAttempt[] = [];
  const model = new RunModel();
  const host = new EngineHost({
    jobId,
    onError: (e) => errors.push(e),
    onStatus: (s) => statuses.push(s),
    onDelta: (d) => model.apply(d),
    onAttempt: (a) => {
      attempts.push(a);
      if (a.crash) model.markCrash(a.crash.reason, a.crash.pt);
      model.beginAttempt(a.attempt, a.startPt, a.restoredFrom, a.gap);
    },
  });
  const started = performance.now();
  const load = await host.load(CRASH_PIPELINE, settings);
  const result = load.ok ? await host.play(Number.POSITIVE_INFINITY) : undefined;
  const report = await host.outputReport();
  const elapsedMs = performance.now() - started;
  await host.dispose();
  return {
    loaded: load.ok,
    result,
    errors,
    statuses,
    attempts,
    elapsedMs,
    sinkOutput: model.sinkOutput.length,
    panes: model.panes.length,
    strayMessages: 0,
    exact: report?.sinks.map((s) => s.exact) ?? [],
    restoredFrom: attempts.map((a) => a.restoredFrom),
  };
}

/** Two hosts on the same job: the second is refused while the first holds the job's lock. */
async function lockConflict(): Promise<{ first: boolean; second: CodeError | undefined }> {
  const jobId = `lock-${Math.random().toString(36).slice(2)}`;
  const errors: CodeError[] = [];
  const a = new EngineHost({ jobId });
  const b = new EngineHost({ jobId, onError: (e) => errors.push(e) });
  const first = await a.load(SCENARIOS[0]!.code.replace("fetch('https://example.com/');", ''), SETTINGS);
  await b.load(CRASH_PIPELINE, SETTINGS);
  await a.dispose();
  await b.dispose();
  return { first: first.ok, second: errors[0] };
}

/**
 * Plays a million records flat out for `ms` on a page that never paints (requestAnimationFrame
 * never calls back, so no delta is ever acknowledged as drawn) and counts the flushes that came.
 * The host acknowledges "none drawn" as the sandbox starts, so the engine keeps two deltas ahead
 * and then waits up to 250 ms a slice: a handful a second, not the ~30 of a job no page holds back.
 */
async function unpaintedFlushes(ms = 1000): Promise<{ loaded: boolean; flushes: number }> {
  const paint = window.requestAnimationFrame;
  window.requestAnimationFrame = () => 0;
  const pts = new Set<number>();
  const host = new EngineHost({ jobId: `unpainted-${Math.random().toString(36).slice(2)}`, onDelta: (d) => pts.add(d.pt) });
  try {
    const load = await host.load(benchPipeline(), { ...SETTINGS, checkpointInterval: null });
    if (!load.ok) return { loaded: false, flushes: 0 };
    void host.play(Number.POSITIVE_INFINITY);
    await new Promise((r) => setTimeout(r, ms));
    return { loaded: true, flushes: pts.size };
  } finally {
    window.requestAnimationFrame = paint;
    await host.dispose();
  }
}

declare global {
  interface Window {
    sandboxTest: {
      unpaintedFlushes: typeof unpaintedFlushes;
      run: typeof run;
      seedAppDb: typeof seedAppDb;
      readAppDb: typeof readAppDb;
      crashAndResume: typeof crashAndResume;
      lockConflict: typeof lockConflict;
      scenarios: typeof SCENARIOS;
    };
  }
}

window.sandboxTest = { run, seedAppDb, readAppDb, crashAndResume, lockConflict, unpaintedFlushes, scenarios: SCENARIOS };

/** `?auto`: runs every scenario and the crash and lock checks, and shows a table. */
async function auto(): Promise<void> {
  const root = document.getElementById('sandbox-test')!;
  root.innerHTML = '<h1>Sandbox harness</h1><p>Each pipeline runs in the sandboxed worker; the table shows what the engine host reported.</p>';
  const table = document.createElement('table');
  table.innerHTML = '<thead><tr><th>scenario</th><th>status</th><th>reported</th><th>ms</th></tr></thead>';
  const body = document.createElement('tbody');
  table.append(body);
  root.append(table);
  await seedAppDb();
  const row = (title: string, status: string, reported: string, ms: number) => {
    const tr = document.createElement('tr');
    for (const text of [title, status, reported, ms.toFixed(0)]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    body.append(tr);
  };
  for (const s of SCENARIOS) {
    const r = await run(s.code);
    const reported = r.errors.map((e) => `${e.kind}${e.line ? ` (line ${e.line}:${e.column})` : ''}: ${e.message}`).join(' | ') || (r.strayMessages ? `${r.strayMessages} stray messages!` : 'no error; nothing escaped');
    row(s.title, r.statuses.at(-2) ?? r.statuses.at(-1) ?? '', reported, r.elapsedMs);
  }
  row('the app database after all of them', '', `marker row: ${JSON.stringify(await readAppDb())}`, 0);
  const c = await crashAndResume();
  row('planned crash at pt 7000, then resume', c.statuses.filter((s) => s !== 'playing').join(' → '), `attempts restored from ${JSON.stringify(c.restoredFrom)}; exactly once: ${JSON.stringify(c.exact)}; ${c.sinkOutput} sink records seen`, c.elapsedMs);
  const l = await lockConflict();
  row('a second host on the same job', '', l.second?.message ?? 'not refused!', 0);
  document.body.dataset.ready = 'true';
}

if (new URLSearchParams(location.search).has('auto')) void auto();
else document.body.dataset.ready = 'true';
