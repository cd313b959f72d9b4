// `brook run --checkpoint-interval`: the durable driver from the command line, run as a user
// would (a child process). Runs are deterministic, so summaries are checked line for line.

import { readFileSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { randomCrashTimes } from '../../src/cli/durable-run.ts';
import { buildPipeline, runPipeline, withDefaultGuarantee, type PipelineBuilder } from '../../src/engine/api/index.ts';
import { CollectingSink } from '../../src/engine/connectors/collecting-sink.ts';
import { DeliverySink } from '../../src/engine/connectors/delivery-sink.ts';
import { brook, scratchFolder } from './brook-cli.ts';

const { dir, write } = scratchFolder('brook-durable-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 40 numbers, one every 100 ms of event (and processing) time, doubled: a stateless job. */
write('echo.ts', [
  "import { type Pipeline } from 'brook';",
  'const values = Array.from({ length: 40 }, (_, i) => i);',
  'export default (p: Pipeline) => {',
  "  p.fromArray(values, { timestampOf: (i) => i * 100, uid: 'numbers' }).map((i) => i * 2).sink('doubled');",
  '};',
]);

/** The same numbers summed per parity in 1-second windows: a job with state. */
write('windows.ts', [
  "import { type Pipeline, tumblingWindows } from 'brook';",
  'const values = Array.from({ length: 40 }, (_, i) => i);',
  'export default (p: Pipeline) => {',
  "  p.fromArray(values, { timestampOf: (i) => i * 100, uid: 'numbers' })",
  "    .keyBy((i) => (i % 2 === 0 ? 'even' : 'odd'))",
  '    .window(tumblingWindows(1000))',
  '    .sum((i) => i)',
  "    .uid('sums')",
  "    .sink('sums');",
  '};',
]);

/** Record 25 cannot be parsed: the job fails at the same place after every restart. */
write('poison.ts', [
  "import { type Pipeline } from 'brook';",
  'const values = Array.from({ length: 40 }, (_, i) => i);',
  'export default (p: Pipeline) => {',
  '  p.fromArray(values, { timestampOf: (i) => i * 100 })',
  '    .map((i) => {',
  '      if (i === 25) throw new Error(`cannot parse record ${i}`);',
  '      return i * 2;',
  '    })',
  "    .sink('doubled');",
  '};',
]);

const stderrLines = (stderr: string) => stderr.trimEnd().split('\n');
const outLines = (stdout: string) => stdout.trimEnd().split('\n');

describe('brook run --checkpoint-interval', () => {
  it('prints what each sink holds, and a summary; without failures it equals the plain run minus processingTime', () => {
    const plain = brook(['run', 'echo.ts'], { cwd: dir });
    const run = brook(['run', 'echo.ts', '--checkpoint-interval', '1000'], { cwd: dir });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(plain.stdout.replace(/,"processingTime":\d+/g, ''));
    expect(run.stderr).toBe(
      [
        'checkpointed run: every 1000 ms (aligned), sinks without their own guarantee: exactly-once, restart: fixed:3:1000',
        'checkpoints: 4 completed, 0 failed',
        'failures: 0, restarts: 0, downtime: 0 ms',
        'delivery, against the same run without failures:',
        '  sink "doubled" (exactly-once): 40 expected, 40 written, 0 duplicated, 0 lost',
        'job finished',
        '',
      ].join('\n'),
    );
  });

  it('--crash-at with --guarantee at-least-once: the exact summary, the duplicates in the output, and the trace', () => {
    const run = brook(['run', 'echo.ts', '--checkpoint-interval', '1000', '--crash-at', '2500,3350', '--guarantee', 'at-least-once', '--trace', 'crash.jsonl'], {
      cwd: dir,
    });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe(
      [
        'checkpointed run: every 1000 ms (aligned), sinks without their own guarantee: at-least-once, restart: fixed:3:1000',
        'crashes planned (--crash-at): pt 2500, 3350',
        'checkpoints: 4 completed, 0 failed',
        'failures: 2, restarts: 2, downtime: 0 ms',
        '  attempt 1 failed at pt 2400: Crash: crash injected at processing time 2500 → restarted from checkpoint 2',
        '  attempt 2 failed at pt 3300: Crash: crash injected at processing time 3350 → restarted from checkpoint 3',
        'delivery, against the same run without failures:',
        '  sink "doubled" (at-least-once): 40 expected, 47 written, 7 duplicated, 0 lost',
        '    duplicated (×2 instead of ×1): {"key":null,"timestamp":2100,"value":42}',
        '    duplicated (×2 instead of ×1): {"key":null,"timestamp":2200,"value":44}',
        '    duplicated (×2 instead of ×1): {"key":null,"timestamp":2300,"value":46}',
        '    … and 4 more duplicated records',
        'job finished',
        '',
      ].join('\n'),
    );
    // The replays wrote 21..24 (after checkpoint 2 at pt 2000) and 31..33 (after checkpoint 3) again.
    const values = outLines(run.stdout).map((l) => (JSON.parse(l) as { value: number }).value / 2);
    expect(values).toHaveLength(47);
    const twice = [...new Set(values)].filter((v) => values.filter((x) => x === v).length === 2);
    expect(twice).toEqual([21, 22, 23, 24, 31, 32, 33]);
    // --trace records the run with the crashes.
    const types = readFileSync(`${dir}/crash.jsonl`, 'utf8').trimEnd().split('\n').map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types.filter((t) => t === 'jobCrashed')).toHaveLength(2);
    expect(types.filter((t) => t === 'jobRestored')).toHaveLength(2);
  });

  it('--crash-phase (repeated, with an occurrence) and --crash-every-records', () => {
    const run = brook(
      ['run', 'echo.ts', '--checkpoint-interval', '1000', '--crash-phase', 'afterPreCommit:2', '--crash-phase', 'midSnapshotWrite', '--crash-every-records', '15'],
      { cwd: dir },
    );
    expect(run.status).toBe(0);
    expect(stderrLines(run.stderr)).toEqual([
      'checkpointed run: every 1000 ms (aligned), sinks without their own guarantee: exactly-once, restart: fixed:3:1000',
      // Records 15 and 30 arrive at pt 1400 and 2900: the crashes strike just after.
      'crashes planned (--crash-every-records 15, 40 records): pt 1401, 2901',
      'crashes planned (--crash-phase): afterPreCommit #2, midSnapshotWrite #1',
      'checkpoints: 4 completed, 0 failed',
      'failures: 4, restarts: 4, downtime: 0 ms',
      // The first checkpoint's write is cut short (nothing of it is stored): nothing to restore yet.
      '  attempt 1 failed at pt 1000: Crash: crash injected at phase midSnapshotWrite (#1) → restarted from the beginning (no checkpoint yet)',
      '  attempt 2 failed at pt 1000: Crash: crash injected at phase afterPreCommit (#2) → restarted from the beginning (no checkpoint yet)',
      '  attempt 3 failed at pt 1400: Crash: crash injected at processing time 1401 → restarted from checkpoint 1',
      '  attempt 4 failed at pt 2900: Crash: crash injected at processing time 2901 → restarted from checkpoint 2',
      'delivery, against the same run without failures:',
      '  sink "doubled" (exactly-once): 40 expected, 40 written, 0 duplicated, 0 lost',
      'job finished',
    ]);
    expect(outLines(run.stdout)).toHaveLength(40);
  });

  it('--checkpoint-mode unaligned: crashes still give exactly the failure-free output', () => {
    const clean = brook(['run', 'echo.ts', '--checkpoint-interval', '1000'], { cwd: dir });
    const run = brook(['run', 'echo.ts', '--checkpoint-interval', '1000', '--checkpoint-mode', 'unaligned', '--crash-at', '1401,2901'], { cwd: dir });
    expect(run.status).toBe(0);
    expect(stderrLines(run.stderr)[0]).toBe('checkpointed run: every 1000 ms (unaligned), sinks without their own guarantee: exactly-once, restart: fixed:3:1000');
    expect(stderrLines(run.stderr)).toContain('  sink "doubled" (exactly-once): 40 expected, 40 written, 0 duplicated, 0 lost');
    expect(run.stdout).toBe(clean.stdout);
  });

  it('--incremental: crashes still give exactly the failure-free output', () => {
    const clean = brook(['run', 'windows.ts', '--checkpoint-interval', '1000'], { cwd: dir });
    const run = brook(['run', 'windows.ts', '--checkpoint-interval', '1000', '--incremental', '--crash-at', '1401,2901'], { cwd: dir });
    expect(run.status).toBe(0);
    expect(stderrLines(run.stderr)[0]).toBe('checkpointed run: every 1000 ms (aligned, incremental), sinks without their own guarantee: exactly-once, restart: fixed:3:1000');
    expect(stderrLines(run.stderr).filter((l) => l.includes('0 duplicated, 0 lost'))).toHaveLength(1);
    expect(run.stdout).toBe(clean.stdout);
  });

  it('--guarantee at-most-once skips ahead: a window cut short is lost, nothing is repeated', () => {
    const run = brook(['run', 'windows.ts', '--checkpoint-interval', '1000', '--crash-at', '2500', '--guarantee', 'at-most-once'], { cwd: dir });
    expect(run.status).toBe(0);
    const err = stderrLines(run.stderr);
    expect(err[0]).toBe(
      'checkpointed run: every 1000 ms (aligned), sinks without their own guarantee: at-most-once, restart: fixed:3:1000, recovery: skip ahead (at-most-once)',
    );
    expect(err).toContain('  attempt 1 failed at pt 2400: Crash: crash injected at processing time 2500 → restarted with empty state, sources where they were');
    expect(err).toContain('  sink "sums" (at-most-once): 8 expected, 8 written, 2 duplicated, 2 lost');
    // The window [2000, 3000) lost its sums up to the crash: partial results replace the full ones.
    expect(err.filter((l) => l.startsWith('    lost (×0 instead of ×1)'))).toHaveLength(2);
    const sums = outLines(run.stdout).map((l) => JSON.parse(l) as { key: string; value: number; window: { start: number } });
    expect(sums.filter((s) => s.window.start === 2000).map((s) => [s.key, s.value])).toEqual([
      ['odd', 81],
      ['even', 54],
    ]);
  });

  it('--guarantee upsert writes by key and window: the final table is exact after a replay', () => {
    const run = brook(['run', 'windows.ts', '--checkpoint-interval', '1000', '--crash-at', '2500', '--guarantee', 'upsert'], { cwd: dir });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('  sink "sums" (upsert): 8 keys expected, 8 in the table, 0 missing, 0 unexpected, 0 different\n');
    expect(outLines(run.stdout).map((l) => (JSON.parse(l) as { key: string }).key)).toEqual([
      'even@[0,1000)',
      'odd@[0,1000)',
      'even@[1000,2000)',
      'odd@[1000,2000)',
      'even@[2000,3000)',
      'odd@[2000,3000)',
      'even@[3000,4000)',
      'odd@[3000,4000)',
    ]);
  });
});

describe('the exactly-once example under random crashes', () => {
  const clean = brook(['run', 'examples/exactly-once.ts', '--checkpoint-interval', '1000']);

  it('exactly-once: the output equals the failure-free output; 0 duplicated, 0 lost', () => {
    const run = brook(['run', 'examples/exactly-once.ts', '--checkpoint-interval', '1000', '--crash-random', '5']);
    expect(run.status).toBe(0);
    expect(clean.status).toBe(0);
    expect(outLines(clean.stdout)).toHaveLength(72);
    expect(run.stdout).toBe(clean.stdout);
    const err = stderrLines(run.stderr);
    // Five times drawn with seed 0 between the first and the last reading's arrival.
    expect(err[1]).toMatch(/^crashes planned \(--crash-random 5, seed 0, between pt 0 and pt 11950\): pt \d+, \d+, \d+, \d+, \d+$/);
    expect(err).toContain('failures: 5, restarts: 5, downtime: 0 ms');
    expect(err).toContain('  sink "billing" (exactly-once, its own): 36 expected, 36 written, 0 duplicated, 0 lost');
    expect(err).toContain('  sink "dashboard" (exactly-once): 36 expected, 36 written, 0 duplicated, 0 lost');
    expect(err.at(-1)).toBe('job finished');
    expect(err[1]).toBe(`crashes planned (--crash-random 5, seed 0, between pt 0 and pt 11950): pt ${randomCrashTimes(5, 0, 11950, 0).join(', ')}`);
  });

  it('--crash-random draws distinct times with the seeded random source: the same for a seed, others for another', () => {
    const drawn = randomCrashTimes(5, 0, 11950, 0);
    expect(drawn).toHaveLength(5);
    expect(new Set(drawn).size).toBe(5);
    expect(drawn).toEqual([...drawn].sort((a, b) => a - b));
    expect(drawn.every((t) => t >= 0 && t <= 11950)).toBe(true);
    expect(randomCrashTimes(5, 0, 11950, 0)).toEqual(drawn);
    expect(randomCrashTimes(5, 0, 11950, 7)).not.toEqual(drawn);
    // A range with fewer whole milliseconds than crashes gives each one once.
    expect(randomCrashTimes(5, 100, 102, 0)).toEqual([100, 101, 102]);
  });

  it('--guarantee at-least-once: the plain sink shows duplicates, the exactly-once sink keeps its own guarantee', () => {
    const run = brook(['run', 'examples/exactly-once.ts', '--checkpoint-interval', '1000', '--crash-random', '5', '--guarantee', 'at-least-once']);
    expect(run.status).toBe(0);
    const err = stderrLines(run.stderr);
    expect(err).toContain('  sink "billing" (exactly-once, its own): 36 expected, 36 written, 0 duplicated, 0 lost');
    // As examples/README.md says: the replays after the crashes at pt 1418, 5009, 7984 and 8381
    // wrote again the totals that came out between the restored checkpoint and the crash.
    expect(err).toContain('  sink "dashboard" (at-least-once): 36 expected, 45 written, 9 duplicated, 0 lost');
    const written = 45;
    expect(err.filter((l) => l.startsWith('    duplicated (×2 instead of ×1): '))).toHaveLength(3);
    const lines = outLines(run.stdout);
    expect(lines.filter((l) => l.startsWith('{"sink":"billing"'))).toEqual(outLines(clean.stdout).filter((l) => l.startsWith('{"sink":"billing"')));
    expect(lines.filter((l) => l.startsWith('{"sink":"dashboard"'))).toHaveLength(written);
  });
});

describe('failures of the job itself', () => {
  it('a poison record: restart loop, the strategy gives up, exit 1 with the line that threw', () => {
    const run = brook(['run', 'poison.ts', '--checkpoint-interval', '1000'], { cwd: dir });
    expect(run.status).toBe(1);
    // What the readers saw: the transactions of the two checkpoints before record 25.
    expect(outLines(run.stdout)).toHaveLength(21);
    const reason = 'UserCodeError: the map function in operator "map" threw Error: cannot parse record 25';
    expect(stderrLines(run.stderr)).toEqual([
      'checkpointed run: every 1000 ms (aligned), sinks without their own guarantee: exactly-once, restart: fixed:3:1000',
      'checkpoints: 2 completed, 0 failed',
      'failures: 4, restarts: 3, downtime: 3000 ms',
      `  attempts 1-4 failed at pt 2500: ${reason} → restarted from checkpoint 2 (3×), then not restarted: the restart strategy fixed:3:1000 gave up`,
      'restart loop: the same error 4 times — a poison record? route bad records to a side output',
      `delivery: no report, the job fails even without injected crashes (${reason})`,
      'job failed: the restart strategy fixed:3:1000 gave up',
      'poison.ts:6:27: error: the map function in operator "map" threw Error: cannot parse record 25',
      '  6 |       if (i === 25) throw new Error(`cannot parse record ${i}`);',
      '    |                           ^',
    ]);
  });

  it('--restart failure-rate gives up after too many failures in the interval; backoff is stopped by brook', () => {
    const rate = brook(['run', 'poison.ts', '--checkpoint-interval', '1000', '--restart', 'failure-rate:2:60000:500'], { cwd: dir });
    expect(rate.status).toBe(1);
    expect(rate.stderr).toContain('failures: 3, restarts: 2, downtime: 1000 ms\n');
    expect(rate.stderr).toContain('restart loop: the same error 3 times');
    const backoff = brook(['run', 'poison.ts', '--checkpoint-interval', '1000', '--restart', 'backoff:100:1000', '--crash-at', '500'], { cwd: dir });
    expect(backoff.status).toBe(1);
    const err = stderrLines(backoff.stderr);
    // The injected crash (the 1st failure) restarts at once; then 25 identical failures, the
    // 2nd to the 25th restarted after 200, 400, 800 ms and then the maximum, 1000 ms, 21 times.
    expect(err).toContain('failures: 26, restarts: 25, downtime: 22400 ms');
    expect(err).toContain(
      '  attempts 2-26 failed at pt 2500: UserCodeError: the map function in operator "map" threw Error: cannot parse record 25 → restarted from checkpoint 2 (24×), then not restarted: stopped by brook',
    );
    expect(err).toContain('brook stopped the job after 25 identical failures in a row: the restart strategy backoff:100:1000 would restart it forever');
    expect(err).toContain('poison.ts:6:27: error: the map function in operator "map" threw Error: cannot parse record 25');
  });
});

describe('brook run --help for checkpointed runs', () => {
  it('documents every new flag with an example', () => {
    const run = brook(['run', '--help']);
    expect(run.status).toBe(0);
    const flags = ['--checkpoint-interval', '--checkpoint-mode', '--crash-at', '--crash-phase', '--crash-every-records', '--crash-random', '--restart', '--guarantee',
      '--stop-with-savepoint-at', '--savepoint-out', '--from-savepoint', '--allow-non-restored-state'];
    for (const flag of flags) expect(run.stdout).toMatch(new RegExp(`e\\.g\\.\\s+brook run .*${flag}`));
    expect(run.stdout).toContain('--checkpoint-mode aligned|unaligned');
  });

  it('refuses a bad value with exit 2 and one line naming the flag (args.test.ts checks every flag)', () => {
    const bad = brook(['run', 'echo.ts', '--checkpoint-interval', '-5'], { cwd: dir });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe('brook: --checkpoint-interval must be a positive number of milliseconds, got "-5"\nRun `brook run --help` for usage.\n');
  });
});

describe('the default guarantee behind --guarantee (PipelineOptions.defaultGuarantee)', () => {
  const build: PipelineBuilder = (p) => {
    const s = p.fromArray([1, 2, 3], { timestampOf: (x) => x * 10 });
    s.map((x) => x * 2).sink('plain');
    s.sinkTo('own', { guarantee: 'atLeastOnce' });
  };
  const operators = (b: PipelineBuilder, options = {}) =>
    buildPipeline(b, undefined, options)
      .plan.nodes.filter((n) => n.kind === 'sink')
      .map((n) => n.createOperator!());

  it('leaves sink() a collecting sink when unset', () => {
    const [plain, own] = operators(build);
    expect(plain).toBeInstanceOf(CollectingSink);
    expect((own as DeliverySink).guarantee).toBe('atLeastOnce');
  });

  it('makes every sink() a delivery sink with it; a sinkTo keeps its own', () => {
    for (const [plain, own] of [operators(build, { defaultGuarantee: 'exactlyOnce' }), operators(withDefaultGuarantee(build, 'exactlyOnce'))]) {
      expect((plain as DeliverySink).guarantee).toBe('exactlyOnce');
      expect((own as DeliverySink).guarantee).toBe('atLeastOnce');
    }
    const [upsert] = operators(build, { defaultGuarantee: 'upsert' });
    expect((upsert as DeliverySink).guarantee).toBe('upsert');
  });

  it('does not change what a plain run collects', () => {
    expect(runPipeline(build, { defaultGuarantee: 'exactlyOnce' }).records).toEqual(runPipeline(build).records);
  });
});
