// The DurableStore contract as a Vitest suite, run against every implementation (the in-memory
// store in tests/engine/checkpoint/memory-store.test.ts, IndexedDB in tests/storage/), so the
// reference model and the real store provably behave alike. Each test gets a fresh, empty store.
//
// What it pins down (docs/durability.md, src/storage/README.md): checkpoints exist only once the
// manifest is written over parts that match it; topics have dense offsets, retention (time, then
// count, oldest first) and compaction (latest per key, null keys kept) that never move offsets;
// sinks show appends and commits in order, upserts latest-wins in first-insertion order, and
// staged transactions only once committed. Errors keep a DOMException-like name and say what
// failed on what.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeChunkedPart, describePart, manifestChecksum, partChecksum, sealManifest } from '../../../src/engine/checkpoint/checksum.ts';
import type { CheckpointManifest, ChunkedPart, DurableStore, SinkWrite } from '../../../src/engine/checkpoint/durable-store.ts';

/** Makes an empty store; called once per test. */
export type StoreFactory = () => DurableStore | Promise<DurableStore>;

/** Writes a checkpoint as the driver does: every part, then the manifest. Returns the manifest. */
export async function writeCheckpoint(
  store: DurableStore,
  jobId: string,
  checkpointId: number,
  parts: Record<string, string>,
  kind: CheckpointManifest['kind'] = 'checkpoint',
): Promise<CheckpointManifest> {
  for (const [name, data] of Object.entries(parts)) await store.writeCheckpointPart(jobId, checkpointId, name, data);
  const manifest = sealManifest({
    jobId,
    checkpointId,
    kind,
    triggeredAt: checkpointId * 1000,
    completedAt: checkpointId * 1000 + 5,
    parts: Object.entries(parts).map(([name, data]) => describePart(name, data)),
  });
  await store.writeCheckpointManifest(manifest);
  return manifest;
}

/** A part given chunk by chunk, as store-io hands it to writeCheckpointChunks. */
export const chunked = (name: string, chunks: readonly string[]): ChunkedPart => ({ name, write: (put) => chunks.forEach((c) => put(c)) });

/** Writes checkpoint `checkpointId` with writeCheckpointChunks, each part as the given chunks; returns the manifest. */
export async function writeChunked(store: DurableStore, jobId: string, checkpointId: number, parts: Record<string, readonly string[]>): Promise<CheckpointManifest> {
  const manifest = sealManifest({
    jobId,
    checkpointId,
    kind: 'checkpoint',
    triggeredAt: checkpointId * 1000,
    completedAt: checkpointId * 1000 + 5,
    parts: Object.entries(parts).map(([name, chunks]) => describeChunkedPart(name, chunks.map((c) => ({ size: c.length, checksum: partChecksum(c) })))),
  });
  await store.writeCheckpointChunks!(jobId, checkpointId, manifest, Object.entries(parts).map(([name, chunks]) => chunked(name, chunks)));
  return manifest;
}

/** Expects `promise` to reject with an error of this `name` whose message has every fragment. */
export async function expectRejection(promise: Promise<unknown>, name: string, ...fragments: string[]): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected a rejection named ${name}`).toBeInstanceOf(Error);
  expect((error as Error).name).toBe(name);
  for (const fragment of fragments) expect((error as Error).message).toContain(fragment);
}

const ids = (manifests: readonly CheckpointManifest[]) => manifests.map((m) => m.checkpointId);
const rec = (key: string | number | null, timestamp: number, value: unknown = `${key}@${timestamp}`) => ({ key, value, timestamp });
const w = (key: string | number | null, value: unknown, timestamp = 0): SinkWrite => ({ key, value, timestamp });

/** Defines the contract's tests for the store `makeStore` makes. */
export function durableStoreContract(name: string, makeStore: StoreFactory): void {
  describe(`DurableStore contract: ${name}`, () => {
    let store: DurableStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(() => {
      const closable = store as DurableStore & { close?: () => void };
      closable.close?.();
    });

    describe('checkpoints', () => {
      it('lists a checkpoint once its manifest is written after its parts, and reads the parts back', async () => {
        const parts = { 'op-1#0': '{"state":[1,2]}', 'op-1#1': '', 'src#0': '{"offsets":{"0":12}}' };
        const manifest = await writeCheckpoint(store, 'job', 1, parts);
        expect(await store.listCheckpoints('job')).toEqual([manifest]);
        for (const [part, data] of Object.entries(parts)) expect(await store.readCheckpointPart('job', 1, part)).toBe(data);
      });

      it('does not list a torn checkpoint (parts without a manifest) and keeps the previous one', async () => {
        await writeCheckpoint(store, 'job', 1, { a: 'one' });
        await store.writeCheckpointPart('job', 2, 'a', 'two');
        expect(ids(await store.listCheckpoints('job'))).toEqual([1]);
      });

      it('does not list a checkpoint whose part was damaged, truncated or never written', async () => {
        await writeCheckpoint(store, 'job', 1, { a: 'good' });
        await writeCheckpoint(store, 'job', 2, { a: 'abcd', b: 'x' });
        await store.writeCheckpointPart('job', 2, 'a', 'abce'); // same size, other checksum
        await writeCheckpoint(store, 'job', 3, { a: 'abcd' });
        await store.writeCheckpointPart('job', 3, 'a', 'abc'); // truncated
        await store.writeCheckpointManifest(
          sealManifest({ jobId: 'job', checkpointId: 4, kind: 'checkpoint', triggeredAt: 0, completedAt: 1, parts: [describePart('gone', 'x')] }),
        );
        expect(ids(await store.listCheckpoints('job'))).toEqual([1]);
      });

      it('does not list a checkpoint whose manifest does not match its own checksum', async () => {
        const manifest = await writeCheckpoint(store, 'job', 1, { a: 'x' });
        await writeCheckpoint(store, 'job', 2, { a: 'y' });
        await store.writeCheckpointManifest({ ...manifest, checkpointId: 2, completedAt: 99 });
        expect(ids(await store.listCheckpoints('job'))).toEqual([1]);
        expect(manifestChecksum({ ...manifest, completedAt: 99 })).not.toBe(manifest.checksum);
      });

      it('lists checkpoints and savepoints newest first, per job', async () => {
        for (const id of [2, 10, 3]) await writeCheckpoint(store, 'job', id, { a: `${id}` });
        await writeCheckpoint(store, 'job', 7, { a: 'sp' }, 'savepoint');
        await writeCheckpoint(store, 'job2', 50, { a: 'other job' });
        await writeCheckpoint(store, 'jo', 60, { a: 'prefix of the job id' });
        const listed = await store.listCheckpoints('job');
        expect(ids(listed)).toEqual([10, 7, 3, 2]);
        expect(listed[1].kind).toBe('savepoint');
        expect(await store.listCheckpoints('nobody')).toEqual([]);
      });

      it('deletes a checkpoint with its parts, and deleting a missing one does nothing', async () => {
        await writeCheckpoint(store, 'job', 1, { a: 'one' });
        await writeCheckpoint(store, 'job', 2, { a: 'two', b: 'more' });
        await store.deleteCheckpoint('job', 2);
        await store.deleteCheckpoint('job', 42);
        expect(ids(await store.listCheckpoints('job'))).toEqual([1]);
        await expectRejection(store.readCheckpointPart('job', 2, 'b'), 'NotFoundError', 'readCheckpointPart', 'part "b"', 'checkpoint 2', 'job "job"');
        expect(await store.readCheckpointPart('job', 1, 'a')).toBe('one');
      });

      it('writes a checkpoint\'s parts and manifest in one call, sealing a manifest given as a function, and lists it', async () => {
        const parts = [{ name: 'a', data: 'one' }, { name: 'b', data: 'two' }];
        const seal = () => sealManifest({ jobId: 'job', checkpointId: 1, kind: 'checkpoint', triggeredAt: 0, completedAt: 0, parts: parts.map((p) => describePart(p.name, p.data)) });
        await store.writeCheckpoint('job', 1, seal, parts);
        expect(await store.listCheckpoints('job')).toEqual([seal()]);
        expect(await store.readCheckpointPart('job', 1, 'b')).toBe('two');
        await expectRejection(store.writeCheckpoint('job', 2, seal(), parts), 'DataError', 'writeCheckpoint', 'checkpoint 2 of job "job"', 'the manifest is of checkpoint 1');
        expect(ids(await store.listCheckpoints('job'))).toEqual([1]);
      });

      it('lists a checkpoint whose chain links live under an earlier checkpoint, only while they are intact', async () => {
        await writeCheckpoint(store, 'job', 1, { op: 'full', src: 'one' });
        const links = [{ ...describePart('op', 'full'), checkpointId: 1 }, { ...describePart('op', 'delta'), delta: true as const }, describePart('src', 'two')];
        await store.writeCheckpoint('job', 2, sealManifest({ jobId: 'job', checkpointId: 2, kind: 'checkpoint', triggeredAt: 0, completedAt: 0, parts: links }), [{ name: 'op', data: 'delta' }, { name: 'src', data: 'two' }]);
        expect(ids(await store.listCheckpoints('job'))).toEqual([2, 1]);
        // Checkpoint 1's manifest and its unlisted part go; the part checkpoint 2 builds on stays.
        await store.deleteCheckpoint('job', 1, ['op']);
        expect(ids(await store.listCheckpoints('job'))).toEqual([2]);
        await expectRejection(store.readCheckpointPart('job', 1, 'src'), 'NotFoundError');
        expect(await store.readCheckpointPart('job', 1, 'op')).toBe('full');
        await store.deleteCheckpoint('job', 1);
        expect(await store.listCheckpoints('job')).toEqual([]);
      });

      describe('parts written chunk by chunk', () => {
        it('lists the checkpoint with each part\'s chunks and reads every part back joined', async () => {
          const manifest = await writeChunked(store, 'job', 1, { big: ['{"a":[1,', '2,3', '],"b":"😀"}'], small: ['"x"'] });
          expect(manifest.parts.map((p) => [p.name, p.size, p.chunks?.map((c) => c.size)])).toEqual([['big', 22, [8, 3, 11]], ['small', 3, undefined]]);
          expect(await store.listCheckpoints('job')).toEqual([manifest]);
          expect(await store.readCheckpointPart('job', 1, 'big')).toBe('{"a":[1,2,3],"b":"😀"}');
          expect(await store.readCheckpointPart('job', 1, 'small')).toBe('"x"');
        });

        it('does not list a checkpoint with a damaged, missing or extra chunk, and keeps the previous one', async () => {
          await writeChunked(store, 'job', 1, { a: ['one', 'two'] });
          const chunks = describeChunkedPart('a', [{ size: 3, checksum: partChecksum('one') }, { size: 3, checksum: partChecksum('two') }]).chunks!;
          // Checkpoint 2 claims chunks "one","two" but stores "onetwO"; 3 stores one chunk too few; 4 one too many.
          const claim = (id: number) => sealManifest({ jobId: 'job', checkpointId: id, kind: 'checkpoint', triggeredAt: 0, completedAt: 0, parts: [{ name: 'a', size: 6, checksum: describeChunkedPart('a', chunks).checksum, chunks }] });
          await store.writeCheckpointChunks!('job', 2, claim(2), [chunked('a', ['one', 'twO'])]);
          await store.writeCheckpointChunks!('job', 3, claim(3), [chunked('a', ['one'])]);
          await store.writeCheckpointChunks!('job', 4, claim(4), [chunked('a', ['one', 'two', '!'])]);
          // 5: the chunk list itself altered (sizes 2 and 4 over the same six characters).
          const moved = [{ size: 2, checksum: partChecksum('on') }, { size: 4, checksum: partChecksum('etwo') }];
          await store.writeCheckpointChunks!('job', 5, sealManifest({ ...claim(5), parts: [{ name: 'a', size: 6, checksum: describeChunkedPart('a', chunks).checksum, chunks: moved }] }), [chunked('a', ['one', 'two'])]);
          expect(ids(await store.listCheckpoints('job'))).toEqual([1]);
        });

        it('rejects, having stored nothing, when a part\'s chunks cannot be produced', async () => {
          await writeChunked(store, 'job', 1, { a: ['one'] });
          const failing: ChunkedPart = { name: 'a', write: (put) => (put('tw'), put('o'), JSON.parse('{')) };
          const manifest = sealManifest({ jobId: 'job', checkpointId: 2, kind: 'checkpoint', triggeredAt: 0, completedAt: 0, parts: [describePart('a', 'two')] });
          await expect(store.writeCheckpointChunks!('job', 2, manifest, [failing])).rejects.toThrow();
          expect(ids(await store.listCheckpoints('job'))).toEqual([1]);
          await expectRejection(store.readCheckpointPart('job', 2, 'a'), 'NotFoundError');
        });

        it('writes a part again over its chunks, keeps a kept part\'s chunks and deletes the rest', async () => {
          await writeChunked(store, 'job', 1, { a: ['aa', 'bb', 'cc'], b: ['x', 'y'] });
          await writeChunked(store, 'job', 1, { a: ['AA', 'B'], b: ['z'] });
          expect(await store.readCheckpointPart('job', 1, 'a')).toBe('AAB');
          await store.writeCheckpointPart('job', 1, 'b', 'whole');
          expect(await store.readCheckpointPart('job', 1, 'b')).toBe('whole');
          await writeChunked(store, 'job', 2, { a: ['p', 'q'] });
          await store.deleteCheckpoint('job', 1, ['a']);
          expect(await store.readCheckpointPart('job', 1, 'a')).toBe('AAB');
          await expectRejection(store.readCheckpointPart('job', 1, 'b'), 'NotFoundError');
          await store.deleteCheckpoint('job', 1);
          await expectRejection(store.readCheckpointPart('job', 1, 'a'), 'NotFoundError');
          expect(await store.readCheckpointPart('job', 2, 'a')).toBe('pq');
        });
      });

      describe('checkpoints written as a stream of chunks (openCheckpointStream)', () => {
        /** Lets the event loop turn, as between two chunk messages: an IndexedDB transaction must outlive it. */
        const nextTask = () => new Promise((resolve) => setTimeout(resolve, 2));
        const described = (name: string, ...chunks: string[]) => describeChunkedPart(name, chunks.map((c) => ({ size: c.length, checksum: partChecksum(c) })));
        const manifestOf = (id: number, parts: CheckpointManifest['parts']) => sealManifest({ jobId: 'job', checkpointId: id, kind: 'checkpoint', triggeredAt: 0, completedAt: 0, parts });

        it('stores chunks arriving in separate tasks, then the manifest, and reads each part back joined (over chunks an earlier write left)', async () => {
          await writeChunked(store, 'job', 1, { a: ['old', 'er', 'rows'] });
          const stream = store.openCheckpointStream!('job', 1);
          for (const [name, chunk] of [['a', '{"x":'], ['a', '1}'], ['b', '"y"']] as const) {
            stream.put(name, chunk);
            await nextTask();
          }
          const manifest = manifestOf(1, [described('a', '{"x":', '1}'), described('b', '"y"')]);
          await stream.commit(manifest);
          expect(await store.listCheckpoints('job')).toEqual([manifest]);
          expect(await store.readCheckpointPart('job', 1, 'a')).toBe('{"x":1}');
          expect(await store.readCheckpointPart('job', 1, 'b')).toBe('"y"');
        });

        it('an aborted stream stores nothing, its commit rejects with the reason, and checkpoint 1 stays the latest', async () => {
          await writeCheckpoint(store, 'job', 1, { a: 'one' });
          const stream = store.openCheckpointStream!('job', 2);
          stream.put('a', 'tw');
          await nextTask();
          stream.abort('the writer vanished');
          await expectRejection(stream.commit(manifestOf(2, [describePart('a', 'tw')])), 'AbortError', 'checkpoint 2 of job "job"', 'the writer vanished');
          expect(ids(await store.listCheckpoints('job'))).toEqual([1]);
          await expectRejection(store.readCheckpointPart('job', 2, 'a'), 'NotFoundError');
        });

        it('refuses the manifest of another checkpoint with a DataError, storing nothing', async () => {
          const stream = store.openCheckpointStream!('job', 2);
          stream.put('a', 'two');
          await nextTask();
          await expectRejection(stream.commit(manifestOf(3, [describePart('a', 'two')])), 'DataError', 'the manifest is of checkpoint 3 of job "job"');
          expect(await store.listCheckpoints('job')).toEqual([]);
          await expectRejection(store.readCheckpointPart('job', 2, 'a'), 'NotFoundError');
        });
      });

      it('keeps text exactly, whatever its characters, and hands out copies of manifests', async () => {
        const data = 'e\u0301 ✓ 😀 \ud800 "quoted" \n';
        await writeCheckpoint(store, 'job', 1, { a: data });
        expect(await store.readCheckpointPart('job', 1, 'a')).toBe(data);
        const [listed] = await store.listCheckpoints('job');
        (listed as { kind: string }).kind = 'mutated';
        expect((await store.listCheckpoints('job'))[0].kind).toBe('checkpoint');
      });
    });

    describe('topics', () => {
      beforeEach(async () => {
        await store.createTopic('t', { partitions: 2 });
      });

      it('keeps a topic config; creating it again is a no-op unless the config differs', async () => {
        const config = { partitions: 3, retentionMs: 1000, retentionRecords: 10, compacted: true };
        await store.createTopic('c', config);
        await store.createTopic('c', { compacted: true, retentionRecords: 10, retentionMs: 1000, partitions: 3 });
        expect(await store.topicConfig('c')).toEqual(config);
        expect(await store.topicConfig('missing')).toBeUndefined();
        await expectRejection(store.createTopic('c', { partitions: 4 }), 'ConstraintError', 'createTopic', 'topic "c"');
        await expectRejection(store.createTopic('bad', { partitions: 0 }), 'DataError', 'partitions');
        expect(await store.topicConfig('bad')).toBeUndefined();
      });

      it('assigns dense offsets per partition across appends', async () => {
        expect(await store.endOffset('t', 0)).toBe(0);
        expect(await store.append('t', 0, [rec('a', 1), rec('b', 2)])).toBe(0);
        expect(await store.append('t', 0, [])).toBe(2);
        expect(await store.append('t', 0, [rec('c', 3)])).toBe(2);
        expect(await store.append('t', 1, [rec('z', 9)])).toBe(0);
        expect(await store.endOffset('t', 0)).toBe(3);
        expect(await store.endOffset('t', 1)).toBe(1);
        expect((await store.read('t', 0, 0, 10)).map((r) => [r.offset, r.key, r.timestamp])).toEqual([
          [0, 'a', 1],
          [1, 'b', 2],
          [2, 'c', 3],
        ]);
      });

      it('serialises concurrent appends to one partition without gaps or overlaps', async () => {
        const firsts = await Promise.all([
          store.append('t', 0, [rec('a', 1), rec('a', 2), rec('a', 3)]),
          store.append('t', 0, [rec('b', 4), rec('b', 5)]),
          store.append('t', 0, [rec('c', 6)]),
        ]);
        expect(firsts).toEqual([0, 3, 5]);
        expect((await store.read('t', 0, 0, 100)).map((r) => `${r.offset}${r.key}`)).toEqual(['0a', '1a', '2a', '3b', '4b', '5c']);
      });

      it('reads ranges: from an offset, at most max records, values copied', async () => {
        await store.append('t', 0, [0, 1, 2, 3, 4].map((i) => rec(i % 2 === 0 ? null : 'k', i * 10, { n: i, tags: ['x'] })));
        expect((await store.read('t', 0, 2, 2)).map((r) => r.offset)).toEqual([2, 3]);
        expect((await store.read('t', 0, -5, 1)).map((r) => r.offset)).toEqual([0]);
        expect(await store.read('t', 0, 5, 10)).toEqual([]);
        expect(await store.read('t', 0, 0, 0)).toEqual([]);
        expect(await store.read('t', 0, 3, Number.POSITIVE_INFINITY)).toHaveLength(2);
        const [first] = await store.read('t', 0, 0, 1);
        expect(first).toEqual({ offset: 0, key: null, value: { n: 0, tags: ['x'] }, timestamp: 0 });
        (first.value as { n: number }).n = 99;
        expect((await store.read('t', 0, 0, 1))[0].value).toEqual({ n: 0, tags: ['x'] });
      });

      it('rejects unknown topics and partitions with NotFoundError, naming them', async () => {
        await expectRejection(store.append('nope', 0, [rec('a', 1)]), 'NotFoundError', 'append', 'topic "nope"');
        await expectRejection(store.append('t', 2, [rec('a', 1)]), 'NotFoundError', 'topic "t" partition 2');
        await expectRejection(store.read('t', -1, 0, 1), 'NotFoundError', 'read', 'partition -1');
        await expectRejection(store.endOffset('nope', 0), 'NotFoundError', 'endOffset');
        await expectRejection(store.compact('nope'), 'NotFoundError', 'compact', 'topic "nope"');
        await expectRejection(store.read('t', 0, Number.NaN, 1), 'DataError', 'read', 'fromOffset');
        expect(await store.endOffset('t', 0)).toBe(0);
      });

      it('retention by time deletes records older than retentionMs before the newest, keeping offsets', async () => {
        await store.createTopic('r', { partitions: 1, retentionMs: 100 });
        await store.append('r', 0, [0, 50, 99, 100, 150, 200].map((ts) => rec('k', ts)));
        await store.compact('r');
        // The newest is 200: 0, 50 and 99 are more than 100 ms older; 100 is exactly 100 ms older and stays.
        expect((await store.read('r', 0, 0, 10)).map((r) => [r.offset, r.timestamp])).toEqual([
          [3, 100],
          [4, 150],
          [5, 200],
        ]);
        expect(await store.endOffset('r', 0)).toBe(6);
        expect(await store.append('r', 0, [rec('k', 201)])).toBe(6);
      });

      it('retention by time deletes a prefix only: an old record behind a younger one waits', async () => {
        await store.createTopic('r', { partitions: 1, retentionMs: 100 });
        await store.append('r', 0, [rec('a', 0), rec('b', 500), rec('c', 10), rec('d', 520)]);
        await store.compact('r');
        expect((await store.read('r', 0, 0, 10)).map((r) => r.key)).toEqual(['b', 'c', 'd']);
      });

      it('retention by count keeps the newest retentionRecords records per partition', async () => {
        await store.createTopic('r', { partitions: 2, retentionRecords: 2 });
        await store.append('r', 0, [1, 2, 3, 4, 5].map((ts) => rec(null, ts)));
        await store.append('r', 1, [rec(null, 1)]);
        await store.compact('r');
        expect((await store.read('r', 0, 0, 10)).map((r) => r.offset)).toEqual([3, 4]);
        expect((await store.read('r', 1, 0, 10)).map((r) => r.offset)).toEqual([0]);
        await store.createTopic('none', { partitions: 1, retentionRecords: 0 });
        await store.append('none', 0, [rec('a', 1), rec('b', 2)]);
        await store.compact('none');
        expect(await store.read('none', 0, 0, 10)).toEqual([]);
        expect(await store.endOffset('none', 0)).toBe(2);
      });

      it('compaction keeps the latest record per key and every null-key record; reads skip the gaps', async () => {
        await store.createTopic('c', { partitions: 1, compacted: true });
        await store.append('c', 0, [rec('a', 1, 'a1'), rec(1, 2, 'n1'), rec(null, 3, 'x'), rec('1', 4, 's1')]);
        await store.append('c', 0, [rec('a', 5, 'a2'), rec(1, 6, 'n2'), rec(null, 7, 'y'), rec('b', 8, 'b1')]);
        await store.compact('c');
        const kept = await store.read('c', 0, 0, 10);
        expect(kept.map((r) => [r.offset, r.key, r.value])).toEqual([
          [2, null, 'x'],
          [3, '1', 's1'],
          [4, 'a', 'a2'],
          [5, 1, 'n2'],
          [6, null, 'y'],
          [7, 'b', 'b1'],
        ]);
        expect((await store.read('c', 0, 0, 2)).map((r) => r.offset)).toEqual([2, 3]);
        expect((await store.read('c', 0, 1, 1)).map((r) => r.offset)).toEqual([2]);
        await store.compact('c');
        expect(await store.read('c', 0, 0, 10)).toEqual(kept);
        // A later compaction also removes records compacted before that a new record supersedes.
        expect(await store.append('c', 0, [rec('a', 9, 'a3'), rec(null, 10, 'z'), rec('c', 11, 'c1')])).toBe(8);
        await store.compact('c');
        expect((await store.read('c', 0, 0, 20)).map((r) => r.offset)).toEqual([2, 3, 5, 6, 7, 8, 9, 10]);
      });

      it('compacts first, then applies retention to what is left', async () => {
        await store.createTopic('c', { partitions: 1, compacted: true, retentionMs: 100 });
        await store.append('c', 0, [rec('k1', 0), rec('a', 150), rec('k2', 10), rec('a', 200)]);
        await store.compact('c');
        // Compaction removes a@150 first, so k2@10 is no longer behind a younger record and expires.
        expect((await store.read('c', 0, 0, 10)).map((r) => r.offset)).toEqual([3]);

        await store.createTopic('d', { partitions: 1, compacted: true, retentionRecords: 1, retentionMs: 1000 });
        await store.append('d', 0, [rec('a', 0), rec('b', 10), rec('a', 20), rec(null, 30), rec('c', 2000), rec('b', 2010)]);
        await store.compact('d');
        // Compaction leaves a@2, null@3, c@4, b@5; time drops a@2 and null@3; count keeps b@5.
        expect((await store.read('d', 0, 0, 10)).map((r) => r.offset)).toEqual([5]);
      });

      it('compact on a topic without retention or compaction deletes nothing', async () => {
        await store.append('t', 0, [rec('a', 0), rec('a', 100000)]);
        await store.compact('t');
        expect(await store.read('t', 0, 0, 10)).toHaveLength(2);
      });
    });

    describe('sinks', () => {
      it('shows appended records in order; an unknown sink is empty', async () => {
        await store.sinkAppend('s', [w('a', 1), w(null, 2)]);
        await store.sinkAppend('s', []);
        await store.sinkAppend('s', [w('a', 3, 7)]);
        await store.sinkAppend('other', [w('z', 0)]);
        expect(await store.sinkRead('s')).toEqual([w('a', 1), w(null, 2), w('a', 3, 7)]);
        expect(await store.sinkRead('unknown')).toEqual([]);
      });

      it('upserts: latest value per key, in the order keys were first written', async () => {
        await store.sinkUpsert('u', [w('b', 1), w('a', 1), w(1, 'number one')]);
        await store.sinkUpsert('u', [w('a', 2, 5), w('1', 'string one'), w('b', 2), w('b', 3)]);
        expect(await store.sinkRead('u')).toEqual([w('b', 3), w('a', 2, 5), w(1, 'number one'), w('1', 'string one')]);
      });

      it('rejects an upsert without a key, writing nothing of the batch', async () => {
        await expectRejection(store.sinkUpsert('u', [w('a', 1), w(null, 2)]), 'DataError', 'sinkUpsert', 'sink "u"');
        expect(await store.sinkRead('u')).toEqual([]);
      });

      it('keeps staged records invisible until commit, then appends them in commit order', async () => {
        await store.sinkAppend('s', [w('a', 'before')]);
        await store.sinkStage('s', 'tx-1', [w('k', 1), w('k', 2)]);
        await store.sinkStage('s', 'tx-2', [w('k', 3)]);
        await store.sinkStage('s', 'tx-1', [w('k', 4)]);
        await store.sinkAppend('s', [w('a', 'between')]);
        expect(await store.sinkRead('s')).toEqual([w('a', 'before'), w('a', 'between')]);
        await store.sinkCommit('s', 'tx-2');
        await store.sinkCommit('s', 'tx-1');
        expect((await store.sinkRead('s')).map((r) => r.value)).toEqual(['before', 'between', 3, 1, 2, 4]);
      });

      it('aborting discards a transaction; committing twice or after an abort does nothing', async () => {
        await store.sinkStage('s', 'tx-1', [w('k', 1)]);
        await store.sinkStage('s', 'tx-2', [w('k', 2)]);
        await store.sinkStage('t', 'tx-1', [w('k', 'other sink')]);
        await store.sinkAbort('s', 'tx-1');
        await store.sinkCommit('s', 'tx-1');
        await store.sinkCommit('s', 'tx-2');
        await store.sinkCommit('s', 'tx-2');
        await store.sinkAbort('s', 'never-staged');
        expect(await store.sinkRead('s')).toEqual([w('k', 2)]);
        await store.sinkCommit('t', 'tx-1');
        expect(await store.sinkRead('t')).toEqual([w('k', 'other sink')]);
      });

      it('deleteJob forgets a job\'s checkpoints (torn ones too) and its sinks\' records, and nothing else', async () => {
        await writeCheckpoint(store, 'job', 1, { a: 'one' });
        await store.writeCheckpointPart('job', 2, 'a', 'torn');
        await writeCheckpoint(store, 'job2', 5, { a: 'other job' });
        await writeCheckpoint(store, 'jo', 6, { a: 'prefix of the job id' });
        await store.sinkAppend('s', [w('a', 'visible')]);
        await store.sinkUpsert('s', [w('k', 'upserted')]);
        await store.sinkStage('s', 'tx-1', [w('k', 'staged')]);
        await store.sinkAppend('s2', [w('a', 'another sink')]);
        await store.sinkAppend('other', [w('a', 'not named')]);
        await store.createTopic('t', { partitions: 1 });
        await store.append('t', 0, [rec('k', 1)]);
        await store.deleteJob('job', ['s', 's2', 'never-written']);
        expect(await store.listCheckpoints('job')).toEqual([]);
        await expectRejection(store.readCheckpointPart('job', 2, 'a'), 'NotFoundError', 'readCheckpointPart');
        expect(ids(await store.listCheckpoints('job2'))).toEqual([5]);
        expect(ids(await store.listCheckpoints('jo'))).toEqual([6]);
        expect(await store.sinkRead('s')).toEqual([]);
        expect(await store.sinkRead('s2')).toEqual([]);
        await store.sinkCommit('s', 'tx-1');
        expect(await store.sinkRead('s')).toEqual([]);
        expect(await store.sinkRead('other')).toEqual([w('a', 'not named')]);
        expect((await store.read('t', 0, 0, 10)).map((r) => r.value)).toEqual(['k@1']);
        await store.deleteJob('nobody', []);
      });

      it('hands out copies of sink records', async () => {
        await store.sinkAppend('s', [w('a', { n: 1 })]);
        const [read] = await store.sinkRead('s');
        (read.value as { n: number }).n = 2;
        expect(await store.sinkRead('s')).toEqual([w('a', { n: 1 })]);
      });
    });
  });
}
