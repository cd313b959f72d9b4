import { afterEach, describe, expect, it, vi } from 'vitest';
import { whenIdle } from '../../src/viz/idle-task.ts';

describe('whenIdle', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('runs the work in an idle callback with the given timeout where the browser has them', () => {
    const calls: { timeout: number | undefined }[] = [];
    let idle: (() => void) | undefined;
    vi.stubGlobal('requestIdleCallback', (cb: () => void, o?: { timeout: number }) => {
      calls.push({ timeout: o?.timeout });
      idle = cb;
      return 1;
    });
    let ran = 0;
    whenIdle(() => ran++, 2000);
    expect(calls).toEqual([{ timeout: 2000 }]);
    expect(ran).toBe(0);
    idle!();
    expect(ran).toBe(1);
  });

  it('runs the work in a task of its own where there are no idle callbacks', () => {
    vi.useFakeTimers();
    let ran = 0;
    whenIdle(() => ran++, 50);
    expect(ran).toBe(0);
    vi.runAllTimers();
    expect(ran).toBe(1);
  });
});
