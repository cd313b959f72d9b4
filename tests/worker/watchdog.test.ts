// The watchdog's verdicts, on fake timers: a worker that answers nothing while a call is watched
// is stuck after the limit; a call watched leniently (start-up and compiling, which run no user
// code) gets its longer limit; an idle worker is never pinged.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PREPARE_LIMIT, Watchdog } from '../../src/worker/watchdog.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** A watchdog on a worker that never answers; `stuckAt` is when (fake ms) it was declared stuck. */
function silentWorker() {
  const state = { pings: 0, stuckAt: undefined as number | undefined };
  const start = Date.now();
  const dog = new Watchdog(
    () => {
      state.pings++;
      return new Promise(() => {});
    },
    () => (state.stuckAt = Date.now() - start),
    { now: () => Date.now() },
  );
  return { dog, state };
}

describe('watchdog', () => {
  it('declares a silent worker stuck within two seconds of a watched call', async () => {
    const { dog, state } = silentWorker();
    void dog.watch(() => new Promise(() => {}));
    await vi.advanceTimersByTimeAsync(1200);
    expect(state.stuckAt).toBeUndefined();
    await vi.advanceTimersByTimeAsync(400);
    expect(state.stuckAt).toBe(1400);
  });

  it('gives a leniently watched call (prepare) its longer limit, and the usual one after it', async () => {
    const { dog, state } = silentWorker();
    let finishPrepare = () => {};
    void dog.watch(() => new Promise<void>((resolve) => (finishPrepare = resolve)), PREPARE_LIMIT);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(state.stuckAt).toBeUndefined();
    finishPrepare();
    // The next call runs user code: the usual limit, counted from the reply to prepare.
    void dog.watch(() => new Promise(() => {}));
    await vi.advanceTimersByTimeAsync(400);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(state.stuckAt).toBe(11_400);
  });

  it('never pings a worker while no call is watched', async () => {
    const { state } = silentWorker();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(state).toEqual({ pings: 0, stuckAt: undefined });
  });
});
