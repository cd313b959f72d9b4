// Incremental checkpoints end to end: a job with incremental checkpoints, run in lockstep with
// the same job taking full ones, stores chains that read back as the full job's parts byte for
// byte; retention keeps exactly the parts a retained checkpoint lists; a torn or damaged link
// never makes a chain restorable; a full quota fails a delta with a clear message and the job
// keeps its last good checkpoint; and a delta after 10 of 100,000 keys changed is that small.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildPipeline, type PipelineBuilder, type TraceEvent } from '../../../src/engine/api/index.ts';
import { CheckpointWriter } from '../../../src/engine/checkpoint/checkpoint-writer.ts';
import { describePart, sealManifest } from '../../../src/engine/checkpoint/checksum.ts';
import { DurableSession } from '../../../src/engine/checkpoint/durable-session.ts';
import type { JobSnapshot } from '../../../src/engine/checkpoint/job-snapshot.ts';
import { runDurable } from '../../../src/engine/checkpoint/job-driver.ts';
import { MemoryDurableStore } from '../../../src/engine/checkpoint/memory-store.ts';
import { SharedParts } from '../../../src/engine/checkpoint/shared-parts.ts';
import { decodePart } from '../../../src/engine/checkpoint/part-data.ts';
import { readSnapshot } from '../../../src/engine/checkpoint/store-io.ts';
import { seededRandom } from '../../../src/engine/random/random.ts';
import { Job } from '../../../src/engine/runtime/job.ts';
import { tumblingWindows } from '../../../src/engine/api/index.ts';
import { toJson } from '../../../src/engine/trace/json.ts';

interface Op {
  readonly key: number;
  readonly op: 'put' | 'del' | 'add';
  readonly v: number;
  readonly at: number;
}

/** Keyed value, map and list state driven by the input, a timer per key, and a window sum beside it. */
function pipeline(ops: readonly Op[]): PipelineBuilder {
  return (p) => {
    const s = p.fromArray(ops, { timestampOf: (o) => o.at });
    s.keyBy((o) => o.key)
      .process<string>({
        processElement(o, ctx) {
          const last = ctx.state.value<number>('last');
          const seen = ctx.state.map<number, number>('seen');
          const log = ctx.state.list<number>('log');
          if (o.op === 'del') {
            last.clear();
            seen.remove(o.v % 3);
          } else {
            last.update(o.v);
            seen.put(o.v % 3, o.v);
          }
          if (o.op === 'add') log.add(o.v);
          ctx.timerService.registerEventTimeTimer(o.at + 500);
        },
        onTimer(t, ctx) {
          ctx.output(`${ctx.key}@${t}:${ctx.state.value<number>('last').value() ?? '-'}`);
        },
      })
      .uid('keyed')
      .sink('timers');
    s.keyBy((o) => o.key % 3).window(tumblingWindows(1000)).sum((o) => o.v).uid('sums').sink('sums');
  };
}

const opsArb = fc
  .array(fc.record({ key: fc.integer({ min: 0, max: 40 }), op: fc.constantFrom<Op['op']>('put', 'put', 'put', 'del', 'add'), v: fc.integer({ min: 0, max: 99 }), gap: fc.integer({ min: 0, max: 60 }) }), {
    minLength: 30,
    maxLength: 400,
    size: 'large',
  })
  .map((xs) => {
    let at = 0;
    return xs.map(({ gap, ...o }) => ({ ...o, at: (at += gap) }));
  });

describe('incremental checkpoints', () => {
  it('read back from the store, every checkpoint is the full job\'s checkpoint of the same moment, byte for byte; retention keeps exactly what is listed', async () => {
    let deltaParts = 0;
    await fc.assert(
      fc.asyncProperty(
        opsArb,
        fc.integer({ min: 50, max: 700 }),
        fc.integer({ min: 1, max: 3 }),
        fc.record({ maxDeltas: fc.integer({ min: 0, max: 6 }), maxChangedFraction: fc.constantFrom(0.2, 0.5, 1, 10) }),
        fc.array(fc.boolean(), { maxLength: 40 }),
        async (ops, interval, keep, policy, failures) => {
          const build = pipeline(ops);
          const full = new Job(buildPipeline(build).plan, { random: seededRandom(3), seed: 3, trace: undefined });
          const inc = new Job(buildPipeline(build).plan, { random: seededRandom(3), seed: 3, trace: undefined, incremental: policy });
          for (const job of [full, inc]) {
            job.enableCheckpoints(interval);
            job.start();
          }
          const store = new MemoryDurableStore();
          const writer = new CheckpointWriter(store, 'j', keep);
          let n = 0;
          for (;;) {
            const a = full.scheduler.step();
            const b = inc.scheduler.step();
            expect(b).toBe(a);
            if (!a) break;
            expect(inc.ioRequests.length).toBe(full.ioRequests.length);
            while (full.ioRequests.length > 0) {
              const f = full.ioRequests.shift()!;
              const i = inc.ioRequests.shift()!;
              if (f.kind !== 'persistCheckpoint' || i.kind !== 'persistCheckpoint') throw new Error(`unexpected request ${f.kind}`);
              // Some checkpoints fail in the store: neither job completes them.
              if (failures[n++ % Math.max(1, failures.length)] === true) {
                full.failCheckpoint(f.snapshot.checkpointId, 'simulated');
                inc.failCheckpoint(i.snapshot.checkpointId, 'simulated');
                continue;
              }
              deltaParts += i.snapshot.deltas?.length ?? 0;
              const { snapshot, manifest } = await writer.write(i.snapshot, () => {});
              const back = await readSnapshot(store, manifest, 3);
              expect(back.parts).toEqual(f.snapshot.parts);
              await writer.prune();
              full.completeCheckpoint(f.snapshot);
              inc.completeCheckpoint(snapshot);
            }
          }
          expect(inc.scheduler.now).toBe(full.scheduler.now);
          // Every retained checkpoint is intact (its chains' links are all there), and nothing else is stored.
          const listed = await store.listCheckpoints('j');
          expect(listed.map((m) => m.checkpointId)).toEqual(writer.retainedIds);
          expect(listed.length).toBeLessThanOrEqual(keep);
          const listedLinks = new Set(listed.flatMap((m) => m.parts.map((p) => `${p.checkpointId ?? m.checkpointId}:${p.name}`)));
          for (let id = 1; id < 200; id++) {
            for (const name of inc.partNames()) {
              const stored = await store.readCheckpointPart('j', id, name).then(() => true, () => false);
              expect(stored, `part ${name} of checkpoint ${id}`).toBe(listedLinks.has(`${id}:${name}`));
            }
          }
        },
      ),
      { numRuns: 60 },
    );
    expect(deltaParts).toBeGreaterThan(100);
  }, 120_000);

  it('SharedParts drops a checkpoint\'s manifest but keeps the parts a retained one lists, and deletes them once none does', () => {
    const link = (name: string, checkpointId?: number, delta?: true) => ({ name, size: 1, checksum: 'x', ...(checkpointId !== undefined ? { checkpointId } : {}), ...(delta ? { delta } : {}) });
    const manifest = (checkpointId: number, parts: ReturnType<typeof link>[]) => sealManifest({ jobId: 'j', checkpointId, kind: 'checkpoint', triggeredAt: 0, completedAt: 0, parts });
    const shared = new SharedParts();
    shared.reset([]);
    shared.add(manifest(1, [link('op#0'), link('src#0')]));
    shared.add(manifest(2, [link('op#0', 1), link('op#0', undefined, true), link('src#0')]));
    expect(shared.prune(1)).toEqual([{ checkpointId: 1, keepParts: ['op#0'] }]);
    shared.add(manifest(3, [link('op#0', 1), link('op#0', 2, true), link('op#0', undefined, true), link('src#0')]));
    expect(shared.prune(1)).toEqual([{ checkpointId: 2, keepParts: ['op#0'] }]);
    shared.add(manifest(4, [link('op#0'), link('src#0')]));
    expect(shared.prune(1)).toEqual([
      { checkpointId: 3, keepParts: [] },
      { checkpointId: 1, keepParts: [] },
      { checkpointId: 2, keepParts: [] },
    ]);
    // A new attempt learns from the store's list which dropped checkpoints' parts are still kept.
    shared.reset([manifest(6, [link('op#0', 5), link('op#0', undefined, true)])]);
    shared.add(manifest(7, [link('op#0')]));
    expect(shared.prune(1)).toEqual([{ checkpointId: 6, keepParts: [] }, { checkpointId: 5, keepParts: [] }]);
  });

  it('a torn delta, or a damaged link under it, never makes its chain restorable: the checkpoint before is restored', async () => {
    const store = new MemoryDurableStore();
    const writer = new CheckpointWriter(store, 'j', 3);
    await writer.list();
    const part = (state: unknown) => JSON.stringify({ channels: [], state, timers: [] });
    const snap = (checkpointId: number, data: string, base?: number): JobSnapshot => ({
      version: 1, checkpointId, time: checkpointId * 1000, seed: 0, parts: [{ name: 'op#0', data }], deltas: base === undefined ? [] : [{ part: 'op#0', base }],
    });
    await writer.write(snap(1, part([{ table: 't', entries: [['a', null, 1], ['b', null, 2]] }])), () => {});
    await writer.write(snap(2, part([{ table: 't', entries: [['b', null, 3]], deleted: [] , windowsKept: true }]), 1), () => {});
    // Checkpoint 3, a delta on 2, torn: its part was written, its manifest never.
    await store.writeCheckpointPart('j', 3, 'op#0', part([{ table: 't', entries: [], deleted: ['a'], windowsKept: true }]));
    const listed = await store.listCheckpoints('j');
    expect(listed.map((m) => m.checkpointId)).toEqual([2, 1]);
    expect(listed[0]!.parts.map((p) => [p.name, p.checkpointId, p.delta])).toEqual([['op#0', 1, undefined], ['op#0', undefined, true]]);
    expect((await readSnapshot(store, listed[0]!, 0)).parts).toEqual([{ name: 'op#0', data: part([{ table: 't', entries: [['a', null, 1], ['b', null, 3]] }]) }]);
    // The full part under checkpoint 2's delta is damaged: neither checkpoint can be restored.
    await store.writeCheckpointPart('j', 1, 'op#0', part([{ table: 't', entries: [['a', null, 9]] }]));
    expect(await store.listCheckpoints('j')).toEqual([]);
    expect(describePart('x', 'y').checksum).toMatch(/^w:[0-9a-f]{16}$/);
  });

  it('a full quota fails the delta checkpoint with a clear message; the job keeps its last good one and the next delta builds on it', async () => {
    // 500 keys, then updates of 20 of them: few enough changes for deltas.
    const ops: Op[] = Array.from({ length: 1_500 }, (_, i) => ({ key: i < 500 ? i : i % 20, op: 'put', v: i, at: i }));
    const store = new MemoryDurableStore();
    const trace: TraceEvent[] = [];
    const s = await DurableSession.open(pipeline(ops), { store, jobId: 'q', checkpointInterval: null, incremental: true, resume: false, onTrace: (e) => trace.push(e) });
    await s.advance({ untilTime: 600 });
    expect(await s.checkpointNow()).toBe(1);
    await s.advance({ untilTime: 900 });
    store.failNext('writeCheckpoint', { name: 'QuotaExceededError', message: 'disk full' });
    expect(await s.checkpointNow()).toBeNull();
    expect((await store.listCheckpoints('q')).map((m) => m.checkpointId)).toEqual([1]);
    await s.advance({ untilTime: 1200 });
    expect(await s.checkpointNow()).toBe(3);
    const ends = trace.filter((e) => e.type === 'checkpointCompleted' || e.type === 'checkpointFailed').map((e) => toJson(e).replace(/"size":\d+/, '"size":N').replace(/"fullSize":\d+/, '"fullSize":N'));
    expect(ends).toEqual([
      '{"type":"checkpointCompleted","pt":600,"checkpointId":1,"size":N,"subtasks":6,"kind":"full","fullSize":N}',
      '{"type":"checkpointFailed","pt":900,"checkpointId":2,"reason":"QuotaExceededError: writeCheckpoint on checkpoint 2 of job \\"q\\" failed: QuotaExceededError: disk full"}',
      '{"type":"checkpointCompleted","pt":1200,"checkpointId":3,"size":N,"subtasks":6,"kind":"incremental","fullSize":N}',
    ]);
    const newest = (await store.listCheckpoints('q'))[0]!;
    expect(newest.parts.filter((p) => p.name === 'keyed#0').map((p) => [p.checkpointId, p.delta])).toEqual([[1, undefined], [undefined, true]]);
    // Killed here: a new session resumes from checkpoint 3 (its chain) and ends with the failure-free output.
    const resumed = await DurableSession.open(pipeline(ops), { store, jobId: 'q', checkpointInterval: null, incremental: true, resume: true, attempt: 2 });
    expect(resumed.restoredFrom).toBe(3);
    while (!resumed.finished) await resumed.advance();
    const reference = await runDurable(pipeline(ops), { store: new MemoryDurableStore(), jobId: 'ref', checkpointInterval: 300 });
    const after = (r: { processingTime?: number }) => (r.processingTime ?? 0) > 1200;
    expect(resumed.records.map((r) => toJson(r))).toEqual(reference.records.filter(after).map((r) => toJson(r)));
  });

  it('after 10 of 100,000 keys changed, the next checkpoint writes those 10 entries, not the state', async () => {
    const ops: Op[] = Array.from({ length: 100_000 }, (_, i) => ({ key: i, op: 'put', v: 1, at: Math.floor(i / 10) }));
    for (let k = 0; k < 10; k++) ops.push({ key: k * 9_999, op: 'put', v: 2, at: 20_000 + k });
    // Not read before the second checkpoint: it keeps the job running past it.
    ops.push({ key: 0, op: 'put', v: 3, at: 60_000 });
    const store = new MemoryDurableStore();
    const trace: TraceEvent[] = [];
    const build: PipelineBuilder = (p) => {
      p.fromArray(ops, { timestampOf: (o) => o.at })
        .keyBy((o) => o.key)
        .process<number>({
          processElement(o, ctx) {
            ctx.state.value<number>('v').update(o.v);
          },
        })
        .uid('keyed')
        .sink('out');
    };
    const s = await DurableSession.open(build, { store, jobId: 'big', checkpointInterval: null, incremental: true, resume: false, onTrace: (e) => trace.push(e) });
    await s.advance({ untilTime: 15_000 });
    expect(await s.checkpointNow()).toBe(1);
    await s.advance({ untilTime: 30_000 });
    expect(await s.checkpointNow()).toBe(2);
    const [first, second] = trace.filter((e): e is TraceEvent & { type: 'checkpointCompleted' } => e.type === 'checkpointCompleted');
    expect(first!.kind).toBe('full');
    // 100,000 entries as binary columns (a key and a value of 4 bytes each, and the chunks' headers).
    expect(first!.size).toBeGreaterThan(800_000);
    expect(second!.kind).toBe('incremental');
    expect(second!.size).toBeLessThan(2_500);
    // A restore reads the full part of checkpoint 1 and the delta, and checkpoint 2's other parts.
    const listed = await store.listCheckpoints('big');
    expect(second!.fullSize).toBe(listed[0]!.parts.reduce((n, p) => n + p.size, 0));
    expect(listed[0]!.parts.filter((p) => p.name === 'keyed#0').map((p) => [p.checkpointId, p.delta])).toEqual([[1, undefined], [undefined, true]]);
    expect(second!.fullSize).toBeGreaterThan(800_000);
    const delta = decodePart<{ state: unknown }>(await store.readCheckpointPart('big', 2, 'keyed#0'));
    expect(delta.state).toEqual([{ table: 'v', deleted: [], entries: Array.from({ length: 10 }, (_, k) => [k * 9_999, null, 2]), windowsKept: true }]);
  }, 60_000);
});
