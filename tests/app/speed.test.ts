import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEED, REAL_TIME, SPEEDS, describeSpeed, formatSpeed, speedIndex } from '../../src/app/controls/speed.ts';
import { formatClock, formatDuration } from '../../src/app/controls/time-format.ts';

describe('speeds', () => {
  it('read as processing time per wall second', () => {
    expect(SPEEDS.map(formatSpeed)).toEqual(['0.1 s/s', '0.25 s/s', '0.5 s/s', '1 s/s', '2 s/s', '5 s/s', '10 s/s', '30 s/s', '1 min/s', '5 min/s', '10 min/s', '1 h/s', 'max']);
    expect(formatSpeed(90_000)).toBe('1.5 min/s');
  });

  it('are sorted from slow motion to flat out and contain real time and the default', () => {
    expect([...SPEEDS].sort((a, b) => a - b)).toEqual(SPEEDS);
    expect(SPEEDS[0]).toBe(REAL_TIME / 10);
    expect(SPEEDS.at(-1)).toBe(Number.POSITIVE_INFINITY);
    expect(SPEEDS).toContain(REAL_TIME);
    expect(SPEEDS).toContain(DEFAULT_SPEED);
  });

  it('are described for screen readers', () => {
    expect(describeSpeed(1000)).toBe('real time');
    expect(describeSpeed(100)).toBe('slow motion, 0.1 times real time');
    expect(describeSpeed(60_000)).toBe('60 times real time');
    expect(describeSpeed(Number.POSITIVE_INFINITY)).toBe('as fast as possible');
  });

  it('snap to the nearest step', () => {
    expect(speedIndex(1000)).toBe(3);
    expect(speedIndex(1100)).toBe(3);
    expect(speedIndex(Number.POSITIVE_INFINITY)).toBe(SPEEDS.length - 1);
  });
});

describe('clock readings', () => {
  it('print minutes, seconds and milliseconds, hours from an hour on', () => {
    expect(formatClock(0)).toBe('0:00.000');
    expect(formatClock(90_250)).toBe('1:30.250');
    expect(formatClock(3_723_004)).toBe('1:02:03.004');
    expect(formatClock(-1500)).toBe('−0:01.500');
    expect(formatClock(Number.POSITIVE_INFINITY)).toBe('∞');
  });

  it('print durations in words', () => {
    expect(formatDuration(250)).toBe('250 ms');
    expect(formatDuration(1500)).toBe('1.5 s');
    expect(formatDuration(120_000)).toBe('2 min');
    expect(formatDuration(5_400_000)).toBe('1.5 h');
  });
});
