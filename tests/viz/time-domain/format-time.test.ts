import { describe, expect, it } from 'vitest';
import { formatDuration, formatSpan, formatTime, timeTicks } from '../../../src/viz/time-domain/format-time.ts';

describe('time formatting', () => {
  it('writes instants as clock readings from 0, with milliseconds only when needed', () => {
    expect([0, 5_000, 120_000, 60_001, 1_200_000, 3_723_000, -101, 50].map(formatTime)).toEqual(['0:00', '0:05', '2:00', '1:00.001', '20:00', '1:02:03', '-0:00.101', '0:00.050']);
  });

  it('writes epoch timestamps as UTC times of day, and infinities as symbols', () => {
    expect(formatTime(Date.UTC(2026, 0, 5, 12, 7, 30))).toBe('12:07:30');
    expect(formatTime(Date.UTC(2026, 0, 5, 12, 7, 30, 250))).toBe('12:07:30.250');
    expect([Infinity, -Infinity].map(formatTime)).toEqual(['+∞', '−∞']);
  });

  it('writes spans as durations', () => {
    expect([250, 30_000, 1_500, 600_000, 90_000, 7_200_000, 0].map(formatDuration)).toEqual(['250 ms', '30 s', '1.5 s', '10 min', '1 min 30 s', '2 h', '0 ms']);
    expect(formatSpan(0, 60_000)).toBe('0:00–1:00');
    expect(formatSpan(-Infinity, Infinity)).toBe('global');
  });

  it('puts ticks on round time steps', () => {
    expect(timeTicks(0, 600_000, 5)).toEqual([0, 120_000, 240_000, 360_000, 480_000, 600_000]);
    expect(timeTicks(24_000, 498_000, 8)).toEqual([60_000, 120_000, 180_000, 240_000, 300_000, 360_000, 420_000, 480_000]);
    expect(timeTicks(0, 1_000, 4)).toEqual([0, 500, 1_000]);
  });
});
