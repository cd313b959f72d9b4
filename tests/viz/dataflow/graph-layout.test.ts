import { describe, expect, it } from 'vitest';
import { BOX, layoutGraph, nodeHeight, warmUpLayout } from '../../../src/viz/dataflow/graph-layout.ts';
import type { DataflowGraph } from '../../../src/viz/dataflow/graph-model.ts';

const graph: DataflowGraph = {
  nodes: [
    { id: 'a', name: 'source', kind: 'source', parallelism: 1 },
    { id: 'b', name: 'window', kind: 'operator', parallelism: 3 },
    { id: 'c', name: 'sink', kind: 'sink', parallelism: 1 },
  ],
  edges: [
    { id: 'a->b', from: 'a', to: 'b', partitioning: 'hash' },
    { id: 'b->c', from: 'b', to: 'c', partitioning: 'forward' },
  ],
};

describe('graph layout', () => {
  it('warms ELK up once however often the panel asks, and settles', async () => {
    const first = warmUpLayout();
    expect(warmUpLayout()).toBe(first);
    await expect(first).resolves.toBeUndefined();
  });

  it('lays the operators out left to right, each box as tall as its subtask rows, with a route per channel', async () => {
    await warmUpLayout();
    const layout = await layoutGraph(graph);
    const [a, b, c] = ['a', 'b', 'c'].map((id) => layout.nodes.get(id)!);
    expect(a!.x).toBeLessThan(b!.x);
    expect(b!.x).toBeLessThan(c!.x);
    expect(b!.width).toBe(BOX.width);
    expect(b!.height).toBe(nodeHeight(graph.nodes[1]!));
    expect([...layout.edges.keys()].sort()).toEqual(['a->b', 'b->c']);
    for (const e of layout.edges.values()) expect(e.points.length).toBeGreaterThanOrEqual(2);
  });
});
