// Binary parts in IndexedDB (fake-indexeddb here; real Chromium in the durability benchmark and
// the e2e crash tests): a part whose entry lists are typed columns is stored a row per chunk,
// read back as the same chunks, verified chunk by chunk when listed, and a damaged chunk makes
// its checkpoint unlisted, as a damaged text part does.

import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { describePart, sealManifest } from '../../src/engine/checkpoint/checksum.ts';
import type { CheckpointManifest } from '../../src/engine/checkpoint/durable-store.ts';
import { decodePart, encodePart, type PartData } from '../../src/engine/checkpoint/part-data.ts';
import { persistSnapshot, readSnapshot } from '../../src/engine/checkpoint/store-io.ts';
import { jobWithKeyedState } from '../../src/cli/bench/snapshot-job.ts';
import { IdbDurableStore } from '../../src/storage/idb-store.ts';

const value = (n: number, scale = 1) => ({ finished: false, state: [{ table: 'total', entries: Array.from({ length: n }, (_, k) => [`k${k}`, null, k * scale]) }] });
const manifestOf = (checkpointId: number, parts: readonly { name: string; data: PartData }[]): CheckpointManifest =>
  sealManifest({ jobId: 'job', checkpointId, kind: 'checkpoint', triggeredAt: 0, completedAt: 0, parts: parts.map((p) => describePart(p.name, p.data)) });

async function open(factory = new IDBFactory()) {
  return { factory, store: await IdbDurableStore.open('binary', { indexedDB: factory }) };
}

describe('binary parts in IndexedDB', () => {
  it('are stored a row per chunk and read back as the same chunks', async () => {
    const { store } = await open();
    const data = encodePart(value(5000), { chunkChars: 16_384 });
    const parts = [{ name: 'p#0', data }, { name: 'job', data: '{"t":1}' }];
    await store.writeCheckpoint('job', 1, manifestOf(1, parts), parts);
    expect((await store.listCheckpoints('job')).map((m) => m.checkpointId)).toEqual([1]);
    expect(await store.readCheckpointPart('job', 1, 'p#0')).toEqual(data);
    expect(await store.readCheckpointPart('job', 1, 'job')).toBe('{"t":1}');
    expect(decodePart(await store.readCheckpointPart('job', 1, 'p#0'))).toEqual(value(5000));
  });

  it('a checkpoint written chunk by chunk (persistSnapshot) restores exactly job.snapshot()\'s parts', async () => {
    const { store } = await open();
    const expected = jobWithKeyedState(20_000, 1).snapshot(1);
    expect(typeof expected.parts[0]!.data).toBe('object');
    const { manifest } = await persistSnapshot(store, 'job', jobWithKeyedState(20_000, 1).snapshotDeferred(1));
    expect(await store.listCheckpoints('job')).toEqual([manifest]);
    expect((await readSnapshot(store, manifest, 1)).parts).toEqual(expected.parts);
  });

  it('a damaged chunk row leaves its checkpoint unlisted and the one before it the latest', async () => {
    const { factory, store } = await open();
    const first = [{ name: 'p#0', data: encodePart(value(3000), { chunkChars: 8192 }) }];
    const second = [{ name: 'p#0', data: encodePart(value(3000, 2), { chunkChars: 8192 }) }];
    await store.writeCheckpoint('job', 1, manifestOf(1, first), first);
    await store.writeCheckpoint('job', 2, manifestOf(2, second), second);
    expect((await store.listCheckpoints('job')).map((m) => m.checkpointId)).toEqual([2, 1]);
    store.close();
    // Flip one byte of checkpoint 2's first chunk row (the rows segment) behind the store's back.
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = factory.open('binary');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction('checkpointParts', 'readwrite');
      const rows = tx.objectStore('checkpointParts');
      const get = rows.get(['job', 2, 'p#0']);
      get.onsuccess = () => {
        const row = get.result as { data: Uint8Array };
        if (row.data.byteLength < 1000) throw new Error('expected the rows segment in the first chunk');
        row.data[500] ^= 1;
        rows.put(row);
      };
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
    const reopened = await IdbDurableStore.open('binary', { indexedDB: factory });
    expect((await reopened.listCheckpoints('job')).map((m) => m.checkpointId)).toEqual([1]);
    reopened.close();
  });

  it('a part written again with fewer chunks leaves none of the earlier chunks behind', async () => {
    const { store } = await open();
    const long = [{ name: 'p#0', data: encodePart(value(6000), { chunkChars: 8192 }) }];
    const short = [{ name: 'p#0', data: encodePart(value(100), { chunkChars: 8192 }) }];
    await store.writeCheckpoint('job', 1, manifestOf(1, long), long);
    await store.writeCheckpoint('job', 1, manifestOf(1, short), short);
    expect(await store.readCheckpointPart('job', 1, 'p#0')).toEqual(short[0]!.data);
    expect((await store.listCheckpoints('job')).map((m) => m.checkpointId)).toEqual([1]);
  });
});
