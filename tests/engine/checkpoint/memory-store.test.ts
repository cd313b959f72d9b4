// The in-memory DurableStore: the shared contract, its simulated faults (failNext, a byte
// quota) that the fault-matrix tests build on, and the checksums every store verifies with.

import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  checkpointIntact,
  checksum,
  describePart,
  manifestChecksum,
  sealManifest,
} from '../../../src/engine/checkpoint/checksum.ts';
import { MemoryDurableStore, StorageError, retainedRecords } from '../../../src/engine/checkpoint/memory-store.ts';
import { durableStoreContract, expectRejection, writeCheckpoint } from './durable-store-contract.ts';

durableStoreContract('MemoryDurableStore', () => new MemoryDurableStore());

describe('MemoryDurableStore faults', () => {
  const quota = (message = 'simulated') => ({ name: 'QuotaExceededError', message });

  it('failNext rejects the next call of a method with the error name, naming what failed, and writes nothing', async () => {
    const store = new MemoryDurableStore();
    await store.createTopic('t', { partitions: 1 });
    store.failNext('append', quota('disk full'));
    await expectRejection(store.append('t', 0, [{ key: 'a', value: 1, timestamp: 0 }]), 'QuotaExceededError', 'append', 'topic "t" partition 0', 'disk full');
    expect(await store.endOffset('t', 0)).toBe(0);
    expect(await store.append('t', 0, [{ key: 'a', value: 1, timestamp: 0 }])).toBe(0);
  });

  it('failNext can let calls succeed first, and queues faults per method in order', async () => {
    const store = new MemoryDurableStore();
    store.failNext('writeCheckpointPart', quota(), 2);
    store.failNext('writeCheckpointPart', { name: 'AbortError', message: 'crash' });
    store.failNext('sinkCommit', { name: 'AbortError', message: 'x' });
    await store.writeCheckpointPart('job', 1, 'a', 'x');
    await store.writeCheckpointPart('job', 1, 'b', 'x');
    await expectRejection(store.writeCheckpointPart('job', 1, 'c', 'x'), 'QuotaExceededError', 'part "c" of checkpoint 1 of job "job"');
    await expectRejection(store.writeCheckpointPart('job', 1, 'd', 'x'), 'AbortError', 'crash');
    await store.writeCheckpointPart('job', 1, 'e', 'x');
    await expectRejection(store.sinkCommit('s', 'tx'), 'AbortError', 'sinkCommit', 'transaction "tx" of sink "s"');
  });

  it('a failed part write leaves the previous checkpoint the latest complete one', async () => {
    const store = new MemoryDurableStore();
    await writeCheckpoint(store, 'job', 1, { a: 'one', b: 'one' });
    store.failNext('writeCheckpointPart', quota(), 1);
    await expectRejection(writeCheckpoint(store, 'job', 2, { a: 'two', b: 'two' }), 'QuotaExceededError');
    expect((await store.listCheckpoints('job')).map((m) => m.checkpointId)).toEqual([1]);
  });

  it('rejects writes over quotaBytes with QuotaExceededError, atomically, and frees space on delete', async () => {
    const store = new MemoryDurableStore({ quotaBytes: 200 });
    await store.writeCheckpointPart('job', 1, 'a', 'x'.repeat(150));
    expect(store.usedBytes).toBe(150);
    await expectRejection(store.writeCheckpointPart('job', 2, 'a', 'y'.repeat(60)), 'QuotaExceededError', 'over the quota of 200');
    await expectRejection(store.readCheckpointPart('job', 2, 'a'), 'NotFoundError');
    await store.writeCheckpointPart('job', 1, 'a', 'x'.repeat(10)); // overwriting frees the difference
    expect(store.usedBytes).toBe(10);
    await store.createTopic('t', { partitions: 1, retentionRecords: 0 });
    const big = Array.from({ length: 10 }, (_, i) => ({ key: null, value: 'v'.repeat(10), timestamp: i }));
    await expectRejection(store.append('t', 0, big), 'QuotaExceededError', 'append');
    expect(await store.endOffset('t', 0)).toBe(0);
    await store.append('t', 0, big.slice(0, 2));
    await store.compact('t');
    await store.deleteCheckpoint('job', 1);
    expect(store.usedBytes).toBe(0);
  });

  it('counts staged, committed, aborted and upserted sink records against the quota', async () => {
    const store = new MemoryDurableStore({ quotaBytes: 1000 });
    await store.sinkStage('s', 'tx', [{ key: 'a', value: 1, timestamp: 0 }]);
    const staged = store.usedBytes;
    await store.sinkCommit('s', 'tx');
    expect(store.usedBytes).toBe(staged);
    await store.sinkStage('s', 'tx2', [{ key: 'a', value: 1, timestamp: 0 }]);
    await store.sinkAbort('s', 'tx2');
    expect(store.usedBytes).toBe(staged);
    await store.sinkUpsert('u', [{ key: 'k', value: 1, timestamp: 0 }]);
    const once = store.usedBytes;
    await store.sinkUpsert('u', [{ key: 'k', value: 2, timestamp: 0 }]);
    expect(store.usedBytes).toBe(once);
  });

  it('rejects values that cannot be cloned, as IndexedDB does', async () => {
    const store = new MemoryDurableStore();
    await expectRejection(store.sinkAppend('s', [{ key: 'a', value: () => 1, timestamp: 0 }]), 'DataCloneError', 'sinkAppend');
    expect(await store.sinkRead('s')).toEqual([]);
  });

  it('StorageError carries a name, a message and the cause', () => {
    const cause = new Error('inner');
    const error = new StorageError('AbortError', 'outer', cause);
    expect(error).toBeInstanceOf(Error);
    expect([error.name, error.message, error.cause]).toEqual(['AbortError', 'outer', cause]);
  });
});

describe('retainedRecords (the retention and compaction policy)', () => {
  const records = (...specs: [string | null, number][]) => specs.map(([key, timestamp]) => ({ key, timestamp }));

  it('keeps everything without a policy, and nothing of an empty partition', () => {
    const all = records(['a', 1], ['a', 2]);
    expect(retainedRecords(all, { partitions: 1 })).toEqual(all);
    expect(retainedRecords([], { partitions: 1, compacted: true, retentionRecords: 0 })).toEqual([]);
  });

  it('measures age from the record with the highest offset, not the largest timestamp', () => {
    const all = records(['a', 1000], ['b', 0]);
    expect(retainedRecords(all, { partitions: 1, retentionMs: 10 })).toEqual(all);
  });
});

describe('checksums', () => {
  it('is FNV-1a 64-bit over UTF-8 (published test vectors)', () => {
    expect(checksum('')).toBe('cbf29ce484222325');
    expect(checksum('a')).toBe('af63dc4c8601ec8c');
    expect(checksum('foobar')).toBe('85944171f73967e8');
  });

  it('encodes non-ASCII text as UTF-8, lone surrogates as U+FFFD', () => {
    expect(checksum('é')).toBe(checksum('\u00e9'));
    expect(checksum('€')).not.toBe(checksum('\u20ac\u0000'));
    expect(checksum('😀')).not.toBe(checksum('\ud83d'));
    expect(checksum('\ud800')).toBe(checksum('\ufffd'));
    expect(checksum('x'.repeat(100_000))).toMatch(/^[0-9a-f]{16}$/);
  });

  it('canonical JSON ignores field order at every level but not array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: undefined } })).toBe('{"a":{"d":[2,1]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('a manifest checksum covers every field but itself', () => {
    const fields = { jobId: 'j', checkpointId: 3, kind: 'checkpoint' as const, triggeredAt: 1, completedAt: 2, parts: [describePart('p', 'data')] };
    const manifest = sealManifest(fields);
    expect(manifestChecksum(manifest)).toBe(manifest.checksum);
    for (const changed of [{ checkpointId: 4 }, { completedAt: 3 }, { kind: 'savepoint' as const }, { parts: [describePart('p', 'date')] }]) {
      expect(manifestChecksum({ ...fields, ...changed })).not.toBe(manifest.checksum);
    }
    expect(checkpointIntact(manifest, (name) => (name === 'p' ? 'data' : undefined))).toBe(true);
    expect(checkpointIntact(manifest, () => 'date')).toBe(false);
    expect(checkpointIntact(manifest, () => undefined)).toBe(false);
  });
});
