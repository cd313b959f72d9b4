import LZString from 'lz-string';
import { describe, expect, it } from 'vitest';
import { decodeShare, encodeShare, jobHash, type SharedRun } from '../../src/app/share/share-codec.ts';
import { DEFAULT_SETTINGS } from '../../src/worker/protocol.ts';

const run: SharedRun = {
  code: "import { type Pipeline } from 'brook';\n// ünïcödé and emoji 🚀\nexport default (p: Pipeline) => p.input({ name: 'x' }).print();\n",
  settings: {
    seed: 42,
    checkpointInterval: 500,
    checkpointMode: 'unaligned',
    guarantee: 'atLeastOnce',
    restart: { kind: 'exponentialBackoff', initial: 100, max: 5000, multiplier: 3 },
    input: { steps: [{ addElements: [{ value: { user: 'a' }, timestamp: 1 }] }, { advanceWatermarkToInfinity: true }] },
    crashAt: [1200, 3400],
  },
  panels: ['time', 'checkpoints', 'output'],
};

const encode = (data: unknown) => LZString.compressToEncodedURIComponent(JSON.stringify(data));

describe('share links', () => {
  it('round-trip code, settings (seed, input, crash times) and panels exactly', () => {
    const s = encodeShare(run);
    expect(s).toMatch(/^[A-Za-z0-9+\-$_]+$/);
    expect(decodeShare(s)).toEqual({ ok: true, run });
  });

  it('round-trip incremental checkpoints, and refuse a non-boolean', () => {
    const incremental: SharedRun = { ...run, settings: { ...run.settings, incremental: true } };
    expect(decodeShare(encodeShare(incremental))).toEqual({ ok: true, run: incremental });
    const bad = encode({ v: 1, code: run.code, settings: { ...run.settings, incremental: 'yes' }, panels: run.panels });
    expect(decodeShare(bad)).toMatchObject({ ok: false, error: expect.stringContaining('incremental must be true or false') });
  });

  it("round-trip a what-if comparison: run B's code and settings beside run A", () => {
    const compared: SharedRun = { ...run, compare: { code: 'B code', settings: { ...run.settings, guarantee: 'exactlyOnce' } } };
    expect(decodeShare(encodeShare(compared))).toEqual({ ok: true, run: compared });
  });

  it("round-trip a lesson's pre-loaded topics, so the link reproduces a run that reads them", () => {
    const topics = [
      {
        name: 'customer-tiers',
        config: { partitions: 2, compacted: true },
        records: [{ key: 'c1', value: { customer: 'c1', tier: null }, timestamp: 0 }],
        compactBeforeStart: true,
        liveRecords: [{ key: 'c1', value: { customer: 'c1', tier: 'gold' }, timestamp: 190_000 }],
      },
    ];
    const withTopics: SharedRun = { ...run, settings: { ...run.settings, topics } };
    expect(decodeShare(encodeShare(withTopics))).toEqual({ ok: true, run: withTopics });
  });

  it('refuse a run B without code, with a clear message', () => {
    const s = encode({ v: 1, code: 'a', settings: DEFAULT_SETTINGS, panels: [], b: { settings: DEFAULT_SETTINGS } });
    expect(decodeShare(s)).toEqual({ ok: false, error: 'This link cannot be opened: its run B holds no code.' });
  });

  it('round-trip every restart strategy and no checkpoints', () => {
    for (const restart of [
      { kind: 'none' },
      { kind: 'fixedDelay', attempts: 2, delay: 10 },
      { kind: 'failureRate', maxFailures: 3, interval: 60_000, delay: 5 },
      { kind: 'exponentialBackoff', initial: 1, max: 2 },
    ] as const) {
      const r = { ...run, settings: { ...DEFAULT_SETTINGS, checkpointInterval: null, restart } };
      expect(decodeShare(encodeShare(r))).toEqual({ ok: true, run: r });
    }
  });

  it('explain a cut-off or garbage link instead of throwing', () => {
    const s = encodeShare(run);
    for (const bad of ['', 'garbage!!', s.slice(0, s.length / 2), '%%%']) {
      const result = decodeShare(bad);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toMatch(/^This link (is damaged|cannot be opened)/);
    }
  });

  it('name what is wrong in a well-formed link with bad contents', () => {
    expect(decodeShare(encode({ v: 1, settings: DEFAULT_SETTINGS, panels: [] }))).toEqual({ ok: false, error: 'This link cannot be opened: it holds no code.' });
    expect(decodeShare(encode({ v: 2, code: '' }))).toEqual({ ok: false, error: 'This link cannot be opened: it was made by a newer version of Brook (format 2).' });
    expect(decodeShare(encode({ v: 1, code: '', settings: { ...DEFAULT_SETTINGS, seed: 1.5 }, panels: [] }))).toEqual({
      ok: false,
      error: 'This link cannot be opened: the seed must be an integer.',
    });
    expect(decodeShare(encode({ v: 1, code: '', settings: { ...DEFAULT_SETTINGS, guarantee: 'twice' }, panels: [] }))).toEqual({
      ok: false,
      error: 'This link cannot be opened: unknown delivery guarantee "twice".',
    });
    expect(decodeShare(encode({ v: 1, code: '', settings: { ...DEFAULT_SETTINGS, restart: { kind: 'sometimes' } }, panels: [] }))).toEqual({
      ok: false,
      error: 'This link cannot be opened: unknown restart strategy "sometimes".',
    });
    expect(decodeShare(encode([1, 2, 3]))).toEqual({ ok: false, error: 'This link cannot be opened: it holds no run.' });
  });

  it('sort crash times and leave out panels this version does not know', () => {
    const result = decodeShare(encode({ v: 1, code: 'x', settings: { ...DEFAULT_SETTINGS, crashAt: [30, 10, 20] }, panels: ['time', 'hologram', 'output'] }));
    expect(result).toEqual({ ok: true, run: { code: 'x', settings: { ...DEFAULT_SETTINGS, crashAt: [10, 20, 30] }, panels: ['time', 'output'] } });
  });

  it('name a shared run with a short stable hash', () => {
    expect(jobHash('abc')).toBe(jobHash('abc'));
    expect(jobHash('abc')).not.toBe(jobHash('abd'));
    expect(jobHash('abc')).toMatch(/^[0-9a-z]{1,7}$/);
  });
});
