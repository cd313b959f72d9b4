// CrashPlan: the planned crashes of a run, the next one, where a play stops for it, and a crash
// from the "Crash now" button joining them where it strikes.

import { describe, expect, it } from 'vitest';
import { CrashPlan } from '../../src/worker/crash-plan.ts';

describe('CrashPlan', () => {
  it('strikes planned crashes in time order and stops a play at the nearer of its stop and the next crash', () => {
    const plan = new CrashPlan([90_000, 30_000]);
    expect(plan.all).toEqual([30_000, 90_000]);
    expect(plan.next).toBe(30_000);
    expect(plan.stopFor(undefined)).toBe(30_000);
    expect(plan.stopFor(10_000)).toBe(10_000);
    plan.struck();
    expect(plan.stopFor(120_000)).toBe(90_000);
    plan.struck();
    expect(plan.next).toBeUndefined();
    expect(plan.stopFor(undefined)).toBeUndefined();
    expect(plan.stopFor(5)).toBe(5);
  });

  it('adds a crash after the job\'s clock: earlier ones count as struck, a later planned one stays next after it', () => {
    const plan = new CrashPlan([30_000, 90_000]);
    plan.struck();
    plan.add(45_001, 45_000.5);
    expect(plan.all).toEqual([30_000, 45_001, 90_000]);
    expect(plan.next).toBe(45_001);
    plan.struck();
    expect(plan.next).toBe(90_000);
    // A time already planned is not planned twice.
    plan.add(90_000, 80_000);
    expect(plan.all).toEqual([30_000, 45_001, 90_000]);
    expect(plan.next).toBe(90_000);
  });
});
