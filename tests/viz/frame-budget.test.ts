import { describe, expect, it } from 'vitest';
import { FrameBudget } from '../../src/viz/frame-budget.ts';
import type { PanelView } from '../../src/viz/panel.ts';
import { RunModel } from '../../src/viz/run-model.ts';

describe('FrameBudget', () => {
  it('updates every view in a frame that stays within the budget', () => {
    let clock = 0;
    const drawn: string[] = [];
    const view = (id: string, ms: number): PanelView => ({ update: () => (drawn.push(id), (clock += ms)), destroy: () => {} });
    const budget = new FrameBudget(10, () => clock);
    expect(budget.run([view('a', 2), view('b', 2), view('c', 2)], new RunModel(), 0)).toBe(true);
    expect(drawn).toEqual(['a', 'b', 'c']);
  });

  it('leaves the views past the budget for the next frame, and starts there', () => {
    let clock = 0;
    const drawn: string[] = [];
    const view = (id: string, ms: number): PanelView => ({ update: () => (drawn.push(id), (clock += ms)), destroy: () => {} });
    const views = [view('a', 8), view('b', 8), view('c', 8), view('d', 1)];
    const budget = new FrameBudget(10, () => clock);
    const model = new RunModel();
    expect(budget.run(views, model, 0)).toBe(false);
    expect(drawn).toEqual(['a', 'b']);
    expect(budget.run(views, model, 0)).toBe(false);
    expect(drawn).toEqual(['a', 'b', 'c', 'd', 'a']);
    expect(budget.run(views, model, 0)).toBe(false);
    expect(drawn).toEqual(['a', 'b', 'c', 'd', 'a', 'b', 'c']);
  });
});

describe('FrameBudget, first draws', () => {
  const setUp = () => {
    let clock = 0;
    const drawn: string[] = [];
    const view = (id: string): PanelView => ({ update: () => (drawn.push(id), (clock += 1)), destroy: () => {} });
    return { drawn, views: [view('a'), view('b'), view('c')], budget: new FrameBudget(10, () => clock) };
  };

  it("gives each view's first draw of a run a frame of its own, then all fit in one again", () => {
    const { drawn, views, budget } = setUp();
    const model = new RunModel();
    expect(budget.run(views, model, 0)).toBe(true); // nothing to show yet: one frame for all
    model.beginAttempt(1, 0, null);
    expect([budget.run(views, model, 0), budget.run(views, model, 0), budget.run(views, model, 0)]).toEqual([false, false, false]);
    expect(drawn).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    expect(budget.run(views, model, 0)).toBe(true);
    expect(drawn.slice(6)).toEqual(['a', 'b', 'c']);
  });

  it('a new run (another model) spreads the first draws again', () => {
    const { drawn, views, budget } = setUp();
    const first = new RunModel();
    first.beginAttempt(1, 0, null);
    while (!budget.run(views, first, 0));
    const second = new RunModel();
    second.beginAttempt(1, 0, null);
    drawn.length = 0;
    expect(budget.run(views, second, 0)).toBe(false);
    expect(drawn).toEqual(['a']);
  });
});
