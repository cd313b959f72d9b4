// DeltaArrivals: the host waits for the deltas a worker said it sent before it kills the worker
// at a planned crash; the wait ends when they arrived, when the sandbox is gone, or at its limit.

import { describe, expect, it } from 'vitest';
import { DeltaArrivals } from '../../src/worker/delta-arrivals.ts';

const later = (ms: number, f: () => void) => setTimeout(f, ms);

describe('DeltaArrivals', () => {
  it('waits until the named count arrived, however late', async () => {
    const a = new DeltaArrivals();
    a.arrived();
    later(20, () => a.arrived());
    later(40, () => a.arrived());
    const start = performance.now();
    await a.upTo(3, 5000, () => true);
    expect(performance.now() - start).toBeGreaterThanOrEqual(35);
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it('returns at once when the count arrived already, or none was named', async () => {
    const a = new DeltaArrivals();
    a.arrived();
    a.arrived();
    const start = performance.now();
    await a.upTo(2, 5000, () => true);
    await a.upTo(undefined, 5000, () => true);
    await a.upTo(Number.NaN, 5000, () => true);
    expect(performance.now() - start).toBeLessThan(50);
  });

  it('gives up at its limit when the worker named more than it sent', async () => {
    const a = new DeltaArrivals();
    const start = performance.now();
    await a.upTo(1_000_000, 60, () => true);
    expect(performance.now() - start).toBeGreaterThanOrEqual(55);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('stops waiting once the sandbox is gone, and counts a new sandbox from zero', async () => {
    const a = new DeltaArrivals();
    let live = true;
    later(20, () => {
      live = false;
      a.reset();
    });
    const start = performance.now();
    await a.upTo(5, 5000, () => live);
    expect(performance.now() - start).toBeLessThan(1000);
    a.arrived();
    const again = performance.now();
    await a.upTo(2, 50, () => true);
    expect(performance.now() - again).toBeGreaterThanOrEqual(45);
  });
});
