import { describe, expect, it } from 'vitest';
import { allowedLateness, windowLayout } from '../../../src/viz/time-domain/window-bands.ts';
import { exampleModel } from './example-model.ts';

describe('window bands', () => {
  it('draws session windows per key, from their first timer to their last pane', () => {
    const layout = windowLayout(exampleModel('sessions'));
    expect(layout.perKey).toBe(true);
    expect(layout.lanes).toEqual(['alice', 'bob']);
    expect(layout.bands.map((b) => [b.key, b.start, b.end, b.appearT, b.doneT, b.lane, b.panes])).toEqual([
      ['alice', 30_000, 480_000, 60_000, 180_000, 0, 3],
      ['bob', 60_000, 360_000, 0, 180_000, 1, 2],
    ]);
  });

  it('draws tumbling windows once for every key, until their clean-up', () => {
    const layout = windowLayout(exampleModel('late-data'));
    expect(layout.perKey).toBe(false);
    expect(layout.bands.map((b) => [b.key, b.start, b.end, b.appearT, b.doneT, b.lane, b.panes])).toEqual([
      [undefined, 0, 60_000, 0, 90_000, 0, 3],
      [undefined, 60_000, 120_000, 60_000, 120_000, 0, 1],
    ]);
  });

  it('reads the allowed lateness from the clean-up timers', () => {
    expect(allowedLateness(exampleModel('late-data'), 'count TumblingWindows(1 min)')).toBe(30_000);
    expect(allowedLateness(exampleModel('sessions'), 'sum SessionWindows(gap 300000 ms)')).toBe(600_000);
    expect(allowedLateness(exampleModel('word-count'), 'count TumblingWindows(10 s)')).toBe(0);
  });
});
