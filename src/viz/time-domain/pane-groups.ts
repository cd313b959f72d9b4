// The pane bars' layout facts, kept up to date as a run grows: how deep each firing moment's
// stack is, the smallest gap between moments, and the panes of one moment with the same window
// and timing gathered into one group (drawn as one bar over their stack when there are many).
// Invariant: equal to a walk over the first `paneCount` panes from the start, at every update.

import type { PaneFiring, RunModel } from '../run-model.ts';

/** Panes of one firing moment with the same window, timing and retraction flag. */
export interface PaneGroup {
  /** Index of its first pane (whose look and tooltip the merged bar takes). */
  readonly first: number;
  readonly t: number;
  readonly pane: PaneFiring;
  /** Lowest and highest stack slot of its panes. */
  minStack: number;
  maxStack: number;
}

/**
 * Walks panes once each: only the panes added since the last update, and those of the latest
 * firing moment again (its stack slots can change as more of its panes arrive).
 * - State: groups in order of their first pane, each moment's depth, the deepest closed
 *   moment and the smallest gap between closed moments.
 * - Lifetime: started over for another model, fewer panes (the playhead went back), or panes
 *   out of time order (then every update walks them all, as a plain walk would).
 */
export class PaneGroups {
  private model: RunModel | undefined;
  private walked = 0;
  /** The latest moment: its time, first pane, first group and depth. */
  private lastT = Number.NaN;
  private lastFirstPane = 0;
  private lastFirstGroup = 0;
  private lastDepth = 0;
  private maxClosedDepth = 0;
  private minClosedGap = Number.POSITIVE_INFINITY;
  private readonly depths = new Map<number, number>();
  private readonly byId = new Map<string, PaneGroup>();
  private inOrder = true;
  readonly groups: PaneGroup[] = [];

  /** Brings the groups up to the first `paneCount` panes, given every pane's stack slot. */
  update(model: RunModel, paneCount: number, stacks: readonly number[]): this {
    if (model !== this.model || paneCount < this.walked || !this.inOrder) this.reset(model);
    // The same panes have the same slots (the stacks change only as panes are added).
    if (paneCount === this.walked) return this;
    // Re-walk the latest moment: drop what it added.
    if (this.walked > 0) {
      for (const g of this.groups.splice(this.lastFirstGroup)) this.byId.delete(idOf(g.t, g.pane));
      this.depths.delete(this.lastT);
      this.walked = this.lastFirstPane;
      this.lastDepth = 0;
    }
    const panes = model.panes;
    for (let i = this.walked; i < paneCount; i++) {
      const p = panes[i]!;
      if (Number.isNaN(this.lastT)) this.openMoment(p.t, i);
      else if (p.t !== this.lastT) {
        if (p.t < this.lastT) {
          this.inOrder = false;
          return this.walkAll(model, paneCount, stacks);
        }
        this.closeMoment(p.t);
        this.openMoment(p.t, i);
      }
      const stack = stacks[i]!;
      this.lastDepth = Math.max(this.lastDepth, stack + 1);
      this.group(i, p, stack);
    }
    if (paneCount > 0) this.depths.set(this.lastT, this.lastDepth);
    this.walked = paneCount;
    return this;
  }

  /** How many slots deep the stack of the moment `t` is. */
  depthAt(t: number): number {
    return this.depths.get(t) ?? 0;
  }

  /** The deepest stack of any moment. */
  get maxDepth(): number {
    return Math.max(this.maxClosedDepth, this.lastDepth);
  }

  /** The smallest time between two consecutive firing moments (infinite with fewer than two). */
  get minGap(): number {
    return this.minClosedGap;
  }

  private reset(model: RunModel): void {
    this.model = model;
    this.walked = 0;
    this.lastT = Number.NaN;
    this.lastFirstPane = 0;
    this.lastFirstGroup = 0;
    this.lastDepth = 0;
    this.maxClosedDepth = 0;
    this.minClosedGap = Number.POSITIVE_INFINITY;
    this.depths.clear();
    this.byId.clear();
    this.groups.length = 0;
    this.inOrder = true;
  }

  private openMoment(t: number, pane: number): void {
    this.lastT = t;
    this.lastFirstPane = pane;
    this.lastFirstGroup = this.groups.length;
    this.lastDepth = 0;
  }

  private closeMoment(nextT: number): void {
    this.depths.set(this.lastT, this.lastDepth);
    this.maxClosedDepth = Math.max(this.maxClosedDepth, this.lastDepth);
    this.minClosedGap = Math.min(this.minClosedGap, nextT - this.lastT);
  }

  /** Panes out of time order: one plain walk over all of them (no moment is ever closed). */
  /** Puts pane `i` (at stack row `stack`) into the group of its firing, made on its first pane. */
  private group(i: number, p: PaneFiring, stack: number): void {
    const id = idOf(p.t, p);
    const g = this.byId.get(id);
    if (g) {
      g.minStack = Math.min(g.minStack, stack);
      g.maxStack = Math.max(g.maxStack, stack);
    } else {
      const group = { first: i, t: p.t, pane: p, minStack: stack, maxStack: stack };
      this.byId.set(id, group);
      this.groups.push(group);
    }
  }

  private walkAll(model: RunModel, paneCount: number, stacks: readonly number[]): this {
    this.reset(model);
    this.inOrder = false;
    for (let i = 0; i < paneCount; i++) {
      const p = model.panes[i]!;
      const stack = stacks[i]!;
      this.depths.set(p.t, Math.max(this.depths.get(p.t) ?? 0, stack + 1));
      this.group(i, p, stack);
    }
    const times = [...this.depths.keys()].sort((a, b) => a - b);
    for (let k = 1; k < times.length; k++) this.minClosedGap = Math.min(this.minClosedGap, times[k]! - times[k - 1]!);
    this.maxClosedDepth = Math.max(0, ...this.depths.values());
    this.walked = paneCount;
    this.lastFirstGroup = this.groups.length;
    return this;
  }
}

function idOf(t: number, p: PaneFiring): string {
  return `${t}|${p.window.start}|${p.window.end}|${p.pane.timing}|${p.retraction}`;
}
