// persistSnapshot (store-io.ts): the driver's checkpoint write. A deferred snapshot is encoded
// chunk by chunk into the store (a put per chunk), an encoded one is cut into chunks; either way
// a restore reads back exactly the parts job.snapshot() encodes, the manifest lists a large
// part's chunks, and a store without writeCheckpointChunks (the store worker's RPC) gets whole
// parts and a manifest as before chunked writes.

import { describe, expect, it } from 'vitest';
import { sealManifest } from '../../../src/engine/checkpoint/checksum.ts';
import type { DurableStore } from '../../../src/engine/checkpoint/durable-store.ts';
import { chainLinks } from '../../../src/engine/checkpoint/incremental-chain.ts';
import { MemoryDurableStore } from '../../../src/engine/checkpoint/memory-store.ts';
import { SNAPSHOT_CHUNK_CHARS } from '../../../src/engine/checkpoint/snapshot-codec.ts';
import { partSize, partText } from '../../../src/engine/checkpoint/part-data.ts';
import { persistCheckpoint, persistSnapshot, readSnapshot } from '../../../src/engine/checkpoint/store-io.ts';
import { jobWithKeyedState } from '../../../src/cli/bench/snapshot-job.ts';

/** 30,000 keys: the keyed part is about 450 K characters of text, or 240 K bytes as binary columns (two chunks). */
const KEYS = 30_000;

/** The store's checkpoint calls without writeCheckpointChunks, as the store worker's RPC offers them. */
function wholePartsOnly(inner: MemoryDurableStore): DurableStore {
  return {
    writeCheckpoint: (...a) => inner.writeCheckpoint(...a),
    listCheckpoints: (...a) => inner.listCheckpoints(...a),
    readCheckpointPart: (...a) => inner.readCheckpointPart(...a),
  } as Partial<DurableStore> as DurableStore;
}

describe('persistSnapshot', () => {
  it('encodes a deferred snapshot chunk by chunk, and a restore reads back exactly job.snapshot()\'s parts', async () => {
    const store = new MemoryDurableStore();
    const expected = jobWithKeyedState(KEYS, 1).snapshot(1);
    const { manifest, snapshot } = await persistSnapshot(store, 'job', jobWithKeyedState(KEYS, 1).snapshotDeferred(1));
    expect(snapshot.parts).toEqual(expected.parts);
    const big = manifest.parts.find((p) => p.name.startsWith('process'))!;
    expect(big.size).toBe(partSize(expected.parts.find((p) => p.name === big.name)!.data));
    expect(big.chunks!.length).toBe(2);
    expect(big.chunks!.slice(0, -1).every((c) => c.size >= SNAPSHOT_CHUNK_CHARS)).toBe(true);
    expect(manifest.parts.filter((p) => p !== big).every((p) => p.chunks === undefined)).toBe(true);
    expect(await store.listCheckpoints('job')).toEqual([manifest]);
    expect((await readSnapshot(store, manifest, 1)).parts).toEqual(expected.parts);
  });

  it('cuts a text part into chunks of SNAPSHOT_CHUNK_CHARS', async () => {
    const store = new MemoryDurableStore();
    const binary = jobWithKeyedState(KEYS, 1).snapshot(1);
    const s = { ...binary, parts: binary.parts.map((p) => ({ name: p.name, data: partText(p.data) })) };
    const manifest = await persistCheckpoint(store, 'job', s);
    const big = manifest.parts.find((p) => p.chunks !== undefined)!;
    expect(big.chunks!.map((c) => c.size)).toEqual([...Array.from({ length: Math.floor(big.size / SNAPSHOT_CHUNK_CHARS) }, () => SNAPSHOT_CHUNK_CHARS), big.size % SNAPSHOT_CHUNK_CHARS]);
    expect((await readSnapshot(store, (await store.listCheckpoints('job'))[0]!, 1)).parts).toEqual(s.parts);
  });

  it('hands a store without writeCheckpointChunks whole parts and the manifest it always had', async () => {
    const inner = new MemoryDurableStore();
    const expected = jobWithKeyedState(KEYS, 1).snapshot(1);
    const { manifest } = await persistSnapshot(wholePartsOnly(inner), 'job', jobWithKeyedState(KEYS, 1).snapshotDeferred(1));
    expect(manifest).toEqual(sealManifest({ jobId: 'job', checkpointId: 1, kind: 'checkpoint', triggeredAt: expected.time, completedAt: expected.time, parts: chainLinks(expected, () => undefined) }));
    // Text parts whole; the binary part as its chunks, which its manifest entry lists.
    expect(manifest.parts.map((p) => p.chunks?.length)).toEqual(expected.parts.map((p) => (typeof p.data === 'string' ? undefined : p.data.chunks.length)));
    expect(typeof expected.parts[0]!.data).toBe('object');
    expect(await inner.readCheckpointPart('job', 1, expected.parts[0]!.name)).toEqual(expected.parts[0]!.data);
  });

  it('fails the checkpoint with the quota\'s QuotaExceededError, keeping the previous one', async () => {
    const store = new MemoryDurableStore({ quotaBytes: 300_000 });
    await persistSnapshot(store, 'job', jobWithKeyedState(10, 1).snapshotDeferred(1));
    const error = await persistSnapshot(store, 'job', jobWithKeyedState(KEYS * 2, 1).snapshotDeferred(2)).then(() => undefined, (e: unknown) => e as Error);
    expect(error?.name).toBe('QuotaExceededError');
    expect(error?.message).toContain('writeCheckpoint on checkpoint 2 of job "job"');
    expect((await store.listCheckpoints('job')).map((m) => m.checkpointId)).toEqual([1]);
  });
});
