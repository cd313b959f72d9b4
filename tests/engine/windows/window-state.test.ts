// State in a process window function (Flink's ProcessWindowFunction.Context): windowState is
// per key and window, globalState per key across windows; window state is cleared only by the
// function's clear hook when the window expires — without it, it stays (Flink's classic leak).

import { describe, expect, it } from 'vitest';
import { afterCount, afterWatermark, runPipeline, testStream, tumblingWindows } from '../../../src/engine/api/index.ts';

const spec = testStream<number>()
  .advanceWatermarkTo(0)
  .addElements({ value: 1, timestamp: 100, key: 'a' }, { value: 2, timestamp: 200, key: 'a' }, { value: 3, timestamp: 1100, key: 'a' })
  .advanceWatermarkTo(5000)
  .advanceWatermarkToInfinity();

function run(withClear: boolean) {
  return runPipeline((p) => {
    p.input<number>({ default: spec })
      .keyBy()
      .window(tumblingWindows(1000))
      .trigger(afterWatermark().withEarlyFirings(afterCount(1)))
      .process<string>(
        (key, elements, ctx) => {
          const firings = ctx.windowState.value<number>('firings');
          firings.update((firings.value() ?? 0) + 1);
          const windows = ctx.globalState.value<number>('panes');
          windows.update((windows.value() ?? 0) + 1);
          ctx.output(`${key} [${ctx.window.start},${ctx.window.end}) firing ${firings.value()} of this window, pane ${windows.value()} of the key, ${elements.length} elements`);
        },
        withClear ? { clear: (_key, ctx) => ctx.windowState.value<number>('firings').clear() } : {},
      )
      .sink('out');
  });
}

describe('window and global state in a process window function', () => {
  it('keeps window state per key and window, and global state per key across windows', () => {
    // [0,1000): early panes after 100 and 200, then the on-time pane; [1000,2000): early after 1100, on time.
    expect(run(true).records.map((r) => r.value)).toEqual([
      'a [0,1000) firing 1 of this window, pane 1 of the key, 1 elements',
      'a [0,1000) firing 2 of this window, pane 2 of the key, 2 elements',
      'a [1000,2000) firing 1 of this window, pane 3 of the key, 1 elements',
      'a [0,1000) firing 3 of this window, pane 4 of the key, 2 elements',
      'a [1000,2000) firing 2 of this window, pane 5 of the key, 1 elements',
    ]);
  });

  it('clears window state only in the clear hook, as Flink does; without it the state stays', () => {
    const state = (withClear: boolean) => run(withClear).metrics.find((m) => m.operator.startsWith('process'))!.stateEntries;
    // With clear: only the key's global state is left (1 entry). Without: the two windows' counters too.
    expect(state(true)).toBe(1);
    expect(state(false)).toBe(3);
  });
});
