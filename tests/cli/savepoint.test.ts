// Savepoints from the command line: stop a job with a savepoint, inspect the file, change the
// code and resume; refuse orphaned state unless allowed; and clear errors for bad files.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { brook, repoRoot, scratchFolder } from './brook-cli.ts';

const { dir, write } = scratchFolder('brook-savepoint-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const v1 = join(repoRoot, 'examples/exactly-once.ts');
const v2 = join(repoRoot, 'examples/exactly-once-v2.ts');
const lines = (text: string) => text.trimEnd().split('\n');
const ofSink = (text: string, sink: string) => lines(text).filter((l) => l.startsWith(`{"sink":"${sink}"`));

/** The window totals under another uid, and only the dashboard: the old totals' state has no home. */
write('renamed.ts', [
  "import { type Pipeline, seconds, tumblingWindows } from 'brook';",
  `import { readings } from ${JSON.stringify(v1)};`,
  'export default (p: Pipeline) => {',
  "  p.fromArray(readings, { timestampOf: (r) => r.seq * 50, uid: 'readings' })",
  '    .keyBy((r) => r.meter)',
  '    .window(tumblingWindows(seconds(1)))',
  '    .sum((r) => r.wh)',
  "    .uid('totals-v2')",
  "    .sink('dashboard');",
  '};',
]);

describe('stop with a savepoint, inspect it, change the code, resume', () => {
  const clean = brook(['run', v1, '--checkpoint-interval', '1000'], { cwd: dir });
  const stop = brook(['run', v1, '--checkpoint-interval', '1000', '--stop-with-savepoint-at', '6000', '--savepoint-out', 'sp.json'], { cwd: dir });

  it('--stop-with-savepoint-at writes the savepoint file and prints what the sinks hold so far', () => {
    expect(stop.status).toBe(0);
    expect(lines(stop.stderr).at(-1)).toBe('job stopped with savepoint 7 at pt 6000, written to sp.json');
    // Windows up to [5000, 6000) fired before pt 6000: 5 windows of 3 meters, in both sinks.
    expect(ofSink(stop.stdout, 'billing')).toEqual(ofSink(clean.stdout, 'billing').slice(0, 15));
    expect(ofSink(stop.stdout, 'dashboard')).toEqual(ofSink(clean.stdout, 'dashboard').slice(0, 15));
    const file = JSON.parse(readFileSync(join(dir, 'sp.json'), 'utf8')) as { format: string; savepointId: number; time: number };
    expect(file).toMatchObject({ format: 'brook-savepoint', savepointId: 7, time: 6000 });
  });

  it('brook savepoint inspect lists its id, time and the keyed state per operator uid', () => {
    const run = brook(['savepoint', 'inspect', 'sp.json'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const out = lines(run.stdout);
    expect(out[0]).toBe('savepoint 7 of job "exactly-once", taken at processing time 6000 (seed 0)');
    expect(out[1]).toMatch(/^5 parts, [\d.]+ KB$/);
    expect(out.slice(2)).toEqual([
      'keyed state, by operator uid:',
      '  "meter-totals" (1 subtask)',
      // [5000, 6000) waits for the watermark (300 ms behind); [6000, 7000) has its first reading.
      '    state "window-panes" (window sum): 4 entries in 2 windows; keys "m1", "m2", "m0"',
      'other operators (source positions, sink transactions, operator state or nothing): "billing", "sink-dashboard", "readings"',
    ]);
  });

  it('--from-savepoint resumes the changed pipeline where the first one stopped', () => {
    const run = brook(['run', v2, '--checkpoint-interval', '1000', '--from-savepoint', 'sp.json'], { cwd: dir });
    expect(run.status).toBe(0);
    expect(lines(run.stderr).slice(-3)).toEqual([
      '  sink "billing" (exactly-once, its own): 21 expected, 21 written, 0 duplicated, 0 lost',
      '  sink "dashboard" (exactly-once): 21 expected, 21 written, 0 duplicated, 0 lost',
      'job finished',
    ]);
    // Each run has its own store: this one holds what came after the savepoint.
    expect(ofSink(run.stdout, 'billing')).toEqual(ofSink(clean.stdout, 'billing').slice(15));
    // The new map step shows kWh; the window state (the open windows' partial sums) carried over.
    const kwh = (l: string) => (JSON.parse(l) as { value: number }).value;
    expect(ofSink(run.stdout, 'dashboard').map(kwh)).toEqual(ofSink(clean.stdout, 'dashboard').slice(15).map((l) => kwh(l) / 1000));
  });

  it('refuses state of an operator the pipeline no longer has, unless --allow-non-restored-state', () => {
    const refused = brook(['run', 'renamed.ts', '--checkpoint-interval', '1000', '--from-savepoint', 'sp.json'], { cwd: dir });
    expect(refused.status).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(
      'error: savepoint: the savepoint has state for operator(s) "meter-totals", "billing" that the pipeline no longer has; ' +
        'give the operators their old .uid(...), or allow dropping that state (allowNonRestoredState / --allow-non-restored-state)\n',
    );
    const allowed = brook(['run', 'renamed.ts', '--checkpoint-interval', '1000', '--from-savepoint', 'sp.json', '--allow-non-restored-state'], { cwd: dir });
    expect(allowed.status).toBe(0);
    // The new totals start empty; the readings resume after pt 6000: 6 windows of 3 meters.
    expect(lines(allowed.stdout)).toHaveLength(18);
  });

  it('--stop-with-savepoint-at after the end of the input: exit 1, no file', () => {
    const run = brook(['run', v1, '--checkpoint-interval', '1000', '--stop-with-savepoint-at', '99999', '--savepoint-out', 'late.json'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(lines(run.stderr).slice(-2)).toEqual([
      'job finished',
      'error: the job finished before pt 99999 (--stop-with-savepoint-at): no savepoint was taken',
    ]);
    expect(() => readFileSync(join(dir, 'late.json'))).toThrow();
  });
});

describe('brook savepoint: bad files and usage', () => {
  it('a file that is not a savepoint, damaged or missing: exit 1 with one line naming it', () => {
    writeFileSync(join(dir, 'input.json'), JSON.stringify({ steps: [] }));
    writeFileSync(join(dir, 'edited.json'), JSON.stringify({ ...spFile(), time: 6001 }));
    const foreign = brook(['savepoint', 'inspect', 'input.json'], { cwd: dir });
    expect([foreign.status, foreign.stdout, foreign.stderr]).toEqual([
      1,
      '',
      'error: input.json: not a Brook savepoint: it has no "format": "brook-savepoint" (is it a checkpoint, a trace or another tool\'s file?)\n',
    ]);
    const missing = brook(['savepoint', 'inspect', 'missing.json'], { cwd: dir });
    expect([missing.status, missing.stderr]).toEqual([1, 'error: cannot read savepoint file missing.json: no such file\n']);
    // The same checks guard --from-savepoint (a file that is not JSON: tests/engine/checkpoint/savepoint.test.ts).
    const resume = brook(['run', v1, '--checkpoint-interval', '1000', '--from-savepoint', 'edited.json'], { cwd: dir });
    expect([resume.status, resume.stdout, resume.stderr]).toEqual([1, '', 'error: edited.json: the savepoint is damaged or was edited: its checksum does not match its contents\n']);
  });

  it('usage mistakes exit 2; --help explains the command', () => {
    const none = brook(['savepoint', 'inspect'], { cwd: dir });
    expect(none.status).toBe(2);
    expect(none.stderr).toBe(
      'brook: `brook savepoint inspect` needs a savepoint file, e.g. `brook savepoint inspect sp.json`\nRun `brook savepoint --help` for usage.\n',
    );
    const help = brook(['savepoint', '--help'], { cwd: dir });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: brook savepoint inspect FILE');
    expect(help.stdout).toMatch(/e\.g\.\s+brook savepoint inspect sp\.json/);
  });
});

/** The savepoint the first describe block wrote, as an object. */
function spFile(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, 'sp.json'), 'utf8')) as Record<string, unknown>;
}
