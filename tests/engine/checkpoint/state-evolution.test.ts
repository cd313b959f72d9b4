// State evolution across a savepoint: every snapshot records what kind of function keeps each
// state; a restore into a pipeline whose operator (same uid) now keeps that state with another
// kind is refused unless a migration reshapes it; a migration that throws restores nothing;
// savepoints written before descriptors existed still restore.

import { describe, expect, it } from 'vitest';
import { countWindows, seconds, tumblingWindows, type AggregateFunction, type PipelineBuilder } from '../../../src/engine/api/index.ts';
import { runDurable } from '../../../src/engine/checkpoint/job-driver.ts';
import { MemoryDurableStore } from '../../../src/engine/checkpoint/memory-store.ts';
import { toSavepointFile, snapshotOf, type SavepointFile, type StateMigrations } from '../../../src/engine/checkpoint/savepoint.ts';
import { decodeSnapshot, encodeSnapshot } from '../../../src/engine/checkpoint/snapshot-codec.ts';
import { StateMigrationError } from '../../../src/engine/checkpoint/state-descriptors.ts';
import { StateProcessor } from '../../../src/engine/checkpoint/state-processor.ts';

interface Reading {
  meter: string;
  wh: number;
  seq: number;
}
/** Two meters, a reading every 100 ms of event time, 10 Wh each: a 1 s window holds 5 per meter (50 Wh). */
const readings: Reading[] = Array.from({ length: 40 }, (_, seq) => ({ meter: `m${seq % 2}`, wh: 10, seq }));

const source = (p: Parameters<PipelineBuilder>[0]) => p.fromArray(readings, { timestampOf: (r) => r.seq * 100, uid: 'readings' }).keyBy((r) => r.meter);

/** Version 1: the energy per meter and second, a window sum. */
const sums: PipelineBuilder = (p) => {
  source(p).window(tumblingWindows(seconds(1))).sum((r) => r.wh).uid('totals').sink('out');
};

/** Version 2: the same window with an average: an aggregate whose accumulator is an object. */
const average: AggregateFunction<Reading, { sum: number; n: number }, string> = {
  createAccumulator: () => ({ sum: 0, n: 0 }),
  add: (r, a) => ({ sum: a.sum + r.wh, n: a.n + 1 }),
  getResult: (a) => `${a.sum}/${a.n}`,
  merge: (a, b) => ({ sum: a.sum + b.sum, n: a.n + b.n }),
};
const averages: PipelineBuilder = (p) => {
  source(p).window(tumblingWindows(seconds(1))).aggregate(average).uid('totals').sink('out');
};

async function savepointOf(build: PipelineBuilder, at: number): Promise<SavepointFile> {
  const r = await runDurable(build, { store: new MemoryDurableStore(), jobId: 'meters', checkpointInterval: 1000, stopWithSavepointAt: at });
  return r.savepoint!;
}

const resume = (build: PipelineBuilder, file: SavepointFile, migrations?: StateMigrations) =>
  runDurable(build, { store: new MemoryDurableStore(), jobId: 'meters-v2', checkpointInterval: 1000, fromSavepoint: { file, options: { ...(migrations && { migrations }) } } });

const REFUSAL =
  'savepoint: operator "totals": state "window-panes" was kept by a window sum and the new pipeline keeps it with a window aggregate, which cannot read it. ' +
  "Either migrate it (export const migrations = { 'totals': { 'window-panes': (old, ctx) => newValue } } in the pipeline file), " +
  'or give the operator a new .uid(...) so it starts empty (and allowNonRestoredState / --allow-non-restored-state to drop the old state)';

describe('state descriptors and migrations', () => {
  it('records in each operator subtask part what kind of function keeps its state', async () => {
    const file = await savepointOf(sums, 1550);
    const part = file.parts.find((p) => p.name === 'totals#0')!;
    expect(decodeSnapshot<{ descriptors?: unknown }>(part.data).descriptors).toEqual({ 'window-panes': 'window sum', 'window-kind': 'time windows' });
    // A source keeps no keyed state: its part records none.
    expect(decodeSnapshot<{ descriptors?: unknown }>(file.parts.find((p) => p.name === 'readings#0')!.data).descriptors).toBeUndefined();
  });

  it('refuses to restore a window sum into an aggregate without a migration, naming the uid, the state and both kinds', async () => {
    const file = await savepointOf(sums, 1550);
    const error = await resume(averages, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateMigrationError);
    expect((error as Error).message).toBe(REFUSAL);
  });

  it('continues with the migrated state when a migration reshapes the sums', async () => {
    const file = await savepointOf(sums, 1550);
    // At pt 1550 the window [1000, 2000) of each meter has readings 10..15: m0 has 10, 12, 14
    // (30 Wh), m1 has 11, 13, 15 (30 Wh). Each reading is 10 Wh, so the count is sum / 10.
    const seen: string[] = [];
    const migrations: StateMigrations = {
      totals: {
        'window-panes': (old, ctx) => {
          seen.push(`${String(ctx.key)} [${ctx.window!.start}, ${ctx.window!.end}) ${ctx.from} -> ${ctx.to}: ${JSON.stringify(old)}`);
          return typeof old === 'number' ? { sum: old, n: old / 10 } : old;
        },
      },
    };
    const r = await resume(averages, file, migrations);
    expect(seen).toEqual(['m0 [1000, 2000) window sum -> window aggregate: 30', 'm1 [1000, 2000) window sum -> window aggregate: 30']);
    expect(r.finished).toBe(true);
    // [1000, 2000) goes on with 16..19 (two more per meter); later windows are new: 5 readings each.
    expect(r.records.map((x) => `${String(x.key)} ${x.window === 'global' ? '' : x.window?.start} ${String(x.value)}`)).toEqual([
      'm0 1000 50/5',
      'm1 1000 50/5',
      'm0 2000 50/5',
      'm1 2000 50/5',
      'm0 3000 50/5',
      'm1 3000 50/5',
    ]);
  });

  it('fails the restore naming the uid, state and key when a migration throws, and leaves the savepoint as it was', async () => {
    const file = await savepointOf(sums, 1550);
    const before = JSON.stringify(file);
    const migrations: StateMigrations = {
      totals: {
        'window-panes': (old, ctx) => {
          if (ctx.key === 'm1') throw new Error('no meter m1 in the tariff table');
          return { sum: old, n: 1 };
        },
      },
    };
    await expect(resume(averages, file, migrations)).rejects.toThrow(
      'savepoint: the migration of state "window-panes" of operator "totals" threw for key "m1" in window [1000, 2000): Error: no meter m1 in the tariff table; nothing was restored',
    );
    expect(JSON.stringify(file)).toBe(before);
  });

  it('restores a savepoint written before descriptors existed, unchecked, as before', async () => {
    const file = await savepointOf(sums, 1550);
    const parts = file.parts.map((p) => {
      if (!p.name.startsWith('totals#')) return p;
      const { descriptors: _, ...rest } = decodeSnapshot<{ descriptors?: unknown }>(p.data);
      return { name: p.name, data: encodeSnapshot(rest) };
    });
    const old = toSavepointFile(file.jobId, { ...snapshotOf(file), parts });
    const same = await resume(sums, old);
    expect(same.records.map((x) => x.value)).toEqual([50, 50, 50, 50, 50, 50]);
  });

  it('restores the same kinds as before, and a savepoint of the restored job records them again', async () => {
    const file = await savepointOf(sums, 1550);
    const r = await runDurable(sums, { store: new MemoryDurableStore(), jobId: 'again', checkpointInterval: 1000, fromSavepoint: { file }, stopWithSavepointAt: 2550 });
    const part = r.savepoint!.parts.find((p) => p.name === 'totals#0')!;
    expect(decodeSnapshot<{ descriptors?: unknown }>(part.data).descriptors).toEqual({ 'window-panes': 'window sum', 'window-kind': 'time windows' });
  });

  it('checks keyed state a process function declares as it runs: a value state restored as a list state is refused', async () => {
    const counts = (kind: 'value' | 'list'): PipelineBuilder => (p) => {
      source(p)
        .process<string>({
          processElement(r, ctx) {
            if (kind === 'value') {
              const n = ctx.state.value<number>('seen');
              n.update((n.value() ?? 0) + 1);
            } else ctx.state.list<number>('seen').add(r.seq);
            ctx.output(r.meter);
          },
        })
        .uid('counter')
        .sink('out');
    };
    const file = await savepointOf(counts('value'), 1550);
    expect(decodeSnapshot<{ descriptors?: unknown }>(file.parts.find((p) => p.name === 'counter#0')!.data).descriptors).toEqual({ seen: 'value state' });
    const r = await runDurable(counts('list'), {
      store: new MemoryDurableStore(),
      jobId: 'counter-v2',
      checkpointInterval: 1000,
      restart: { kind: 'none' },
      fromSavepoint: { file },
    });
    expect(r.finished).toBe(false);
    expect(r.failures.at(-1)?.reason).toContain(
      'operator "counter": state "seen" was kept by a value state and the new pipeline keeps it with a list state, which cannot read it.',
    );
    // With a migration (value → list of that many entries), the declaration is accepted.
    const migrated = await runDurable(counts('list'), {
      store: new MemoryDurableStore(),
      jobId: 'counter-v3',
      checkpointInterval: 1000,
      restart: { kind: 'none' },
      fromSavepoint: { file, options: { migrations: { counter: { seen: (n) => (typeof n === 'number' ? Array.from({ length: n }, () => -1) : n) } } } },
    });
    expect(migrated.finished).toBe(true);
  });

  describe('a window operator whose windows changed', () => {
    const perCount: PipelineBuilder = (p) => {
      source(p).window(countWindows(5)).sum((r) => r.wh).uid('totals').sink('out');
    };
    const twoSeconds: PipelineBuilder = (p) => {
      source(p).window(tumblingWindows(seconds(2))).sum((r) => r.wh).uid('totals').sink('out');
    };

    it('refuses panes of time windows restored into global (count) windows, as Flink refuses another window serializer', async () => {
      const error = await resume(perCount, await savepointOf(sums, 1550)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StateMigrationError);
      expect((error as Error).message).toBe(
        'savepoint: operator "totals": its panes were kept for time windows and the new pipeline\'s windows are global windows, which cannot take them over (Flink refuses another window serializer). ' +
          'Give the operator a new .uid(...) so it starts empty (and allowNonRestoredState / --allow-non-restored-state to drop the old state)',
      );
      // A migration of the panes' values does not make them panes of other windows.
      const migrated = await resume(perCount, await savepointOf(sums, 1550), { totals: { 'window-panes': (v) => v, 'window-kind': (v) => v } }).catch((e: unknown) => e);
      expect(migrated).toBeInstanceOf(StateMigrationError);
    });

    it('restores time windows of another size, as Flink does (the panes keep their bounds)', async () => {
      const r = await resume(twoSeconds, await savepointOf(sums, 1550));
      expect(r.finished).toBe(true);
    });

    it('does not check a savepoint written before window kinds were recorded', async () => {
      const file = await savepointOf(sums, 1550);
      const parts = file.parts.map((p) => {
        if (!p.name.startsWith('totals#')) return p;
        const decoded = decodeSnapshot<{ descriptors: Record<string, string> }>(p.data);
        const { 'window-kind': _, ...descriptors } = decoded.descriptors;
        return { name: p.name, data: encodeSnapshot({ ...decoded, descriptors }) };
      });
      const r = await resume(perCount, toSavepointFile(file.jobId, { ...snapshotOf(file), parts }));
      expect(r.finished).toBe(true);
    });
  });

  describe('a state whose TTL was switched on or off (Flink 2.2 converts it)', () => {
    /** Counts each meter's readings in a value state, with a TTL of `ttl` ms or none. */
    const counting = (ttl: number | undefined): PipelineBuilder => (p) => {
      source(p)
        .process<string>({
          processElement(r, ctx) {
            const seen = ctx.state.value<number>('seen', ttl === undefined ? undefined : { ttl: { ttl } });
            const next = (seen.value() ?? 0) + 1;
            seen.update(next);
            ctx.output(`${r.meter}:${next}`);
          },
        })
        .uid('counter')
        .sink('out');
    };
    const HOUR = 3_600_000;
    const counterPart = (file: SavepointFile) => decodeSnapshot<{ descriptors?: unknown; ttlRecorded?: unknown }>(file.parts.find((p) => p.name === 'counter#0')!.data);
    /** The last count the resumed run output for each meter: 20 each when the count went on from the savepoint. */
    const lastCounts = async (build: PipelineBuilder, file: SavepointFile) => {
      const r = await runDurable(build, { store: new MemoryDurableStore(), jobId: 'counter-ttl', checkpointInterval: 1000, restart: { kind: 'none' }, fromSavepoint: { file } });
      expect(r.failures).toEqual([]);
      const last = new Map<string, string>();
      for (const x of r.records) last.set(String(x.value).split(':')[0]!, String(x.value));
      return [...last.values()].sort();
    };

    /** As lastCounts, restoring with `migrations`. */
    const lastCounts2 = async (build: PipelineBuilder, file: SavepointFile, migrations: StateMigrations) => {
      const r = await runDurable(build, { store: new MemoryDurableStore(), jobId: 'counter-ttl-m', checkpointInterval: 1000, restart: { kind: 'none' }, fromSavepoint: { file, options: { migrations } } });
      expect(r.failures).toEqual([]);
      const last = new Map<string, string>();
      for (const x of r.records) last.set(String(x.value).split(':')[0]!, String(x.value));
      return [...last.values()].sort();
    };

    it('records whether each keyed state has a TTL, and that the kinds say so', async () => {
      const file = await savepointOf(counting(HOUR), 1550);
      expect(counterPart(file)).toMatchObject({ descriptors: { seen: 'value state with ttl' }, ttlRecorded: true });
      expect(counterPart(await savepointOf(counting(undefined), 1550))).toMatchObject({ descriptors: { seen: 'value state' }, ttlRecorded: true });
    });

    it('restores a state kept with a TTL into code without one: the counts go on from the savepoint', async () => {
      expect(await lastCounts(counting(undefined), await savepointOf(counting(HOUR), 1550))).toEqual(['m0:20', 'm1:20']);
    });

    it('restores a state kept without a TTL into code with one: the counts go on, stamped to expire a TTL after they were converted', async () => {
      const file = await savepointOf(counting(undefined), 1550);
      expect(await lastCounts(counting(HOUR), file)).toEqual(['m0:20', 'm1:20']);
      // A savepoint of the resumed job holds the counts stamped (tests/engine/state/ttl-migration.test.ts: when they expire).
      const r = await runDurable(counting(HOUR), { store: new MemoryDurableStore(), jobId: 'counter-ttl-2', checkpointInterval: 1000, restart: { kind: 'none' }, fromSavepoint: { file }, stopWithSavepointAt: 2550 });
      const part = decodeSnapshot<{ state: { table: string; entries: [unknown, unknown, unknown][] }[]; descriptors?: unknown; ttlRecorded?: unknown }>(r.savepoint!.parts.find((p) => p.name === 'counter#0')!.data);
      expect(part).toMatchObject({ descriptors: { seen: 'value state with ttl' }, ttlRecorded: true });
      const values = part.state.find((t) => t.table === 'seen')!.entries.map((e) => e[2] as { v: number; exp: number });
      expect(values.length).toBeGreaterThan(0);
      for (const v of values) expect(v).toEqual({ v: expect.any(Number), exp: expect.any(Number) });
      for (const v of values) expect(v.exp).toBeGreaterThanOrEqual(1550 + HOUR);
    });

    it('does not convert a savepoint whose kinds predate TTLs in them: its TTL state restores into the same code as before', async () => {
      const file = await savepointOf(counting(HOUR), 1550);
      // As written before: "value state" for a state with a TTL, and no marker.
      const parts = file.parts.map((p) => {
        if (p.name !== 'counter#0') return p;
        const { ttlRecorded: _, ...rest } = decodeSnapshot<{ ttlRecorded?: unknown }>(p.data);
        return { name: p.name, data: encodeSnapshot({ ...rest, descriptors: { seen: 'value state' } }) };
      });
      const old = toSavepointFile(file.jobId, { ...snapshotOf(file), parts });
      expect(await lastCounts(counting(HOUR), old)).toEqual(['m0:20', 'm1:20']);
    });

    it('keeps a savepoint unmarked while it still carries such kinds its code never declared again', async () => {
      const file = await savepointOf(counting(HOUR), 1550);
      const parts = file.parts.map((p) => {
        if (p.name !== 'counter#0') return p;
        const { ttlRecorded: _, ...rest } = decodeSnapshot<{ ttlRecorded?: unknown }>(p.data);
        return { name: p.name, data: encodeSnapshot(rest) };
      });
      const old = toSavepointFile(file.jobId, { ...snapshotOf(file), parts });
      const ignoring: PipelineBuilder = (p) => {
        source(p)
          .process<string>({ processElement: (r, ctx) => ctx.output(r.meter) })
          .uid('counter')
          .sink('out');
      };
      const r = await runDurable(ignoring, { store: new MemoryDurableStore(), jobId: 'counter-carry', checkpointInterval: 1000, restart: { kind: 'none' }, fromSavepoint: { file: old }, stopWithSavepointAt: 2550 });
      const part = counterPart(r.savepoint!);
      expect(part.descriptors).toEqual({ seen: 'value state with ttl' });
      expect(part.ttlRecorded).toBeUndefined();
    });

    /** The values of state `seen` in a savepoint's counter#0 part, as stored. */
    const storedSeen = (file: SavepointFile) =>
      decodeSnapshot<{ state: { table: string; entries: [unknown, unknown, unknown][] }[] }>(file.parts.find((p) => p.name === 'counter#0')!.data).state.find((t) => t.table === 'seen')!.entries.map((e) => e[2]);
    const plus1000 = (seen: unknown[]): StateMigrations => ({ counter: { seen: (old) => (seen.push(old), (old as number) + 1000) } });

    it('migrates a state kept with a TTL by its values, without their stamps, and keeps each value\'s expiry (as Flink migrates inside its TtlValue)', async () => {
      const file = await savepointOf(counting(HOUR), 1550);
      const seen: unknown[] = [];
      expect(await lastCounts2(counting(HOUR), file, plus1000(seen))).toEqual(['m0:1020', 'm1:1020']);
      expect(seen.length).toBeGreaterThan(0);
      for (const old of seen) expect(typeof old).toBe('number');
      // Straight after the restore (nothing read or written yet), the values keep their stamps.
      const before = storedSeen(file) as { v: number; exp: number }[];
      const r = await runDurable(counting(HOUR), { store: new MemoryDurableStore(), jobId: 'counter-migrated', checkpointInterval: 1000, restart: { kind: 'none' }, fromSavepoint: { file, options: { migrations: plus1000([]) } }, stopWithSavepointAt: 1551 });
      expect(storedSeen(r.savepoint!)).toEqual(before.map((b) => ({ v: b.v + 1000, exp: b.exp })));
    });

    it('migrates a state whose TTL is switched off or on at the same time: the counts go on from the migrated values', async () => {
      expect(await lastCounts2(counting(undefined), await savepointOf(counting(HOUR), 1550), plus1000([]))).toEqual(['m0:1020', 'm1:1020']);
      expect(await lastCounts2(counting(HOUR), await savepointOf(counting(undefined), 1550), plus1000([]))).toEqual(['m0:1020', 'm1:1020']);
    });

    it('restores a migration that made a list of a value kept with a TTL into a list state with a TTL, stamped as written at the restore', async () => {
      const listing: PipelineBuilder = (p) => {
        source(p)
          .process<string>({
            processElement(r, ctx) {
              const seen = ctx.state.list<number>('seen', { ttl: { ttl: HOUR } });
              seen.add(r.seq);
              ctx.output(`${r.meter}:${seen.get().length}`);
            },
          })
          .uid('counter')
          .sink('out');
      };
      const file = await savepointOf(counting(HOUR), 1550);
      const counts = storedSeen(file) as { v: number }[];
      const asList: StateMigrations = { counter: { seen: (old) => Array.from({ length: old as number }, (_, i) => i) } };
      const r = await runDurable(listing, { store: new MemoryDurableStore(), jobId: 'counter-listed', checkpointInterval: 1000, restart: { kind: 'none' }, fromSavepoint: { file, options: { migrations: asList } } });
      expect(r.failures).toEqual([]);
      const last = new Map<string, string>();
      for (const x of r.records) last.set(String(x.value).split(':')[0]!, String(x.value));
      // Each list holds the count it was migrated from plus the readings after the savepoint: 20.
      expect(counts.every((c) => typeof c.v === 'number')).toBe(true);
      expect([...last.values()].sort()).toEqual(['m0:20', 'm1:20']);
    });

    it('the state processor reads a state kept with a TTL without its stamps, with when each value expires, and an update keeps the expiry', async () => {
      const file = await savepointOf(counting(HOUR), 1550);
      const stored = storedSeen(file) as { v: number; exp: number }[];
      const sp = new StateProcessor(file);
      const entries = sp.entries('counter', 'seen');
      expect(entries.map((e) => [e.value, e.expiresAt])).toEqual(stored.map((s) => [s.v, s.exp]));
      sp.update('counter', 'seen', (v) => (v as number) * 2);
      expect(storedSeen(sp.write())).toEqual(stored.map((s) => ({ v: s.v * 2, exp: s.exp })));
    });

    it('still refuses another kind of state, with or without a TTL', async () => {
      const listing: PipelineBuilder = (p) => {
        source(p)
          .process<string>({
            processElement(r, ctx) {
              ctx.state.list<number>('seen').add(r.seq);
              ctx.output(r.meter);
            },
          })
          .uid('counter')
          .sink('out');
      };
      const r = await runDurable(listing, { store: new MemoryDurableStore(), jobId: 'counter-list', checkpointInterval: 1000, restart: { kind: 'none' }, fromSavepoint: { file: await savepointOf(counting(HOUR), 1550) } });
      expect(r.failures.at(-1)?.reason).toContain('operator "counter": state "seen" was kept by a value state with ttl and the new pipeline keeps it with a list state, which cannot read it.');
    });
  });

  it('the state processor reads and rewrites a window\'s pane contents and counts what it changed', async () => {
    const file = await savepointOf(sums, 1550);
    const sp = new StateProcessor(file);
    expect(sp.entries('totals', 'window-panes').map((e) => [e.key, e.window, e.value])).toEqual([
      ['m0', { start: 1000, end: 2000 }, 30],
      ['m1', { start: 1000, end: 2000 }, 30],
    ]);
    sp.update('totals', 'window-panes', (wh, e) => (e.key === 'm0' ? (wh as number) + 100 : wh)).remove('totals', 'window-panes', (e) => e.key === 'm1');
    expect(sp.changes()).toEqual([{ operator: 'totals', state: 'window-panes', updated: 1, removed: 1 }]);
    const r = await resume(sums, sp.write());
    // m0's window [1000, 2000) goes on from 130 (+ 2 readings); m1's starts again with 2 readings.
    expect(r.records.map((x) => `${String(x.key)} ${x.window === 'global' ? '' : x.window?.start} ${String(x.value)}`).slice(0, 2)).toEqual(['m0 1000 150', 'm1 1000 20']);
  });
});
