// A window's trigger state across a savepoint, as Flink treats trigger state (partitioned state
// registered through the TriggerContext with its own StateDescriptor): each trigger node's data
// slot and each named value of a Flink-style trigger is recorded with the kind of trigger that
// keeps it; a restore into a trigger that reads it differently is refused (slots before the job
// runs, named values when first registered), unless a migration reshapes it; the same kind with
// other parameters goes on from the restored state; a trigger that registers nothing keeps the
// old values unread, as Flink keeps state no longer registered.

import { describe, expect, it } from 'vitest';
import {
  afterCount,
  afterProcessingTime,
  countTrigger,
  eventTimeTrigger,
  flinkTrigger,
  repeatedly,
  seconds,
  tumblingWindows,
  type PipelineBuilder,
  type Trigger,
} from '../../../src/engine/api/index.ts';
import { runDurable } from '../../../src/engine/checkpoint/job-driver.ts';
import { MemoryDurableStore } from '../../../src/engine/checkpoint/memory-store.ts';
import { snapshotOf, toSavepointFile, type RestoreOptions, type SavepointFile } from '../../../src/engine/checkpoint/savepoint.ts';
import { decodeSnapshot, encodeSnapshot } from '../../../src/engine/checkpoint/snapshot-codec.ts';
import { StateMigrationError } from '../../../src/engine/checkpoint/state-descriptors.ts';
import type { StateSnapshot } from '../../../src/engine/state/state-backend.ts';

/** One key, an element every 100 ms of event time (0 .. 1900): all in the window [0, 10000). */
const clicks = Array.from({ length: 20 }, (_, seq) => ({ user: 'u', seq }));

/** Counts the clicks of a 10 s window, firing as `trigger` says; uid "counts". */
const counting =
  (trigger: Trigger): PipelineBuilder =>
  (p) => {
    p.fromArray(clicks, { timestampOf: (c) => c.seq * 100, uid: 'clicks' })
      .keyBy((c) => c.user)
      .window(tumblingWindows(seconds(10)))
      .trigger(trigger)
      .count()
      .uid('counts')
      .sink('out');
  };

async function savepointOf(build: PipelineBuilder, at = 1050): Promise<{ file: SavepointFile; before: number[] }> {
  const r = await runDurable(build, { store: new MemoryDurableStore(), jobId: 'clicks', checkpointInterval: 500, stopWithSavepointAt: at });
  return { file: r.savepoint!, before: r.records.map((x) => x.value as number) };
}

const resume = (build: PipelineBuilder, file: SavepointFile, options: RestoreOptions = {}, stopAt?: number) =>
  runDurable(build, {
    store: new MemoryDurableStore(),
    jobId: 'clicks-v2',
    checkpointInterval: 500,
    restart: { kind: 'none' },
    fromSavepoint: { file, options },
    ...(stopAt !== undefined && { stopWithSavepointAt: stopAt }),
  });

const descriptorsOf = (file: SavepointFile) => decodeSnapshot<{ descriptors?: unknown }>(file.parts.find((p) => p.name === 'counts#0')!.data).descriptors;

const beamCount = counting(repeatedly(afterCount(3)));

const refusal = (state: string, was: string, now: string) =>
  `operator "counts": state "${state}" was kept by a ${was} and the new pipeline keeps it with a ${now}, which cannot read it. ` +
  `Either migrate it (export const migrations = { 'counts': { '${state}': (old, ctx) => newValue } } in the pipeline file), ` +
  'or give the operator a new .uid(...) so it starts empty (and allowNonRestoredState / --allow-non-restored-state to drop the old state)';

describe('trigger state across a savepoint', () => {
  it('records the kind of each trigger node\'s slot and of each named value a Flink-style trigger registered', async () => {
    expect(descriptorsOf((await savepointOf(beamCount)).file)).toEqual({
      'window-panes': 'window count',
      'window-kind': 'time windows',
      'trigger[1]': 'count trigger (AfterPane.elementCountAtLeast)',
    });
    expect(descriptorsOf((await savepointOf(counting(countTrigger(3)))).file)).toEqual({
      'window-panes': 'window count',
      'window-kind': 'time windows',
      'trigger[0]': 'Flink-style trigger',
      'trigger[0].count': 'CountTrigger',
    });
    // A trigger that registers nothing records nothing.
    expect(descriptorsOf((await savepointOf(counting(eventTimeTrigger()))).file)).toEqual({ 'window-panes': 'window count', 'window-kind': 'time windows', 'trigger[0]': 'Flink-style trigger' });
  });

  it('refuses a count trigger\'s slot restored into a processing-time trigger before the job runs', async () => {
    const { file } = await savepointOf(beamCount);
    const error = await resume(counting(repeatedly(afterProcessingTime().plusDelayOf(500))), file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateMigrationError);
    expect((error as Error).message).toBe(
      `savepoint: ${refusal('trigger[1]', 'count trigger (AfterPane.elementCountAtLeast)', 'processing-time trigger (AfterProcessingTime.pastFirstElementInPane)')}`,
    );
  });

  it('refuses a Beam trigger\'s slot restored into a Flink-style trigger, whose slot holds the result it asked for', async () => {
    const { file } = await savepointOf(counting(afterCount(15)));
    // The count (11) read as a pending result (FIRE | PURGE bits) would have fired and purged the pane.
    await expect(resume(counting(countTrigger(3)), file)).rejects.toThrow(
      `savepoint: ${refusal('trigger[0]', 'count trigger (AfterPane.elementCountAtLeast)', 'Flink-style trigger')}`,
    );
  });

  it('goes on from the restored count when the same trigger has other parameters', async () => {
    const { file, before } = await savepointOf(beamCount);
    // Up to the savepoint 11 elements arrived: panes fired at 3, 6 and 9, and the count is 2.
    expect(before).toEqual([3, 6, 9]);
    const r = await resume(counting(repeatedly(afterCount(4))), file);
    // 2 + 2 more makes 4 at the 13th element; then every 4; the final pane at the end of the window.
    expect(r.records.map((x) => x.value)).toEqual([13, 17, 20]);
  });

  it('goes on from a Flink CountTrigger\'s "count" in a CountTrigger with another count', async () => {
    const { file, before } = await savepointOf(counting(countTrigger(3)));
    expect(before).toEqual([3, 6, 9]);
    const r = await resume(counting(countTrigger(4)), file);
    // Flink's model: no final pane at the end of the window.
    expect(r.records.map((x) => x.value)).toEqual([13, 17]);
  });

  it('refuses a named value registered by a trigger of another kind when it is first registered, failing the job', async () => {
    const { file } = await savepointOf(counting(countTrigger(3)));
    const everyOther = flinkTrigger<unknown>({
      name: 'EveryOtherTrigger',
      onElement: (_e, _ts, _w, ctx) => {
        const seen = ctx.getState<{ odd: boolean }>('count') ?? { odd: false };
        ctx.setState('count', { odd: !seen.odd });
        return seen.odd ? 'FIRE' : 'CONTINUE';
      },
      onEventTime: () => 'CONTINUE',
      onProcessingTime: () => 'CONTINUE',
    });
    const r = await resume(counting(everyOther), file);
    expect(r.finished).toBe(false);
    expect(r.failures.at(-1)?.reason).toContain(refusal('trigger[0].count', 'CountTrigger', 'EveryOtherTrigger'));
    // With a migration of the named value, the registration is accepted.
    const migrated = await resume(counting(everyOther), file, { migrations: { counts: { 'trigger[0].count': (n) => (typeof n === 'number' ? { odd: n % 2 === 1 } : n) } } });
    expect(migrated.finished).toBe(true);
    // The count was 2 (even): the 12th element is not fired, the 13th is, and every other after it.
    expect(migrated.records.map((x) => x.value)).toEqual([13, 15, 17, 19]);
  });

  it('accepts a count trigger\'s slot migrated away in a processing-time trigger', async () => {
    const { file } = await savepointOf(beamCount);
    const seen: string[] = [];
    const r = await resume(counting(repeatedly(afterProcessingTime().plusDelayOf(500))), file, {
      migrations: {
        counts: {
          'trigger[1]': (old, ctx) => {
            seen.push(`${String(ctx.key)} [${ctx.window!.start}, ${ctx.window!.end}) ${ctx.from} -> ${ctx.to}: ${JSON.stringify(old)}`);
            return null;
          },
        },
      },
    });
    expect(seen).toEqual(['u [0, 10000) count trigger (AfterPane.elementCountAtLeast) -> processing-time trigger (AfterProcessingTime.pastFirstElementInPane): 2']);
    expect(r.finished).toBe(true);
    // The first element after the restore (the 12th, at 1100) starts the delay: a pane at 1601 of
    // the 17 elements up to 1600; the next delay ends after the input does, so the window's end fires.
    expect(r.records.map((x) => x.value)).toEqual([17, 20]);
  });

  it('keeps the values of a trigger that registers nothing unread in the panes, and their kinds in later savepoints', async () => {
    const { file } = await savepointOf(counting(countTrigger(3)));
    const r = await resume(counting(eventTimeTrigger()), file, {}, 1550);
    expect(descriptorsOf(r.savepoint!)).toEqual({ 'window-panes': 'window count', 'window-kind': 'time windows', 'trigger[0]': 'Flink-style trigger', 'trigger[0].count': 'CountTrigger' });
    const state = decodeSnapshot<{ state: StateSnapshot }>(r.savepoint!.parts.find((p) => p.name === 'counts#0')!.data).state;
    const pane = state.find((t) => t.table === 'window-panes')!.entries[0]![2] as unknown[];
    expect(pane[6]).toEqual([{ count: 2 }]);
    // Restored into CountTrigger again, it reads them: the count (2) goes on, and the 17th element makes 3.
    const again = await resume(counting(countTrigger(3)), r.savepoint!);
    expect(again.records.map((x) => x.value)).toEqual([17, 20]);
  });

  it('restores trigger state of parts written before descriptors existed, unchecked, as before', async () => {
    const { file } = await savepointOf(beamCount);
    const parts = file.parts.map((p) => {
      if (!p.name.startsWith('counts#')) return p;
      const { descriptors: _, ...rest } = decodeSnapshot<{ descriptors?: unknown }>(p.data);
      return { name: p.name, data: encodeSnapshot(rest) };
    });
    const old = toSavepointFile(file.jobId, { ...snapshotOf(file), parts });
    const r = await resume(beamCount, old);
    expect(r.records.map((x) => x.value)).toEqual([12, 15, 18, 20]);
  });
});
