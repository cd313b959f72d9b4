import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import * as brook from '../../src/engine/api/index.ts';
import { DurableSession } from '../../src/engine/checkpoint/durable-session.ts';
import { MemoryDurableStore } from '../../src/engine/checkpoint/memory-store.ts';
import type { SavepointFile } from '../../src/engine/checkpoint/savepoint.ts';
import { loadUserModule } from '../../src/worker/user-code.ts';

// Lesson 13's "Try it here" steps, done the way the Savepoints dialog does them (a savepoint of
// the running job, the changed code started from it), so the prose cannot drift from what happens.

const SOLUTION = readFileSync('lessons/13-reprocessing-and-backfill/solution.ts', 'utf8');
/** Step 1: uids on the source and the window. */
const WITH_UIDS = SOLUTION.replace("{ name: 'readings', watermarks", "{ name: 'readings', uid: 'readings', watermarks").replace(
  '.sum((reading) => reading.kwh)\n',
  ".sum((reading) => reading.kwh)\n    .uid('meter-hours')\n",
);
/** Step 3: the sums rounded. */
const ROUNDED = WITH_UIDS.replace(".uid('meter-hours')\n", ".uid('meter-hours')\n    .map((kwh) => Math.round(kwh * 100) / 100)\n");
/** Step 4: the window's uid renamed. */
const RENAMED = WITH_UIDS.replace(".uid('meter-hours')", ".uid('meter-hours-v2')");

const HALF_PAST_SEVEN = 7.5 * 3_600_000;
const SEVEN = 7 * 3_600_000;

function open(source: string, fromSavepoint?: { file: SavepointFile; options?: { allowNonRestoredState: boolean } }) {
  return DurableSession.open(loadUserModule(source, brook).build, {
    store: new MemoryDurableStore(),
    jobId: 'lesson-reprocessing-and-backfill',
    seed: 13,
    checkpointInterval: null,
    resume: false,
    ...(fromSavepoint && { fromSavepoint }),
  });
}

async function savepointAtHalfPastSeven(): Promise<SavepointFile> {
  const session = await open(WITH_UIDS);
  await session.advance({ untilTime: HALF_PAST_SEVEN - 1 });
  return session.savepoint();
}

const sevenOClockHour = (records: readonly brook.SinkRecord[]) =>
  records.filter((r) => r.window !== 'global' && r.window?.start === SEVEN).map((r) => [r.key, r.value]);

describe('lesson 13: savepoints in the browser', () => {
  test('the rounded job resumes at 7:30:00 with every meter\'s 7:00 hour restored, and sums it whole', async () => {
    expect(ROUNDED).toContain('.map((kwh) => Math.round(kwh * 100) / 100)');
    const file = await savepointAtHalfPastSeven();
    expect(file.time).toBeLessThan(HALF_PAST_SEVEN);
    expect(file.time).toBeGreaterThan(HALF_PAST_SEVEN - 60_000);

    const resumed = await open(ROUNDED, { file });
    const view = resumed.inspectState();
    const windows = view.subtasks.flatMap((s) => s.timers.map((t) => [t.key, t.window]));
    expect(windows).toEqual(['meter-001', 'meter-002', 'meter-003', 'meter-004', 'meter-005', 'meter-000'].map((m) => [m, { start: SEVEN, end: SEVEN + 3_600_000 }]));
    await resumed.advance();

    const whole = await open(WITH_UIDS);
    await whole.advance();
    const full = sevenOClockHour(whole.records).map(([k, v]) => [k, Math.round((v as number) * 100) / 100]);
    expect(sevenOClockHour(resumed.records)).toEqual(full);
    expect(resumed.records.every((r) => r.window === 'global' || r.window!.end > file.time)).toBe(true);
  });

  test('a renamed window is refused, naming "meter-hours"; allowed, it starts empty and the 7:00 hour misses its first half', async () => {
    const file = await savepointAtHalfPastSeven();
    await expect(open(RENAMED, { file })).rejects.toThrow('the savepoint has state for operator(s) "meter-hours" that the pipeline no longer has');

    const allowed = await open(RENAMED, { file, options: { allowNonRestoredState: true } });
    await allowed.advance();
    const whole = await open(WITH_UIDS);
    await whole.advance();
    const full = new Map(sevenOClockHour(whole.records) as [string, number][]);
    for (const [meter, kwh] of sevenOClockHour(allowed.records) as [string, number][]) {
      expect(kwh).toBeGreaterThan(0);
      expect(kwh).toBeLessThan(full.get(meter)! * 0.75);
    }
    expect(sevenOClockHour(allowed.records)).toHaveLength(6);
  });
});
