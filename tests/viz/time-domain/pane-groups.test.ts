import { describe, expect, it } from 'vitest';
import { runToDeltas } from '../../../src/app/lab/trace-to-deltas.ts';
import { RunModel } from '../../../src/viz/run-model.ts';
import { paneStacks } from '../../../src/viz/time-domain/marks.ts';
import { PaneGroups } from '../../../src/viz/time-domain/pane-groups.ts';
import { exampleBuild, exampleInput, exampleModel } from './example-model.ts';

/** What PaneGroups keeps, from one plain walk over the first `n` panes. */
function walk(model: RunModel, n: number) {
  const stacks = paneStacks(model.panes);
  const depths = new Map<number, number>();
  const groups = new Map<string, { first: number; t: number; minStack: number; maxStack: number }>();
  for (let i = 0; i < n; i++) {
    const p = model.panes[i]!;
    depths.set(p.t, Math.max(depths.get(p.t) ?? 0, stacks[i]! + 1));
    const id = `${p.t}|${p.window.start}|${p.window.end}|${p.pane.timing}|${p.retraction}`;
    const g = groups.get(id);
    if (g) [g.minStack, g.maxStack] = [Math.min(g.minStack, stacks[i]!), Math.max(g.maxStack, stacks[i]!)];
    else groups.set(id, { first: i, t: p.t, minStack: stacks[i]!, maxStack: stacks[i]! });
  }
  const times = [...depths.keys()].sort((a, b) => a - b);
  let minGap = Number.POSITIVE_INFINITY;
  for (let k = 1; k < times.length; k++) minGap = Math.min(minGap, times[k]! - times[k - 1]!);
  return { groups: [...groups.values()], depths: times.map((t) => depths.get(t)!), maxDepth: Math.max(0, ...depths.values()), minGap };
}

function kept(g: PaneGroups, model: RunModel, n: number) {
  const times = [...new Set(model.panes.slice(0, n).map((p) => p.t))].sort((a, b) => a - b);
  return { groups: g.groups.map(({ first, t, minStack, maxStack }) => ({ first, t, minStack, maxStack })), depths: times.map((t) => g.depthAt(t)), maxDepth: g.maxDepth, minGap: g.minGap };
}

describe('PaneGroups', () => {
  for (const name of ['sessions', 'late-data', 'word-count'] as const) {
    it(`groups panes, sizes stacks and finds the smallest gap as a plain walk does after every delta (${name})`, () => {
      const model = new RunModel();
      const groups = new PaneGroups();
      for (const d of runToDeltas(exampleBuild(name), exampleInput(name))) {
        model.apply(d);
        const n = model.panes.length;
        groups.update(model, n, paneStacks(model.panes));
        expect(kept(groups, model, n)).toEqual(walk(model, n));
      }
    });
  }

  it('follows the playhead back and forth over a finished run', () => {
    const model = exampleModel('sessions');
    const stacks = paneStacks(model.panes);
    const groups = new PaneGroups();
    const total = model.panes.length;
    expect(total).toBeGreaterThan(3);
    for (const n of [total, 1, 2, total - 1, 0, total, 3]) {
      groups.update(model, n, stacks);
      expect(kept(groups, model, n)).toEqual(walk(model, n));
    }
  });
});
