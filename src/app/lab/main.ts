// The panel lab (lab.html): runs an example pipeline on this thread and mounts panels on its
// RunModel with a playhead slider, so panels can be built and screenshotted without the worker.
//   /lab.html?example=sessions&panels=time,output&t=120000
// Durable runs: `checkpoint=1000` (interval, ms) runs with checkpoints in a memory store and
// `crash=5000,9000` crashes at those processing times; `parallelism=2` sets the default
// parallelism; `table=1` mounts the panels as their table alternatives.
import '../app.css';
import { RunModel } from '../../viz/run-model.ts';
import { PANEL_IDS, PANEL_TITLES, type PanelId, type PanelView } from '../../viz/panel.ts';
import { PANEL_FACTORIES } from '../../viz/panels.ts';
import { loadTrace, runToDeltas } from './trace-to-deltas.ts';
import { runDurable } from '../../engine/checkpoint/job-driver.ts';
import { MemoryDurableStore } from '../../engine/checkpoint/memory-store.ts';
import type { TraceEvent } from '../../engine/trace/trace-event.ts';
import { parseTestStream } from '../../engine/connectors/test-stream.ts';
import type { PipelineBuilder } from '../../engine/api/run-pipeline.ts';

const pipelines = import.meta.glob<{ default: PipelineBuilder }>('../../../examples/*.ts');
const inputs = import.meta.glob<string>('../../../examples/*-input.json', { query: '?raw', import: 'default' });

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const example = params.get('example') ?? 'sessions';
  const wanted = (params.get('panels') ?? PANEL_IDS.join(',')).split(',').filter((p): p is PanelId => (PANEL_IDS as readonly string[]).includes(p));
  const load = pipelines[`../../../examples/${example}.ts`];
  const root = document.getElementById('lab')!;
  if (!load) {
    root.textContent = `no example ${example}; try ${Object.keys(pipelines).map((k) => k.replace(/.*\/|\.ts$/g, '')).join(', ')}`;
    return;
  }
  const parallelism = Number(params.get('parallelism') ?? 0);
  const loaded = (await load()).default;
  const build: PipelineBuilder = parallelism > 0 ? (p) => loaded(p.setParallelism(parallelism)) : loaded;
  const inputText = await inputs[`../../../examples/${example}-input.json`]?.();
  const input = inputText ? parseTestStream(JSON.parse(inputText)) : undefined;
  const model = new RunModel();
  const seed = Number(params.get('seed') ?? 1);
  const interval = Number(params.get('checkpoint') ?? 0);
  if (interval > 0) {
    const events: TraceEvent[] = [];
    const crashes = (params.get('crash') ?? '').split(',').filter(Boolean).map(Number);
    await runDurable(build, {
      store: new MemoryDurableStore(),
      jobId: 'lab',
      seed,
      checkpointInterval: interval,
      crashes: { atProcessingTimes: crashes },
      onTrace: (e) => events.push(e),
      ...(input ? { input } : {}),
    });
    loadTrace(model, events);
  } else {
    for (const d of runToDeltas(build, input, seed)) model.apply(d);
  }

  root.innerHTML = `<h1>Panel lab: ${example}</h1><label>playhead <input id="playhead" type="range" min="${model.attempts[0]?.startT ?? 0}" max="${model.endT}" step="1" style="width:60%"></label> <output id="t"></output><div id="panels"></div>`;
  const slider = root.querySelector<HTMLInputElement>('#playhead')!;
  const shown = root.querySelector('output')!;
  const views: PanelView[] = [];
  for (const id of wanted) {
    const factory = PANEL_FACTORIES[id];
    const section = document.createElement('section');
    section.className = 'lab-panel';
    section.dataset.panel = id;
    section.innerHTML = `<h2>${PANEL_TITLES[id]}</h2>`;
    const body = document.createElement('div');
    body.style.cssText = 'height: 420px; position: relative; border: 1px solid #8884';
    section.append(body);
    root.querySelector('#panels')!.append(section);
    if (factory) views.push(factory(body, { onSeek: (t) => setPlayhead(t), table: params.get('table') === '1' }));
    else body.textContent = 'not built yet';
  }
  const setPlayhead = (t: number) => {
    slider.value = String(t);
    shown.textContent = `t = ${t} ms`;
    for (const v of views) v.update(model, t);
  };
  slider.addEventListener('input', () => setPlayhead(Number(slider.value)));
  setPlayhead(Number(params.get('t') ?? model.endT));
  document.body.dataset.ready = 'true';
}

void main();
