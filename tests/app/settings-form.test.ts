import { describe, expect, it } from 'vitest';
import { formatCrashTimes, formatInput, parseCrashTimes, parseInput } from '../../src/app/controls/settings-form.ts';

describe('the settings form', () => {
  it('reads crash times separated by commas or spaces, sorted', () => {
    expect(parseCrashTimes('2500, 1000 3000')).toEqual({ ok: true, value: [1000, 2500, 3000] });
    expect(parseCrashTimes('  ')).toEqual({ ok: true, value: [] });
    expect(parseCrashTimes('10, soon')).toEqual({ ok: false, error: '“soon” is not a processing time in milliseconds' });
    expect(parseCrashTimes('-5')).toEqual({ ok: false, error: '“-5” is not a processing time in milliseconds' });
    expect(formatCrashTimes([1000, 2500])).toBe('1000, 2500');
  });

  it('reads the input as TestStream JSON, empty meaning none', () => {
    expect(parseInput('')).toEqual({ ok: true, value: undefined });
    expect(parseInput('{"steps": []}')).toEqual({ ok: true, value: { steps: [] } });
    expect(parseInput('[1]')).toEqual({ ok: false, error: 'The input must be a TestStream: an object with a "steps" list' });
    const bad = parseInput('{steps');
    expect(bad.ok).toBe(false);
    expect(formatInput(undefined)).toBe('');
    expect(formatInput({ steps: [] })).toBe('{\n  "steps": []\n}');
  });
});
