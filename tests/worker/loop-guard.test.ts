import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as brook from '../../src/engine/api/index.ts';
import { runPipeline } from '../../src/engine/api/run-pipeline.ts';
import { UserCodeError } from '../../src/engine/errors.ts';
import { EndlessLoopError, guardLoops, LoopGuard } from '../../src/worker/loop-guard.ts';
import { DEFAULT_SETTINGS } from '../../src/worker/protocol.ts';
import { loadUserModule } from '../../src/worker/user-code.ts';
import { freshStore, startWorker } from './worker-harness.ts';

const G = '__brookLoop';

describe('guardLoops', () => {
  it('puts the guard, with the loop line, in front of the test of while, do-while and for loops', () => {
    expect(guardLoops('while (x) y();')).toBe(`while (${G}(1) && (x)) y();`);
    expect(guardLoops('do { y(); } while (x > 1);')).toBe(`do { y(); } while (${G}(1) && (x > 1));`);
    expect(guardLoops('for (let i = 0; i < n; i++) {}')).toBe(`for (let i = 0; ${G}(1) && ( i < n); i++) {}`);
    expect(guardLoops('for (;;) {}')).toBe(`for (; ${G}(1);) {}`);
    expect(guardLoops('let a = 1;\n\nlabel: while (a, true) { continue label; }')).toBe(`let a = 1;\n\nlabel: while (${G}(3) && (a, true)) { continue label; }`);
  });

  it('guards nested loops each with its own line, and keeps every line where it was', () => {
    const js = 'for (const a of as) {\n  while (more(a)) {\n    for (let i = 0, f = () => { g(); h(); }; i < 3; i++) f();\n  }\n}\n';
    const out = guardLoops(js);
    expect(out).toBe(`for (const a of as) {\n  while (${G}(2) && (more(a))) {\n    for (let i = 0, f = () => { g(); h(); }; ${G}(3) && ( i < 3); i++) f();\n  }\n}\n`);
    expect(out.split('\n').length).toBe(js.split('\n').length);
  });

  it('leaves for-of, for-in, for await and loop words in strings, comments, templates and regexes alone', () => {
    const js = "for (const k in o) {}\nfor (const v of [1, 2]) {}\nasync function f() { for await (const x of xs) {} }\nconst s = 'while (true) {}'; // for (;;)\nconst t = `for (;;) ${'while (x)'}`;\nconst r = /while \\(x\\)/;\n";
    expect(guardLoops(js)).toBe(js);
  });

  it('returns code that does not tokenize unchanged', () => {
    expect(guardLoops('while (')).toBe('while (');
  });

  it('changes no loop’s result while the guard lets it run', () => {
    const programs = [
      'let s = 0; for (let i = 0; i < n; i++) s += i; return s;',
      'let s = 0, i = 0; while (i < n) { s += i * 2; i++; } return s;',
      'let s = 0, i = 0; do { s += i; i += 3; } while (i < n); return s;',
      'let s = 0; outer: for (let i = 0; ; i++) { for (let j = 0; j < i; j++) { if (i * j > n) break outer; s++; } } return s;',
      'let s = 0; for (const k of Array.from({ length: n }, (_, i) => i)) { let j = k; while (j > 0) j = j >> 1, s++; } return s;',
    ];
    fc.assert(
      fc.property(fc.nat(300), fc.constantFrom(...programs), (n, body) => {
        let calls = 0;
        const plain = new Function('n', body) as (n: number) => number;
        const guarded = new Function(G, 'n', guardLoops(body)) as (g: (line: number) => true, n: number) => number;
        expect(guarded(() => (calls++, true), n)).toBe(plain(n));
      }),
      { numRuns: 200 },
    );
  });
});

describe('LoopGuard', () => {
  const guards: LoopGuard[] = [];
  afterEach(() => guards.splice(0).forEach((g) => g.dispose()));

  it('throws, naming the line, once a loop has kept the worker from a turn for longer than the limit', () => {
    let now = 0;
    const guard = new LoopGuard(() => now, 800);
    guards.push(guard);
    now = 700;
    for (let i = 0; i < 1 << 15; i++) guard.check(4);
    now = 801;
    let thrown: unknown;
    try {
      for (let i = 0; i < 1 << 15; i++) guard.check(4);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EndlessLoopError);
    expect((thrown as EndlessLoopError).line).toBe(4);
    expect((thrown as Error).message).toBe('the loop on line 4 ran for 0.8 s without finishing and was stopped (an endless loop? check its condition)');
  });

  it('times loops from the worker’s last turn', () => {
    let now = 0;
    const guard = new LoopGuard(() => now, 800);
    guards.push(guard);
    now = 5_000;
    guard.markTurn();
    now = 5_700;
    expect(() => {
      for (let i = 0; i < 1 << 16; i++) guard.check(1);
    }).not.toThrow();
  });
});

const ENDLESS = `import { testStream, type Pipeline } from 'brook';

export default (p: Pipeline) => {
  p.input<number>({ default: testStream<number>().addElements({ value: 1, timestamp: 0 }, { value: 2, timestamp: 1 }).advanceWatermarkToInfinity() })
    .map((v) => {
      let n = v;
      while (n > 0) n = n + 1;
      return n;
    })
    .sink('out');
};
`;

describe('an endless loop in a pipeline', () => {
  it('fails the job with the operator, the loop line and the error located on that line', () => {
    const guard = new LoopGuard(performance.now.bind(performance), 50);
    try {
      const { build, locate } = loadUserModule(ENDLESS, brook, guard.check);
      let thrown: unknown;
      try {
        runPipeline(build);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(UserCodeError);
      expect((thrown as Error).message).toMatch(/^the map function in operator "map" threw EndlessLoop: the loop on line 7 ran for \d\.\d s without finishing and was stopped \(an endless loop\? check its condition\)$/);
      expect(locate(thrown)?.line).toBe(7);
    } finally {
      guard.dispose();
    }
  });

  it('is stopped by the worker and reported as a runtime error on its line, the worker answering again', async () => {
    const worker = startWorker(await freshStore());
    try {
      await worker.api.load(ENDLESS, { ...DEFAULT_SETTINGS, restart: { kind: 'none' } }, { jobId: 'job', resume: false, attempt: 1 });
      const started = performance.now();
      const result = await worker.api.play(Number.POSITIVE_INFINITY);
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(result.error).toMatchObject({ kind: 'runtime', line: 7 });
      expect(result.error!.message).toContain('threw EndlessLoop: the loop on line 7 ran for');
      expect(await worker.api.ping()).toEqual(expect.any(Number));
    } finally {
      worker.kill();
    }
  });
});
