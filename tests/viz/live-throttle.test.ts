import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveThrottle } from '../../src/viz/live-throttle.ts';

describe('LiveThrottle', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('draws at once when not live, however often asked', () => {
    let clock = 0;
    const draws: number[] = [];
    const live = new LiveThrottle(250, () => draws.push(clock), () => clock);
    for (clock = 0; clock < 50; clock += 10) live.request(false);
    expect(draws).toEqual([0, 10, 20, 30, 40]);
  });

  it('while live draws once per interval, and the requests within it make one trailing draw at its end', () => {
    vi.useFakeTimers();
    let clock = 0;
    const draws: number[] = [];
    const live = new LiveThrottle(250, () => draws.push(clock), () => clock);
    live.request(true);
    for (clock = 16; clock < 240; clock += 16) live.request(true);
    expect(draws).toEqual([0]);
    clock = 250;
    vi.advanceTimersByTime(250);
    expect(draws).toEqual([0, 250]);
    vi.advanceTimersByTime(1000);
    expect(draws).toEqual([0, 250]);
  });

  it('a request that is not live draws at once and drops the trailing draw', () => {
    vi.useFakeTimers();
    let clock = 0;
    const draws: number[] = [];
    const live = new LiveThrottle(250, () => draws.push(clock), () => clock);
    live.request(true);
    clock = 100;
    live.request(true);
    clock = 120;
    live.request(false);
    vi.advanceTimersByTime(1000);
    expect(draws).toEqual([0, 120]);
  });

  it('draws nothing more after cancel', () => {
    vi.useFakeTimers();
    let clock = 0;
    const draws: number[] = [];
    const live = new LiveThrottle(250, () => draws.push(clock), () => clock);
    live.request(true);
    clock = 10;
    live.request(true);
    live.cancel();
    vi.advanceTimersByTime(1000);
    expect(draws).toEqual([0]);
  });
});
