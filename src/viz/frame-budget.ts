// Redraws panels on animation frames within a time budget. Every panel's update in one frame
// callback makes one task as long as all of them together; with a budget, the panels that did
// not fit are drawn first in the next frame, so a frame's task is about one panel's update.
// Invariant: every view gets its update within a few frames, in turn, none starved.

import type { PanelView } from './panel.ts';
import type { RunModel } from './run-model.ts';

/** Takes turns over views, one frame at a time. */
export class FrameBudget {
  /** Index (in the views given) of the view to draw first next time. */
  private next = 0;

  /** @param budgetMs Milliseconds of updates per frame after which the rest waits a frame. */
  constructor(
    private readonly budgetMs = 10,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Updates `views` at `playheadT`, starting with the one whose turn it is, until the budget is
   * spent. Returns false when some views wait for the next frame (request one).
   * @example if (!budget.run([...views], model, t)) requestAnimationFrame(draw);
   */
  run(views: readonly PanelView[], model: RunModel, playheadT: number, update = (v: PanelView) => v.update(model, playheadT)): boolean {
    const start = this.now();
    const n = views.length;
    for (let k = 0; k < n; k++) {
      const i = (this.next + k) % n;
      update(views[i]!);
      if (k < n - 1 && this.now() - start >= this.budgetMs) {
        this.next = (i + 1) % n;
        return false;
      }
    }
    return true;
  }
}
