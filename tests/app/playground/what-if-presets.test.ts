import { describe, expect, test } from 'vitest';
import { describeVariant } from '../../../src/app/playground/variant-label.ts';
import { applyPreset } from '../../../src/app/playground/what-if-presets.ts';
import { DEFAULT_SETTINGS } from '../../../src/worker/protocol.ts';

const variant = (code: string) => ({ code, settings: DEFAULT_SETTINGS });

describe('applyPreset', () => {
  test('watermark: every boundedOutOfOrderness bound becomes 30 s, and it says where', () => {
    const code = 'const w = boundedOutOfOrderness(seconds(5));\nconst v = boundedOutOfOrderness(5_000);';
    const r = applyPreset('watermark', variant(code));
    expect(r).toEqual({
      ok: true,
      b: { code: 'const w = boundedOutOfOrderness(30_000);\nconst v = boundedOutOfOrderness(30_000);', settings: DEFAULT_SETTINGS },
      did: "B's boundedOutOfOrderness bound is 30 s (line 1: seconds(5) → 30_000; line 2: 5_000 → 30_000).",
    });
  });

  test('watermark: code without the strategy is left alone with a reason', () => {
    expect(applyPreset('watermark', variant('p.input()'))).toEqual({ ok: false, why: 'The code has no boundedOutOfOrderness(...) watermark strategy to change.' });
  });

  test('accumulation: accumulating and discarding swap', () => {
    const r = applyPreset('accumulation', variant('x.window(w).accumulatingFiredPanes().sum()'));
    expect(r.ok && r.b.code).toBe('x.window(w).discardingFiredPanes().sum()');
    const back = applyPreset('accumulation', variant('x.window(w).discardingFiredPanes()'));
    expect(back.ok && back.b.code).toBe('x.window(w).accumulatingFiredPanes()');
  });

  test('accumulation: a window on the default (accumulating) gets discarding after it', () => {
    const r = applyPreset('accumulation', variant('x\n  .window(tumblingWindows(minutes(1)))\n  .count()'));
    expect(r).toMatchObject({ ok: true, b: { code: 'x\n  .window(tumblingWindows(minutes(1))).discardingFiredPanes()\n  .count()' } });
  });

  test('guarantee: exactly-once and at-least-once swap in the settings, the code stays', () => {
    const r = applyPreset('guarantee', { code: 'c', settings: { ...DEFAULT_SETTINGS, crashAt: [500] } });
    expect(r).toMatchObject({ ok: true, b: { code: 'c', settings: { guarantee: 'atLeastOnce', crashAt: [500] } } });
    const back = applyPreset('guarantee', { code: 'c', settings: { ...DEFAULT_SETTINGS, guarantee: 'atLeastOnce' } });
    expect(back.ok && back.b.settings.guarantee).toBe('exactlyOnce');
  });
});

describe('describeVariant', () => {
  test('names the guarantee each run has', () => {
    const a = variant('c');
    expect(describeVariant(a, { code: 'c', settings: { ...DEFAULT_SETTINGS, guarantee: 'atLeastOnce' } })).toEqual({ a: 'exactly-once', b: 'at-least-once' });
  });

  test('names the watermark bound and the accumulation a preset changed', () => {
    const a = variant('s.window(w).accumulatingFiredPanes(); boundedOutOfOrderness(seconds(5))');
    const b = applyPreset('watermark', a);
    expect(b.ok && describeVariant(a, b.b)).toEqual({ a: 'watermark delay seconds(5)', b: 'watermark delay 30_000' });
    const c = applyPreset('accumulation', a);
    expect(c.ok && describeVariant(a, c.b)).toEqual({ a: 'accumulating', b: 'discarding' });
  });

  test('equal runs are called the same', () => {
    expect(describeVariant(variant('c'), variant('c'))).toEqual({ a: 'same code and settings', b: 'same code and settings' });
  });
});
