import { describe, expect, it } from 'vitest';
import { barrierProgress, checkpointsInFlight } from '../../../src/viz/dataflow/barrier-progress.ts';
import { edgeWatermark, graphOf, subtaskKey, subtaskStatsAt } from '../../../src/viz/dataflow/graph-model.ts';
import { layoutGraph } from '../../../src/viz/dataflow/graph-layout.ts';
import { traceToDeltas } from '../../../src/app/lab/trace-to-deltas.ts';
import { RunModel } from '../../../src/viz/run-model.ts';
import { durableEvents, plainModel } from '../checkpoints/meter-run.ts';

describe('dataflow graph model', () => {
  it('has a node per operator and a channel per input, with its partitioning', () => {
    const graph = graphOf(plainModel(2).operators);
    expect(graph.nodes.map((n) => [n.id, n.name, n.kind, n.parallelism])).toEqual([
      ['readings', 'array', 'source', 2],
      ['meter-totals', 'sum TumblingWindows(1 s)', 'operator', 2],
      ['billing', 'billing', 'sink', 2],
      ['sink-dashboard', 'dashboard', 'sink', 2],
    ]);
    expect(graph.edges).toEqual([
      { id: 'readings->meter-totals', from: 'readings', to: 'meter-totals', partitioning: 'hash' },
      { id: 'meter-totals->billing', from: 'meter-totals', to: 'billing', partitioning: 'forward' },
      { id: 'meter-totals->sink-dashboard', from: 'meter-totals', to: 'sink-dashboard', partitioning: 'forward' },
    ]);
  });

  it('lays the graph out left to right with ELK', async () => {
    const layout = await layoutGraph(graphOf(plainModel().operators));
    const x = (id: string) => layout.nodes.get(id)!.x;
    expect(x('readings')).toBeLessThan(x('meter-totals'));
    expect(x('meter-totals')).toBeLessThan(x('billing'));
    expect(x('billing')).toBe(x('sink-dashboard'));
    expect(layout.edges.get('readings->meter-totals')!.label).toBeDefined();
  });

  it('reads counts at the playhead from the latest sample and rates from the one before', () => {
    const model = plainModel();
    // Samples every second; at 2500 the latest is the one at 2000 and the rate is over 1000–2000.
    const stats = subtaskStatsAt(model, 2500);
    const source = stats.get(subtaskKey('readings', 0))!;
    // One reading per 50 ms: offsets 0–40 by 2000, 0–20 by 1000: 20 records a second.
    expect([source.recordsOut, source.outRate]).toEqual([41, 20]);
    const window = stats.get(subtaskKey('meter-totals', 0))!;
    // The window of [0, 1000) fired at 1400 for three meters.
    expect([window.recordsIn, window.recordsOut, window.queued, window.outRate]).toEqual([41, 3, 0, 3]);
    // Its watermark comes from the watermark trace, finer than the samples: the source emits
    // one every 200 ms, 300 ms behind the newest reading, so at 2400 it became 2400 - 300 - 1.
    expect(window.watermark).toBe(2099);
    expect(edgeWatermark(graphOf(model.operators).edges[0]!, graphOf(model.operators).nodes[0]!, stats)).toBe(source.watermark);
  });

  it('has no rate before the second sample', () => {
    const stats = subtaskStatsAt(plainModel(), 1500);
    expect(stats.get(subtaskKey('readings', 0))).toMatchObject({ recordsOut: 21 });
    expect(stats.get(subtaskKey('readings', 0))!.outRate).toBeUndefined();
  });

  it('shows how far each subtask got with a checkpoint still in flight', async () => {
    // A run stepped event by event and paused inside checkpoint 1, just after the window
    // aligned its barrier: the source has acknowledged, the sinks have not seen the barrier yet.
    const events = await durableEvents([]);
    const cut = events.findIndex((e) => e.type === 'barrierAligned') + 1;
    const model = new RunModel();
    for (const d of traceToDeltas(events.slice(0, cut), 1, false)) model.apply(d);
    const [inFlight] = checkpointsInFlight(model, 1000);
    expect(inFlight?.id).toBe(1);
    const progress = barrierProgress(model, inFlight!, 1000);
    expect(Object.fromEntries([...progress.subtasks].map(([k, v]) => [k, v.status]))).toEqual({
      'readings#0': 'acknowledged',
      'meter-totals#0': 'aligned',
      'billing#0': 'waiting',
      'sink-dashboard#0': 'waiting',
    });
    expect(progress.subtasks.get('meter-totals#0')!.channels).toBe(1);
  });

  it('has no checkpoint in flight once it completed', async () => {
    expect(checkpointsInFlight(plainModel(), 1000)).toEqual([]);
    const model = new RunModel();
    for (const d of traceToDeltas(await durableEvents([]))) model.apply(d);
    expect(checkpointsInFlight(model, 1000)).toEqual([]);
  });
});
