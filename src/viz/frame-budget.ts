// Redraws panels on animation frames within a time budget. Every panel's update in one frame
// callback makes one task as long as all of them together; with a budget, the panels that did
// not fit are drawn first in the next frame, so a frame's task is about one panel's update.
// A view's first draw of a run ends the frame too: it builds most of the view's DOM, whose style,
// layout and paint the script budget does not see (a run's first frame with all six: 8 ms of
// script, then 22 ms of layout and 16 of paint).
// Invariant: every view gets its update within a few frames, in turn, none starved.

import type { PanelView } from './panel.ts';
import type { RunModel } from './run-model.ts';

/** Takes turns over views, one frame at a time. */
export class FrameBudget {
  /** Index (in the views given) of the view to draw first next time. */
  private next = 0;
  /** The model each view last drew once it held something (a delta or an attempt). */
  private readonly drewRun = new WeakMap<PanelView, RunModel>();

  /** @param budgetMs Milliseconds of updates per frame after which the rest waits a frame. */
  constructor(
    private readonly budgetMs = 10,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Updates `views` at `playheadT`, starting with the one whose turn it is, until the budget is
   * spent or a view drew a run for the first time. Returns false when some views wait for the
   * next frame (request one).
   * @example if (!budget.run([...views], model, t)) requestAnimationFrame(draw);
   */
  run(views: readonly PanelView[], model: RunModel, playheadT: number, update = (v: PanelView) => v.update(model, playheadT)): boolean {
    const start = this.now();
    const n = views.length;
    for (let k = 0; k < n; k++) {
      const i = (this.next + k) % n;
      const view = views[i]!;
      const first = model.version > 0 && this.drewRun.get(view) !== model;
      update(view);
      if (model.version > 0) this.drewRun.set(view, model);
      if (k < n - 1 && (first || this.now() - start >= this.budgetMs)) {
        this.next = (i + 1) % n;
        return false;
      }
    }
    return true;
  }
}
