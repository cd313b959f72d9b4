// Where the dataflow graph's boxes and channels go: ELK's layered algorithm, left to right,
// orthogonal edges with their labels placed between layers. Layout is asynchronous and only
// depends on the operator list, so it is cached per graph signature and reused while the run plays.

import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import { whenIdle } from '../idle-task.ts';
import type { DataflowGraph, GraphNode } from './graph-model.ts';

/** Box geometry shared by the layout and the drawing. */
export const BOX = {
  width: 248,
  header: 40,
  slot: 40,
  padding: 6,
  /** Subtasks drawn per box; the rest are summarised (the table lists them all). */
  maxSlots: 8,
  /** Edge label: partitioning on one line, watermark on the next. */
  labelWidth: 104,
  labelHeight: 34,
} as const;

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface NodeBox {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface EdgeRoute {
  readonly id: string;
  readonly points: readonly Point[];
  /** Top-left corner of the label box. */
  readonly label?: Point;
}

export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: ReadonlyMap<string, NodeBox>;
  readonly edges: ReadonlyMap<string, EdgeRoute>;
}

/** Subtask rows drawn in a box: all of them up to `maxSlots`, then `maxSlots - 1` and a summary row. */
export function slotsShown(parallelism: number): number {
  return parallelism <= BOX.maxSlots ? parallelism : BOX.maxSlots - 1;
}

/** The box of an operator: a header and one row per subtask shown (plus a summary row). */
export function nodeHeight(node: GraphNode): number {
  const rows = node.parallelism <= BOX.maxSlots ? node.parallelism : BOX.maxSlots;
  return BOX.header + rows * BOX.slot + BOX.padding;
}

// ELK is ~420 KB gzip: load it with the first layout, never with the page. In a browser it
// runs in a Web Worker of its own (a layout takes ~0.1–0.5 s of compute, which on the page's
// thread would be one long task while the run starts); where there are no workers (Node tests)
// it runs in place.
type Elk = { layout(graph: ElkNode): Promise<ElkNode> };
let elkLoading: Promise<Elk> | undefined;
function loadElk(): Promise<Elk> {
  elkLoading ??= typeof Worker === 'function' ? elkInWorker() : import('elkjs/lib/elk.bundled.js').then(({ default: ELK }) => new ELK());
  return elkLoading;
}

async function elkInWorker(): Promise<Elk> {
  const [{ default: ELK }, { default: workerUrl }] = await Promise.all([import('elkjs/lib/elk-api.js'), import('elkjs/lib/elk-worker.min.js?url')]);
  // elk-worker.min.js is a classic worker script (GWT output): no module type.
  return new ELK({ workerFactory: () => new Worker(workerUrl) });
}

const OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.spacing.nodeNode': '28',
  'elk.layered.spacing.nodeNodeBetweenLayers': '36',
  'elk.layered.spacing.edgeNodeBetweenLayers': '16',
  'elk.spacing.edgeLabel': '6',
  'elk.edgeLabels.inline': 'false',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.padding': '[top=12,left=12,bottom=12,right=12]',
};

/** Lays out `graph` with ELK (layered, left to right). */
export async function layoutGraph(graph: DataflowGraph): Promise<GraphLayout> {
  const root: ElkNode = {
    id: 'root',
    layoutOptions: OPTIONS,
    children: graph.nodes.map((n) => ({ id: n.id, width: BOX.width, height: nodeHeight(n) })),
    edges: graph.edges.map(
      (e): ElkExtendedEdge => ({
        id: e.id,
        sources: [e.from],
        targets: [e.to],
        labels: [{ id: `${e.id}/label`, text: e.partitioning, width: BOX.labelWidth, height: BOX.labelHeight, layoutOptions: { 'elk.edgeLabels.placement': 'CENTER' } }],
      }),
    ),
  };
  const elk = await loadElk();
  const out = await elk.layout(root);
  const nodes = new Map<string, NodeBox>();
  for (const c of out.children ?? []) nodes.set(c.id, { id: c.id, x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? BOX.width, height: c.height ?? 0 });
  const edges = new Map<string, EdgeRoute>();
  for (const e of out.edges ?? []) {
    const s = e.sections?.[0];
    if (!s) continue;
    const label = e.labels?.[0];
    edges.set(e.id, {
      id: e.id,
      points: [s.startPoint, ...(s.bendPoints ?? []), s.endPoint],
      ...(label && label.x !== undefined && label.y !== undefined ? { label: { x: label.x, y: label.y } } : {}),
    });
  }
  return { width: out.width ?? 0, height: out.height ?? 0, nodes, edges };
}

/** What the warm-up lays out: a job's usual shape (source, keyed operator, sink, labelled channels). */
const WARM_UP_GRAPH: DataflowGraph = {
  nodes: [
    { id: 'source', name: 'source', kind: 'source', parallelism: 1 },
    { id: 'window', name: 'window', kind: 'operator', parallelism: 2 },
    { id: 'sink', name: 'sink', kind: 'sink', parallelism: 1 },
  ],
  edges: [
    { id: 'source->window', from: 'source', to: 'window', partitioning: 'hash' },
    { id: 'window->sink', from: 'window', to: 'sink', partitioning: 'forward' },
  ],
};

let warming: Promise<void> | undefined;

/**
 * Loads ELK and lays out a small graph, once, in an idle task: a cold ELK spends ~35 ms loading
 * and ~80 ms on its first layout (its code not yet compiled), ~12 ms on the next. Done while the
 * page waits for its user, that work no longer lands in a run's first frames, where it took
 * CPU from the page's thread (two cores: the engine worker, V8's compiler threads and ELK).
 * Resolves when done, whether or not ELK loaded (the real layout reports its own failure).
 */
export function warmUpLayout(): Promise<void> {
  warming ??= new Promise<void>((resolve) => whenIdle(resolve, 2000))
    .then(() => layoutGraph(WARM_UP_GRAPH))
    .then(
      () => undefined,
      () => undefined,
    );
  return warming;
}

const cache = new Map<string, Promise<GraphLayout>>();

/** `layoutGraph`, computed once per operator list (`signature` from `graphSignature`). */
export function cachedLayout(signature: string, graph: DataflowGraph): Promise<GraphLayout> {
  let p = cache.get(signature);
  if (!p) {
    p = layoutGraph(graph);
    cache.set(signature, p);
    // A handful of graphs per session at most; forget the oldest beyond that.
    if (cache.size > 16) cache.delete(cache.keys().next().value!);
  }
  return p;
}
