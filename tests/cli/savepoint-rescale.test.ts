// Rescaling from the command line: a savepoint taken with the window operator at parallelism 2
// restores into the same pipeline at parallelism 3; the summary names the rescaled operator, and
// the output after the savepoint is the uninterrupted run's, nothing duplicated or lost.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { brook, repoRoot, scratchFolder } from './brook-cli.ts';

const { dir, write } = scratchFolder('brook-rescale-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const readings = join(repoRoot, 'examples/exactly-once.ts');
const lines = (text: string) => text.trimEnd().split('\n');

/** examples/exactly-once.ts's per-meter totals with the window operator at `parallelism`. */
function totals(name: string, parallelism: number): void {
  write(name, [
    "import { boundedOutOfOrderness, type Pipeline, seconds, tumblingWindows } from 'brook';",
    `import { readings } from ${JSON.stringify(readings)};`,
    'export default (p: Pipeline) => {',
    "  p.fromArray(readings, { timestampOf: (r) => r.seq * 50, watermarks: boundedOutOfOrderness(300), uid: 'readings' })",
    '    .keyBy((r) => r.meter)',
    `    .window(tumblingWindows(seconds(1)), { parallelism: ${parallelism} })`,
    '    .sum((r) => r.wh)',
    "    .uid('meter-totals')",
    "    .sinkTo('billing', { guarantee: 'exactlyOnce' });",
    '};',
  ]);
}
totals('two.ts', 2);
totals('three.ts', 3);

describe('brook run --from-savepoint into a changed parallelism', () => {
  const clean = brook(['run', 'three.ts', '--checkpoint-interval', '1000'], { cwd: dir });
  const stop = brook(['run', 'two.ts', '--checkpoint-interval', '1000', '--stop-with-savepoint-at', '6000', '--savepoint-out', 'sp.json'], { cwd: dir });

  it('the savepoint holds the window state of 2 subtasks', () => {
    expect(stop.status).toBe(0);
    const inspect = brook(['savepoint', 'inspect', 'sp.json'], { cwd: dir });
    expect(lines(inspect.stdout)).toContain('  "meter-totals" (2 subtasks)');
  });

  it('restores at parallelism 3: the summary names the rescale, the output continues exactly', () => {
    const run = brook(['run', 'three.ts', '--checkpoint-interval', '1000', '--from-savepoint', 'sp.json'], { cwd: dir });
    expect(run.status).toBe(0);
    const summary = lines(run.stderr);
    expect(summary).toContain('restored savepoint 7: "meter-totals" rescaled from 2 to 3 subtasks (keyed state moved by key group, source partitions reassigned)');
    expect(summary.slice(-2)).toEqual(['  sink "billing" (exactly-once, its own): 21 expected, 21 written, 0 duplicated, 0 lost', 'job finished']);
    // Windows up to [5000, 6000) fired before the savepoint (15 totals); the other 21 come now.
    const before = lines(stop.stdout);
    expect(before).toHaveLength(15);
    expect([...before, ...lines(run.stdout)].sort()).toEqual(lines(clean.stdout).sort());
  });

  it('restoring at the same parallelism says nothing of rescaling', () => {
    const run = brook(['run', 'two.ts', '--checkpoint-interval', '1000', '--from-savepoint', 'sp.json'], { cwd: dir });
    expect(run.status).toBe(0);
    expect(run.stderr).not.toContain('rescaled');
  });
});
