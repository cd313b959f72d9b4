// State evolution from the command line: `brook run --from-savepoint` refuses a window sum
// restored into an aggregate, and applies the pipeline file's `export const migrations`;
// `brook savepoint rewrite` fixes state with a FIX.ts, prints what changed, never touches its
// input, and refuses damaged or foreign files and a missing --out. A changed trigger and a uid
// given to another kind of operator are refused from the command line with the engine's messages.

import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { brook, repoRoot, scratchFolder } from './brook-cli.ts';

const { dir, write } = scratchFolder('brook-evolution-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const v1 = join(repoRoot, 'examples/exactly-once.ts');
const lines = (text: string) => text.trimEnd().split('\n');
const ofSink = (text: string, sink: string) => lines(text).filter((l) => l.startsWith(`{"sink":"${sink}"`));
const parsed = (l: string) => JSON.parse(l) as { key: string; value: unknown; window: { start: number } };

/** The same readings, the window now keeps { sum, n } (an average's accumulator) instead of a sum. */
const averages = (migrations: string[]) => [
  "import { boundedOutOfOrderness, type Pipeline, seconds, type StateMigrations, tumblingWindows } from 'brook';",
  `import { readings } from ${JSON.stringify(v1)};`,
  ...migrations,
  'export default (p: Pipeline) => {',
  "  const totals = p.fromArray(readings, { timestampOf: (r) => r.seq * 50, watermarks: boundedOutOfOrderness(300), uid: 'readings' })",
  '    .keyBy((r) => r.meter)',
  '    .window(tumblingWindows(seconds(1)))',
  '    .aggregate({',
  '      createAccumulator: () => ({ sum: 0, n: 0 }),',
  '      add: (r, a: { sum: number; n: number }) => ({ sum: a.sum + r.wh, n: a.n + 1 }),',
  '      getResult: (a) => `${a.sum}/${a.n}`,',
  '    })',
  "    .uid('meter-totals');",
  "  totals.sinkTo('billing', { guarantee: 'exactlyOnce', uid: 'billing' });",
  "  totals.sink('dashboard');",
  '};',
];
write('average.ts', averages([]));
// Readings before the savepoint were summed, not counted: the migration keeps the sum, n = 0.
write(
  'average-migrated.ts',
  averages(["export const migrations: StateMigrations = { 'meter-totals': { 'window-panes': (old) => (typeof old === 'number' ? { sum: old, n: 0 } : old) } };"]),
);
write('average-bad-migration.ts', averages(["export const migrations = { 'meter-totals': { 'window-panes': 42 } };"]));

describe('brook run --from-savepoint with a changed state', () => {
  const clean = brook(['run', v1, '--checkpoint-interval', '1000'], { cwd: dir });
  const stop = brook(['run', v1, '--checkpoint-interval', '1000', '--stop-with-savepoint-at', '6000', '--savepoint-out', 'sp.json'], { cwd: dir });

  it('refuses a window sum restored into an aggregate without a migration, naming the uid, the state and the ways out', () => {
    expect(stop.status).toBe(0);
    const run = brook(['run', 'average.ts', '--checkpoint-interval', '1000', '--from-savepoint', 'sp.json'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'error: savepoint: operator "meter-totals": state "window-panes" was kept by a window sum and the new pipeline keeps it with a window aggregate, which cannot read it. ' +
        "Either migrate it (export const migrations = { 'meter-totals': { 'window-panes': (old, ctx) => newValue } } in the pipeline file), " +
        'or give the operator a new .uid(...) so it starts empty (and allowNonRestoredState / --allow-non-restored-state to drop the old state)\n',
    );
  });

  it("applies the pipeline file's export const migrations and continues with the migrated state", () => {
    const run = brook(['run', 'average-migrated.ts', '--checkpoint-interval', '1000', '--from-savepoint', 'sp.json'], { cwd: dir });
    expect(run.stderr.split('\n').at(-2)).toBe('job finished');
    expect(run.status).toBe(0);
    const sums = new Map(ofSink(clean.stdout, 'dashboard').map(parsed).map((r) => [`${r.key}@${r.window.start}`, r.value as number]));
    const got = ofSink(run.stdout, 'dashboard').map(parsed).slice(0, 6).map((r) => `${r.key}@${r.window.start} ${String(r.value)}`);
    // [5000, 6000) had every reading before pt 6000: its sum carried over, none counted after.
    // [6000, 7000): m0 had seq 120 before the savepoint, then 123..138 (6 more); m1 has seqs
    // 121..139 (7), m2 seqs 122..137 (6), all after.
    const at = (k: string) => sums.get(k);
    expect(got.sort()).toEqual(
      [
        `m0@5000 ${at('m0@5000')}/0`,
        `m1@5000 ${at('m1@5000')}/0`,
        `m2@5000 ${at('m2@5000')}/0`,
        `m0@6000 ${at('m0@6000')}/6`,
        `m1@6000 ${at('m1@6000')}/7`,
        `m2@6000 ${at('m2@6000')}/6`,
      ].sort(),
    );
  });

  it('refuses a migrations export of the wrong shape, naming the file and the entry', () => {
    const run = brook(['run', 'average-bad-migration.ts', '--checkpoint-interval', '1000', '--from-savepoint', 'sp.json'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('error: average-bad-migration.ts: export migrations.meter-totals.window-panes: expected a migration function (old, ctx) => newValue, got number 42\n');
  });
});

describe('brook savepoint rewrite', () => {
  brook(['run', v1, '--checkpoint-interval', '1000', '--stop-with-savepoint-at', '6000', '--savepoint-out', 'in.json'], { cwd: dir });
  write('fix.ts', [
    "import type { StateProcessor } from 'brook';",
    '// m1 was over-read by 5 Wh in its open windows; m2 is decommissioned.',
    'export default (sp: StateProcessor) => {',
    "  sp.update('meter-totals', 'window-panes', (wh, e) => (e.key === 'm1' ? (wh as number) - 5 : wh));",
    "  sp.remove('meter-totals', 'window-panes', (e) => e.key === 'm2');",
    "  sp.update('meter-total', 'window-panes', (wh) => wh);",
    '};',
  ]);

  it('runs the fix, prints what changed per operator and state, writes --out and leaves the input as it was', () => {
    const before = readFileSync(join(dir, 'in.json'), 'utf8');
    const run = brook(['savepoint', 'rewrite', 'in.json', 'fix.ts', '--out', 'fixed.json'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(lines(run.stdout)).toEqual([
      'rewrote savepoint 7 of job "exactly-once" with fix.ts:',
      '  "meter-totals" state "window-panes": 1 of 4 entries updated, 1 removed',
      '  "meter-total" state "window-panes": no such state in the savepoint (is the uid or state name right?)',
      'written to fixed.json',
    ]);
    expect(readFileSync(join(dir, 'in.json'), 'utf8')).toBe(before);
    const inspect = brook(['savepoint', 'inspect', 'fixed.json'], { cwd: dir });
    expect(inspect.status).toBe(0);
    expect(lines(inspect.stdout).slice(2, 5)).toEqual(['keyed state, by operator uid:', '  "meter-totals" (1 subtask)', '    state "window-panes" (window sum): 3 entries in 2 windows; keys "m1", "m0"']);
  });

  it('the rewritten savepoint resumes with the fixed state', () => {
    const clean = brook(['run', v1, '--checkpoint-interval', '1000', '--from-savepoint', 'in.json'], { cwd: dir });
    const fixed = brook(['run', v1, '--checkpoint-interval', '1000', '--from-savepoint', 'fixed.json'], { cwd: dir });
    expect(fixed.status).toBe(0);
    const first = (text: string) => ofSink(text, 'dashboard').map(parsed).filter((r) => r.window.start === 5000);
    // [5000, 6000): m1's total is 5 Wh less; m2's pane was removed, so it has no total.
    const was = new Map(first(clean.stdout).map((r) => [r.key, r.value as number]));
    expect(first(fixed.stdout).map((r) => [r.key, r.value])).toEqual([
      ['m1', was.get('m1')! - 5],
      ['m0', was.get('m0')],
    ]);
  });

  it('refuses a damaged or foreign input with the same errors as inspect, and writes nothing', () => {
    write('foreign.json', '{"steps": []}');
    const foreign = brook(['savepoint', 'rewrite', 'foreign.json', 'fix.ts', '--out', 'out.json'], { cwd: dir });
    expect(foreign.status).toBe(1);
    expect(foreign.stderr).toBe(brook(['savepoint', 'inspect', 'foreign.json'], { cwd: dir }).stderr);
    expect(foreign.stderr).toBe('error: foreign.json: not a Brook savepoint: it has no "format": "brook-savepoint" (is it a checkpoint, a trace or another tool\'s file?)\n');
    write('damaged.json', readFileSync(join(dir, 'in.json'), 'utf8').replace('"time": 6000', '"time": 6001'));
    const damaged = brook(['savepoint', 'rewrite', 'damaged.json', 'fix.ts', '--out', 'out.json'], { cwd: dir });
    expect(damaged.stderr).toBe('error: damaged.json: the savepoint is damaged or was edited: its checksum does not match its contents\n');
    expect(() => readFileSync(join(dir, 'out.json'))).toThrow();
  });

  it('needs --out, and reports a fix that throws at its line without writing', () => {
    const noOut = brook(['savepoint', 'rewrite', 'in.json', 'fix.ts'], { cwd: dir });
    expect(noOut.status).toBe(2);
    expect(noOut.stderr).toBe(
      'brook: `brook savepoint rewrite` needs --out FILE: where to write the rewritten savepoint (in.json is left as it is unless --out names it)\nRun `brook savepoint --help` for usage.\n',
    );
    write('throws.ts', ["import type { StateProcessor } from 'brook';", 'export default (sp: StateProcessor) => {', "  throw new Error('no tariff for ' + sp.operators()[0]);", '};']);
    const threw = brook(['savepoint', 'rewrite', 'in.json', 'throws.ts', '--out', 'thrown.json'], { cwd: dir });
    expect(threw.status).toBe(1);
    expect(lines(threw.stderr)[0]).toBe('throws.ts:3:9: error: the fix throws.ts threw Error: no tariff for meter-totals; nothing was written');
    expect(() => readFileSync(join(dir, 'thrown.json'))).toThrow();
  });

  it('has --help with examples', () => {
    const help = brook(['savepoint', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('brook savepoint rewrite IN.json FIX.ts --out OUT.json');
    expect(help.stdout).toContain('e.g.  brook savepoint rewrite sp.json fix.ts --out fixed.json');
  });
});

/** Per meter and second, how many readings, firing as `trigger` says (uid "meter-counts"); `extra` goes before the default export. */
const counted = (trigger: string, extra: string[] = []) => [
  "import { afterCount, afterProcessingTime, type Pipeline, repeatedly, seconds, type StateMigrations, tumblingWindows } from 'brook';",
  `import { readings } from ${JSON.stringify(v1)};`,
  ...extra,
  'export default (p: Pipeline) => {',
  "  p.fromArray(readings, { timestampOf: (r) => r.seq * 50, uid: 'readings' })",
  '    .keyBy((r) => r.meter)',
  '    .window(tumblingWindows(seconds(1)))',
  `    .trigger(${trigger})`,
  '    .count()',
  "    .uid('meter-counts')",
  "    .sink('dashboard');",
  '};',
];
write('counted.ts', counted('repeatedly(afterCount(3))'));
write('counted-later.ts', counted('repeatedly(afterProcessingTime().plusDelayOf(500))'));
write('counted-later-migrated.ts', counted('repeatedly(afterProcessingTime().plusDelayOf(500))', ["export const migrations: StateMigrations = { 'meter-counts': { 'trigger[1]': () => null } };"]));
write('counted-by-process.ts', [
  "import type { Pipeline } from 'brook';",
  `import { readings } from ${JSON.stringify(v1)};`,
  'export default (p: Pipeline) => {',
  "  p.fromArray(readings, { timestampOf: (r) => r.seq * 50, uid: 'readings' })",
  '    .keyBy((r) => r.meter)',
  '    .process<string>({ processElement: (r, ctx) => ctx.output(r.meter) })',
  "    .uid('meter-counts')",
  "    .sink('dashboard');",
  '};',
]);

describe('brook run --from-savepoint with a changed trigger or operator kind', () => {
  const stop = brook(['run', 'counted.ts', '--checkpoint-interval', '1000', '--stop-with-savepoint-at', '6000', '--savepoint-out', 'counts.json'], { cwd: dir });

  it("refuses a count trigger's state restored into a processing-time trigger, naming the uid, the trigger state, both kinds and the ways out", () => {
    expect(stop.status).toBe(0);
    const run = brook(['run', 'counted-later.ts', '--checkpoint-interval', '1000', '--from-savepoint', 'counts.json'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'error: savepoint: operator "meter-counts": state "trigger[1]" was kept by a count trigger (AfterPane.elementCountAtLeast) and the new pipeline keeps it with a processing-time trigger (AfterProcessingTime.pastFirstElementInPane), which cannot read it. ' +
        "Either migrate it (export const migrations = { 'meter-counts': { 'trigger[1]': (old, ctx) => newValue } } in the pipeline file), " +
        'or give the operator a new .uid(...) so it starts empty (and allowNonRestoredState / --allow-non-restored-state to drop the old state)\n',
    );
  });

  it("runs with the trigger state migrated by the pipeline file's export const migrations", () => {
    const run = brook(['run', 'counted-later-migrated.ts', '--checkpoint-interval', '1000', '--from-savepoint', 'counts.json'], { cwd: dir });
    expect(run.stderr.split('\n').at(-2)).toBe('job finished');
    expect(run.status).toBe(0);
  });

  it('refuses the uid given to a process function, and with --allow-non-restored-state starts it empty', () => {
    const run = brook(['run', 'counted-by-process.ts', '--checkpoint-interval', '1000', '--from-savepoint', 'counts.json'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'error: savepoint: operator "meter-counts": state "window-panes" was kept by a window (window count) and the operator now under that uid is another kind of operator (a process function, a map or a sink), which never reads it. ' +
        'Give the operator a new .uid(...) so it starts empty, or allow dropping its old state (allowNonRestoredState / --allow-non-restored-state), which starts it empty\n',
    );
    const allowed = brook(['run', 'counted-by-process.ts', '--checkpoint-interval', '1000', '--from-savepoint', 'counts.json', '--allow-non-restored-state'], { cwd: dir });
    expect(allowed.stderr.split('\n').at(-2)).toBe('job finished');
    expect(allowed.status).toBe(0);
    // The process function sees only the readings after the savepoint (seq 121 to 239).
    expect(ofSink(allowed.stdout, 'dashboard')).toHaveLength(119);
  });
});
