// Checkpoints written chunk by chunk across the store RPC, as the sandbox's engine worker writes
// them to the store worker: the sandbox posts each chunk as it encodes it, the trusted side
// checksums and puts it into one IndexedDB transaction (fake-indexeddb here) and commits the
// manifest last. What is written equals a direct write; a malformed or broken stream, a full
// disk and a sandbox that vanishes mid-stream leave the previous checkpoint the latest.

import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { describeChunkedPart, describePart, partChecksum, sealManifest } from '../../src/engine/checkpoint/checksum.ts';
import { chunksOf, decodePart, encodePart, partText } from '../../src/engine/checkpoint/part-data.ts';
import type { CheckpointManifest, DurableStore, ManifestPart } from '../../src/engine/checkpoint/durable-store.ts';
import { MemoryDurableStore } from '../../src/engine/checkpoint/memory-store.ts';
import { persistSnapshot } from '../../src/engine/checkpoint/store-io.ts';
import { jobWithKeyedState } from '../../src/cli/bench/snapshot-job.ts';
import { IdbDurableStore } from '../../src/storage/idb-store.ts';
import { RemoteDurableStore, serveStore, type StopServing } from '../../src/worker/store-rpc.ts';
import { expectRejection, writeCheckpoint } from '../engine/checkpoint/durable-store-contract.ts';
import { watchTransactions as watchAll } from './transaction-watch.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).reverse().forEach((undo) => undo()));

/** A store served on a MessageChannel, its sandbox-side proxy and the raw sandbox port. */
async function served(options: { idleMillis?: number } = {}) {
  const store = await IdbDurableStore.open('brook-job-test', { indexedDB: new IDBFactory() });
  const channel = new MessageChannel();
  const stop: StopServing = serveStore(channel.port1, store, options);
  cleanups.push(() => {
    stop();
    channel.port1.close();
    channel.port2.close();
    store.close();
  });
  return { store, remote: new RemoteDurableStore(channel.port2), port: channel.port2, stop };
}

/** Sends raw messages on the sandbox's port and collects the replies to the given ids. */
function rawSandbox(port: MessagePort) {
  const replies = new Map<number, unknown>();
  port.addEventListener('message', (e: MessageEvent) => replies.set((e.data as { id: number }).id, e.data));
  return {
    send: (message: unknown) => port.postMessage(message),
    reply: async (id: number) => {
      for (let i = 0; i < 200 && !replies.has(id); i++) await new Promise((resolve) => setTimeout(resolve, 5));
      return replies.get(id);
    },
  };
}

const ids = async (store: IdbDurableStore) => (await store.listCheckpoints('job')).map((m) => m.checkpointId);

/** Patches fake-indexeddb's put on checkpoint rows: the `nth` one aborts its transaction as a full disk does. */
function fullDiskAtPut(nth: number): void {
  const proto = IDBObjectStore.prototype as unknown as { put: (...args: unknown[]) => IDBRequest };
  const put = proto.put;
  let calls = 0;
  proto.put = function (this: IDBObjectStore, ...args: unknown[]) {
    const request = put.apply(this, args);
    if (this.name === 'checkpointParts' && ++calls === nth) (this.transaction as unknown as { _abort(name: string): void })._abort('QuotaExceededError');
    return request;
  };
  cleanups.push(() => (proto.put = put));
}

/** Watches every transaction opened from now on (until the test ends); `open()` counts those not finished. */
function watchTransactions() {
  const watch = watchAll();
  cleanups.push(watch.stop);
  return watch;
}

const chunks = (...texts: string[]) => texts.map((t) => ({ size: t.length, checksum: partChecksum(t) }));
/** How the sandbox lists a part it streamed: the store worker fills in its description. */
const placeholderOf = (name: string): ManifestPart => ({ name, size: 0, checksum: 'streamed' });
const manifestFor = (checkpointId: number, parts: readonly ManifestPart[]): CheckpointManifest =>
  sealManifest({ jobId: 'job', checkpointId, kind: 'checkpoint', triggeredAt: 0, completedAt: 0, parts });

describe('checkpoint streams over the store RPC', () => {
  it('a snapshot persisted through the RPC is written chunk by chunk with the manifest and parts of a direct IndexedDB write', async () => {
    const { store, remote } = await served();
    const direct = await IdbDurableStore.open('direct', { indexedDB: new IDBFactory() });
    cleanups.push(() => direct.close());
    // 20,000 keys: the keyed part is ~160 K bytes of binary columns, two chunks (a chunk ends at
    // the first slice of 4,096 entries past 128 K).
    const viaRpc = await persistSnapshot(remote, 'job', jobWithKeyedState(20_000, 1).snapshotDeferred(1));
    const straight = await persistSnapshot(direct, 'job', jobWithKeyedState(20_000, 1).snapshotDeferred(1));
    expect(viaRpc.manifest).toEqual(straight.manifest);
    expect(Math.max(...viaRpc.manifest.parts.map((p) => p.chunks?.length ?? 1))).toBe(2);
    expect(await store.listCheckpoints('job')).toEqual([straight.manifest]);
    for (const part of straight.snapshot.parts) expect(await store.readCheckpointPart('job', 1, part.name)).toEqual(part.data);
  });

  it('an encoded snapshot (a barrier checkpoint) goes the same way: binary parts chunk by chunk, text cut into chunks of 128 K', async () => {
    const { store, remote } = await served();
    const snapshot = jobWithKeyedState(20_000, 1).snapshot(1);
    const { manifest } = await persistSnapshot(remote, 'job', snapshot);
    const largest = manifest.parts.reduce((a, b) => (b.size > a.size ? b : a));
    const binary = snapshot.parts.find((p) => p.name === largest.name)!.data;
    expect(largest.chunks?.map((c) => c.size)).toEqual(chunksOf(binary).map((c) => (c as Uint8Array).byteLength));
    expect(await ids(store)).toEqual([1]);
    expect(await store.readCheckpointPart('job', 1, largest.name)).toEqual(binary);
    // The same part as text (as a savepoint file carries it) is cut into chunks of 128 K characters.
    const text = { ...snapshot, checkpointId: 2, parts: snapshot.parts.map((p) => ({ name: p.name, data: partText(p.data) })) };
    const written = await persistSnapshot(remote, 'job', text);
    const largestText = written.manifest.parts.reduce((a, b) => (b.size > a.size ? b : a));
    expect(largestText.chunks?.map((c) => c.size).slice(0, 2)).toEqual([131_072, 131_072]);
    expect(await store.readCheckpointPart('job', 2, largestText.name)).toBe(partText(binary));
  });

  it('a full disk mid-chunks fails the checkpoint with QuotaExceededError naming it, and checkpoint 1 stays the latest', async () => {
    const { store, remote } = await served();
    await writeCheckpoint(remote, 'job', 1, { a: 'one' });
    fullDiskAtPut(2);
    await expectRejection(persistSnapshot(remote, 'job', jobWithKeyedState(20_000, 1).snapshotDeferred(2)), 'QuotaExceededError', 'writeCheckpoint on checkpoint 2 of job "job"');
    expect(await ids(store)).toEqual([1]);
    expect(await store.readCheckpointPart('job', 1, 'a')).toBe('one');
  });

  it('a sandbox that vanishes mid-stream leaves no transaction open and checkpoint 1 the latest', async () => {
    const { store, remote, port, stop } = await served();
    await writeCheckpoint(remote, 'job', 1, { a: 'one' });
    const transactions = watchTransactions();
    const sandbox = rawSandbox(port);
    sandbox.send({ id: 100, stream: 'begin', jobId: 'job', checkpointId: 2 });
    sandbox.send({ stream: 'chunk', of: 100, part: 'a', data: 'tw' });
    expect(await sandbox.reply(100)).toEqual({ id: 100, ok: true, value: undefined });
    // The store worker holds the chunks until the manifest comes: no transaction is open yet.
    expect(transactions.open()).toBe(0);
    // The page closes the dead sandbox's session: serving stops, the open stream is aborted.
    stop();
    await stop.idle();
    for (let i = 0; i < 50 && transactions.open() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(transactions.open()).toBe(0);
    expect(await ids(store)).toEqual([1]);
    await expectRejection(store.readCheckpointPart('job', 2, 'a'), 'NotFoundError');
  });

  it('a stream that goes quiet is abandoned after the idle limit, storing nothing', async () => {
    const { store, port } = await served({ idleMillis: 30 });
    const transactions = watchTransactions();
    const sandbox = rawSandbox(port);
    sandbox.send({ id: 1, stream: 'begin', jobId: 'job', checkpointId: 2 });
    sandbox.send({ stream: 'chunk', of: 1, part: 'a', data: 'two' });
    await sandbox.reply(1);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(transactions.open()).toBe(0);
    sandbox.send({ id: 2, stream: 'commit', of: 1, manifest: manifestFor(2, [placeholderOf('a')]) });
    expect(await sandbox.reply(2)).toEqual({ id: 2, ok: false, name: 'TypeError', message: 'refused a checkpoint commit: no open checkpoint write 1' });
    expect(await ids(store)).toEqual([]);
  });

  it.each([
    ['a part name that is not a string', { part: 7, data: 'x' }, 'TypeError', 'refused a chunk: its part name must be a string of 1 to 1024 characters without NUL'],
    ['a part name holding NUL', { part: 'a\u0000b', data: 'x' }, 'TypeError', 'refused a chunk: its part name must be a string'],
    ['data that is not a string', { part: 'a', data: { length: 3 } }, 'TypeError', 'refused a chunk of part "a": its data must be a string'],
  ])('refuses a malformed chunk (%s) with a clear error at its commit, and stores nothing', async (_what, fields, name, message) => {
    const { store, port } = await served();
    const sandbox = rawSandbox(port);
    sandbox.send({ id: 1, stream: 'begin', jobId: 'job', checkpointId: 3 });
    sandbox.send({ stream: 'chunk', of: 1, part: 'a', data: 'ok' });
    sandbox.send({ stream: 'chunk', of: 1, ...fields });
    sandbox.send({ id: 2, stream: 'commit', of: 1, manifest: manifestFor(3, [placeholderOf('a')]) });
    expect(await sandbox.reply(2)).toEqual({ id: 2, ok: false, name, message: expect.stringContaining(`checkpoint 3 of job "job": ${message}`) });
    expect(await ids(store)).toEqual([]);
  });

  it('refuses a part whose chunks come after another part began, and a chunk over the size limit', async () => {
    const { port } = await served();
    const sandbox = rawSandbox(port);
    sandbox.send({ id: 1, stream: 'begin', jobId: 'job', checkpointId: 1 });
    for (const part of ['a', 'b', 'a']) sandbox.send({ stream: 'chunk', of: 1, part, data: part });
    sandbox.send({ id: 2, stream: 'commit', of: 1, manifest: manifestFor(1, [placeholderOf('a'), placeholderOf('b')]) });
    expect(await sandbox.reply(2)).toMatchObject({ ok: false, name: 'DataError', message: 'checkpoint 1 of job "job": refused a chunk of part "a": that part\'s chunks ended already (parts come one after another)' });
    sandbox.send({ id: 3, stream: 'begin', jobId: 'job', checkpointId: 1 });
    sandbox.send({ stream: 'chunk', of: 3, part: 'a', data: 'x'.repeat(64 * 1024 * 1024 + 1) });
    sandbox.send({ id: 4, stream: 'commit', of: 3, manifest: manifestFor(1, [placeholderOf('a')]) });
    expect(await sandbox.reply(4)).toMatchObject({ ok: false, name: 'DataError', message: 'checkpoint 1 of job "job": refused a chunk of part "a": 67108865 characters or bytes, more than 67108864' });
  });

  it('takes binary chunks, and refuses bytes that are not a binary checkpoint chunk', async () => {
    const { store, port } = await served();
    const sandbox = rawSandbox(port);
    const value = { state: [{ table: 't', entries: Array.from({ length: 3000 }, (_, k) => [k, null, k / 2]) }] };
    const part = encodePart(value, { chunkChars: 8192 });
    sandbox.send({ id: 1, stream: 'begin', jobId: 'job', checkpointId: 1 });
    for (const data of chunksOf(part)) sandbox.send({ stream: 'chunk', of: 1, part: 'p#0', data });
    sandbox.send({ id: 2, stream: 'commit', of: 1, manifest: manifestFor(1, [placeholderOf('p#0')]) });
    expect(await sandbox.reply(2)).toMatchObject({ id: 2, ok: true, value: [describePart('p#0', part)] });
    expect(decodePart(await store.readCheckpointPart('job', 1, 'p#0'))).toEqual(value);
    sandbox.send({ id: 3, stream: 'begin', jobId: 'job', checkpointId: 2 });
    sandbox.send({ stream: 'chunk', of: 3, part: 'p#0', data: new Uint8Array(64) });
    sandbox.send({ id: 4, stream: 'commit', of: 3, manifest: manifestFor(2, [placeholderOf('p#0')]) });
    expect(await sandbox.reply(4)).toMatchObject({ ok: false, name: 'TypeError', message: 'checkpoint 2 of job "job": refused a chunk of part "p#0": its data must be a string or a binary checkpoint chunk' });
    expect(await ids(store)).toEqual([1]);
  });

  it('refuses a begin without a checkpoint id, and more than four writes open at once', async () => {
    const { port } = await served();
    const sandbox = rawSandbox(port);
    sandbox.send({ id: 1, stream: 'begin', jobId: 'job', checkpointId: -1 });
    expect(await sandbox.reply(1)).toEqual({ id: 1, ok: false, name: 'TypeError', message: 'refused a checkpoint write: needs a checkpoint id (an integer >= 0)' });
    for (let id = 10; id < 15; id++) sandbox.send({ id, stream: 'begin', jobId: 'job', checkpointId: id });
    expect(await sandbox.reply(14)).toEqual({ id: 14, ok: false, name: 'TypeError', message: 'refused a checkpoint write: at most 4 checkpoint writes may be open at once' });
  });

  it('fills its own description of each part streamed into the manifest, seals it and answers with the descriptions', async () => {
    const { store, port } = await served();
    const sandbox = rawSandbox(port);
    sandbox.send({ id: 1, stream: 'begin', jobId: 'job', checkpointId: 1 });
    for (const data of ['one', 'two']) sandbox.send({ stream: 'chunk', of: 1, part: 'a', data });
    sandbox.send({ stream: 'chunk', of: 1, part: 'b', data: 'three' });
    // "b" is a delta on a link stored under checkpoint 0 (the sandbox lists such links itself).
    const link = { name: 'b', size: 4, checksum: partChecksum('base'), checkpointId: 0 };
    sandbox.send({ id: 2, stream: 'commit', of: 1, manifest: manifestFor(1, [placeholderOf('a'), link, { ...placeholderOf('b'), delta: true }]) });
    const a = describeChunkedPart('a', chunks('one', 'two'));
    const b = describeChunkedPart('b', chunks('three'));
    expect(await sandbox.reply(2)).toEqual({ id: 2, ok: true, value: [a, b] });
    expect(await store.readCheckpointPart('job', 1, 'a')).toBe('onetwo');
    // Listed once checkpoint 0's link exists: the manifest is the one a direct write seals.
    await store.writeCheckpointPart('job', 0, 'b', 'base');
    expect(await store.listCheckpoints('job')).toEqual([manifestFor(1, [a, link, { ...b, delta: true }])]);
  });

  it.each([
    ['lists a part that was not stored', [placeholderOf('a'), placeholderOf('ghost')], 'it lists part "ghost", which this write did not store'],
    ['leaves out a part that was stored', [], 'it does not list part "a", which was stored'],
    ['lists a stored part twice', [placeholderOf('a'), placeholderOf('a')], 'it lists part "a" twice'],
    ['describes the stored part otherwise', [{ ...describeChunkedPart('a', chunks('one', 'two')), size: 7 }], 'its entry for part "a" differs from what was stored (6 characters, checksum c:'],
    ['is of another checkpoint', [placeholderOf('a')], 'it is of checkpoint 9 of job "job"'],
  ])('refuses a manifest that %s, and stores nothing', async (what, parts, message) => {
    const { store, port } = await served();
    const sandbox = rawSandbox(port);
    sandbox.send({ id: 1, stream: 'begin', jobId: 'job', checkpointId: 1 });
    for (const data of ['one', 'two']) sandbox.send({ stream: 'chunk', of: 1, part: 'a', data });
    sandbox.send({ id: 3, stream: 'commit', of: 1, manifest: manifestFor(what === 'is of another checkpoint' ? 9 : 1, parts as ManifestPart[]) });
    expect(await sandbox.reply(3)).toMatchObject({ ok: false, name: 'DataError', message: expect.stringContaining(`checkpoint 1 of job "job": refused its manifest: ${message}`) });
    expect(await ids(store)).toEqual([]);
  });

  it('a write whose encoding throws aborts its stream: nothing stored, the error passed on', async () => {
    const { store, remote } = await served();
    const failing = { name: 'a', write: (put: (chunk: string) => void) => (put('one'), (() => { throw new TypeError('state cannot hold a bigint (1); store it as a string'); })()) };
    await expect(remote.writeCheckpointChunks('job', 1, () => manifestFor(1, []), [failing])).rejects.toThrow('state cannot hold a bigint');
    expect(await ids(store)).toEqual([]);
  });

  it('a store without streams refuses one with a clear error', async () => {
    // A store of only the required methods (openCheckpointStream is optional).
    const memory = new MemoryDurableStore();
    const plain = { writeCheckpoint: memory.writeCheckpoint.bind(memory) } as unknown as DurableStore;
    const channel = new MessageChannel();
    const stop = serveStore(channel.port1, plain);
    cleanups.push(() => (stop(), channel.port1.close(), channel.port2.close()));
    const remote = new RemoteDurableStore(channel.port2);
    await expectRejection(remote.writeCheckpointChunks('job', 1, () => manifestFor(1, []), []), 'TypeError', 'this store cannot write a checkpoint chunk by chunk');
  });
});
