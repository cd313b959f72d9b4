// The harness of the copy test (copy-test.test.ts, and its IndexedDB variant in
// tests/storage/copy-test-idb.test.ts): the pipeline, the plain-loop oracle, and a driver that
// runs the job in segments (hard kills inside, savepoint stops between) and checks after every
// stop that a reader of the exactly-once sink sees exactly what a complete checkpoint covers.

import { expect } from 'vitest';
import type { PipelineBuilder, TraceEvent } from '../../../src/engine/api/index.ts';
import type { DurableStore } from '../../../src/engine/checkpoint/durable-store.ts';
import { runDurable, type CrashPlan } from '../../../src/engine/checkpoint/job-driver.ts';
import type { SavepointFile } from '../../../src/engine/checkpoint/savepoint.ts';
import { decodePart, type PartData } from '../../../src/engine/checkpoint/part-data.ts';

export interface Copied {
  id: number;
  key: string;
  /** The how-manyth record of its key this is (1, 2, …): the keyed counter's value. */
  n: number;
}

export const KEYS = 16;
export const PARTITIONS = 4;
const keyIndex = (id: number): number => (id * 7919) % KEYS;

/** The copy pipeline over `count` records, one arriving per millisecond, partitioned by key. */
export function copyPipeline(count: number): { build: PipelineBuilder; partitionOf: (id: number) => number } {
  const input = Array.from({ length: count }, (_, id) => ({ value: id, timestamp: id, arrival: id }));
  const partitionOf = (id: number): number => keyIndex(id) % PARTITIONS;
  const build: PipelineBuilder = (p) => {
    p.fromRecords(input, { uid: 'source', partitions: PARTITIONS, partitionOf })
      .map((id) => ({ id, key: `k${keyIndex(id)}` }))
      .uid('map')
      .keyBy((r) => r.key)
      .process<string>(
        {
          processElement(r, ctx) {
            const counter = ctx.state.value<number>('n');
            const n = (counter.value() ?? 0) + 1;
            counter.update(n);
            // A short string (the sink record carries the key): comparing 200,000 records stays cheap.
            ctx.output(`${r.id}:${n}`);
          },
        },
        { parallelism: 2 },
      )
      .uid('counter')
      .sinkTo('copy', { guarantee: 'exactlyOnce', parallelism: 2, uid: 'copy' });
  };
  return { build, partitionOf };
}

/** The plain loop: every record once, numbered per key. */
export function expectedCopy(count: number): Copied[] {
  const seen = new Array<number>(KEYS).fill(0);
  return Array.from({ length: count }, (_, id) => ({ id, key: `k${keyIndex(id)}`, n: ++seen[keyIndex(id)]! }));
}

/** The copied records a reader of the sink sees, in order. */
export async function readCopy(store: DurableStore): Promise<Copied[]> {
  return (await store.sinkRead('copy')).map((w) => {
    const [id, n] = String(w.value).split(':').map(Number) as [number, number];
    return { id, key: String(w.key), n };
  });
}

/** Per key, `id:n` in the order given: the order and the counter's values at once. */
export function countedPerKey(records: readonly Copied[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of records) {
    const list = out.get(r.key);
    if (list) list.push(`${r.id}:${r.n}`);
    else out.set(r.key, [`${r.id}:${r.n}`]);
  }
  return out;
}

/** The source offsets (one per partition) of a checkpoint's or savepoint's source part. */
function offsetsOf(sourcePart: PartData): number[] {
  const d = decodePart<{ parts: { reader: { offset: number } }[] }>(sourcePart);
  expect(d.parts).toHaveLength(PARTITIONS);
  return d.parts.map((p) => p.reader.offset);
}

/** The ids before the given offsets: the first offsets[p] records of each partition p. */
function coveredBy(offsets: readonly number[], count: number, partitionOf: (id: number) => number): Set<number> {
  const left = [...offsets];
  const out = new Set<number>();
  for (let id = 0; id < count; id++) {
    const p = partitionOf(id);
    if (left[p]! > 0) {
      left[p]!--;
      out.add(id);
    }
  }
  return out;
}

/**
 * A store that lets the test look at it when the driver comes back after a crash: the first
 * `listCheckpoints` after a `jobCrashed` trace event (the new attempt looking for its checkpoint)
 * awaits `onRecovery` first, so the test sees the store exactly as the crash left it.
 */
export function watched(store: DurableStore, onRecovery: () => Promise<void>): { store: DurableStore; onTrace: (e: TraceEvent) => void } {
  let crashed = false;
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (prop === 'listCheckpoints') {
        return async (jobId: string) => {
          if (crashed) {
            crashed = false;
            await onRecovery();
          }
          return target.listCheckpoints(jobId);
        };
      }
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { store: proxy, onTrace: (e) => void (e.type === 'jobCrashed' && (crashed = true)) };
}

/** A stop of the copy job: a segment runs from its start point, with crashes, to its savepoint or the end. */
export interface Segment {
  readonly jobId: string;
  readonly crashes: CrashPlan;
  readonly stopWithSavepointAt?: number;
}

export interface CopyRun {
  /** What the sink held at each observation, described. */
  readonly observations: string[];
  /** Hard kills seen, and savepoint stops taken. */
  readonly crashes: number;
  readonly savepoints: number;
}

export interface CopyOptions {
  /** Records in the input, one arriving per ms. */
  readonly count: number;
  readonly checkpointInterval: number;
  readonly segments: readonly Segment[];
  /** The failure-free run's output, in sink order. */
  readonly reference: readonly Copied[];
  /** Called after each savepoint stop: the store to continue with (say, a new connection to the same database). */
  readonly reopen?: () => Promise<DurableStore>;
}

/**
 * Runs the copy job in segments against `store` and checks, after every stop, that a reader of
 * the sink sees exactly what some complete checkpoint (or the segment's start) covers, as a
 * per-key prefix of the reference output with nothing repeated.
 */
export async function runCopyInSegments(
  store: DurableStore,
  { count, checkpointInterval, segments, reference, reopen }: CopyOptions,
): Promise<CopyRun> {
  const { build, partitionOf } = copyPipeline(count);
  const refPerKey = countedPerKey(reference);
  const observations: string[] = [];
  let crashes = 0;
  let savepoints = 0;
  let current = store;
  let from: SavepointFile | undefined;
  /** What the segment's start covers: nothing, or its savepoint's offsets. */
  let startCovers = new Set<number>();

  /** What complete checkpoints of `jobId` cover, newest first. */
  const checkpointsCover = async (jobId: string): Promise<Set<number>[]> => {
    const out = [];
    for (const cp of await current.listCheckpoints(jobId)) {
      out.push(coveredBy(offsetsOf(await current.readCheckpointPart(jobId, cp.checkpointId, 'source#0')), count, partitionOf));
    }
    return out;
  };

  /** A reader sees no duplicate, per key a prefix of the reference, and exactly one of `allowed`. */
  const checkVisible = async (label: string, allowed: readonly Set<number>[]): Promise<void> => {
    const visible = await readCopy(current);
    const ids = visible.map((r) => r.id);
    const distinct = new Set(ids);
    expect(distinct.size, `${label}: duplicates visible`).toBe(ids.length);
    for (const [key, got] of countedPerKey(visible)) expect(got, `${label}: key ${key}`).toEqual(refPerKey.get(key)!.slice(0, got.length));
    const match = allowed.some((c) => c.size === distinct.size && ids.every((id) => c.has(id)));
    expect(match, `${label}: ${ids.length} visible records are not what a complete checkpoint covers (${allowed.map((c) => c.size).join(', ')})`).toBe(true);
    observations.push(`${label}: ${ids.length}`);
  };

  for (const segment of segments) {
    const observe = watched(current, async () => {
      crashes++;
      // Committed is what the segment's start or one of its complete checkpoints covers: the
      // latest, or the one before if the crash struck between a completion and its commit.
      await checkVisible(`crash ${crashes} (${segment.jobId})`, [startCovers, ...(await checkpointsCover(segment.jobId))]);
    });
    const crashesBefore = crashes;
    const r = await runDurable(build, {
      store: observe.store,
      jobId: segment.jobId,
      checkpointInterval,
      crashes: segment.crashes,
      onTrace: observe.onTrace,
      ...(from ? { fromSavepoint: { file: from } } : {}),
      ...(segment.stopWithSavepointAt !== undefined ? { stopWithSavepointAt: segment.stopWithSavepointAt } : {}),
    });
    // Every failure was a planned crash, and the store was looked at after each.
    expect(r.failures.every((f) => f.reason.startsWith('Crash: crash injected')), JSON.stringify(r.failures)).toBe(true);
    expect(crashes - crashesBefore, segment.jobId).toBe(r.failures.length);
    if (segment.stopWithSavepointAt !== undefined) {
      expect(r.savepoint, segment.jobId).toBeDefined();
      savepoints++;
      from = r.savepoint!;
      // A clean stop commits what its savepoint covers, and nothing after it.
      startCovers = coveredBy(offsetsOf(from.parts.find((p) => p.name === 'source#0')!.data), count, partitionOf);
      await checkVisible(`savepoint stop ${savepoints} (${segment.jobId})`, [startCovers]);
      if (reopen) current = await reopen();
    } else {
      expect(r.finished, segment.jobId).toBe(true);
    }
  }
  return { observations, crashes, savepoints };
}

