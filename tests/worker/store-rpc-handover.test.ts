// Binary chunks handed over to the store worker (RemoteDurableStore `takesChunks`): a periodic
// checkpoint's chunks are transferred, not cloned, so they are detached in the sandbox once
// posted. Nothing may read them there afterwards: the snapshot the write returns keeps only the
// parts' sizes and throws if its chunks are read, sessions over the RPC trace the same sizes as
// in-process ones, and checkpoints a savepoint is made of keep their bytes.

import { afterEach, describe, expect, it } from 'vitest';
import { buildPipeline, type TraceEvent } from '../../src/engine/api/index.ts';
import { CheckpointWriter } from '../../src/engine/checkpoint/checkpoint-writer.ts';
import { DurableSession } from '../../src/engine/checkpoint/durable-session.ts';
import { runDurable } from '../../src/engine/checkpoint/job-driver.ts';
import type { JobSnapshot } from '../../src/engine/checkpoint/job-snapshot.ts';
import { MemoryDurableStore } from '../../src/engine/checkpoint/memory-store.ts';
import { decodePart, partSize, partText, type BinaryPart } from '../../src/engine/checkpoint/part-data.ts';
import { readSnapshot } from '../../src/engine/checkpoint/store-io.ts';
import { seededRandom } from '../../src/engine/random/random.ts';
import { Job } from '../../src/engine/runtime/job.ts';
import { RemoteDurableStore, serveStore } from '../../src/worker/store-rpc.ts';
import { runningTotals as totals } from './running-totals.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).reverse().forEach((undo) => undo()));

/** A memory store served as the store worker serves it, and the sandbox's end of it. */
function remoteMemoryStore(): { store: MemoryDurableStore; remote: RemoteDurableStore } {
  const store = new MemoryDurableStore();
  const channel = new MessageChannel();
  const stop = serveStore(channel.port1, store);
  cleanups.push(() => (stop(), channel.port1.close(), channel.port2.close()));
  return { store, remote: new RemoteDurableStore(channel.port2) };
}

/** The job's snapshot once it has seen its first 30,000 records (a binary part of 24,000 keys). */
function snapshotAfter30000(): JobSnapshot {
  const job = new Job(buildPipeline(totals).plan, { random: seededRandom(1), seed: 1, trace: undefined });
  job.start();
  while (job.scheduler.now < 3_750 && job.scheduler.step()) {
    /* one unit of work per step */
  }
  return job.snapshot(1);
}

const binaryChunks = (s: JobSnapshot): Uint8Array[] =>
  s.parts.flatMap((p) => (typeof p.data === 'string' ? [] : p.data.chunks.filter((c): c is Uint8Array => typeof c !== 'string')));

describe('binary chunks handed over to the store worker', () => {
  it('are transferred, not copied; the snapshot returned keeps their sizes and refuses to read them; the store holds exactly the bytes', async () => {
    const { store, remote } = remoteMemoryStore();
    const s = snapshotAfter30000();
    const reference = snapshotAfter30000();
    const chunks = binaryChunks(s);
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    const sizes = s.parts.map((p) => partSize(p.data));

    const writer = new CheckpointWriter(remote, 'totals', 3);
    await writer.list();
    const { snapshot, manifest } = await writer.write(s, () => {}, true);

    // Transferred: the sandbox's buffers are detached (a clone would have left them whole).
    for (const c of chunks) expect(c.byteLength).toBe(0);
    expect(snapshot.parts.map((p) => partSize(p.data))).toEqual(sizes);
    expect(manifest.parts.map((p) => p.size)).toEqual(sizes);
    const binary = snapshot.parts.find((p) => typeof p.data !== 'string')!;
    expect((binary.data as BinaryPart).handedOver).toEqual({ size: partSize(binary.data) });
    expect(() => partText(binary.data)).toThrow(/read after its chunks were handed over to the store; read it back from the store/);
    expect(() => decodePart(binary.data)).toThrow(/handed over/);
    // Text parts are never transferred: they stay as they were.
    for (const p of snapshot.parts) if (typeof p.data === 'string') expect(p.data).toBe(reference.parts.find((q) => q.name === p.name)!.data);

    const back = await readSnapshot(store, (await store.listCheckpoints('totals'))[0]!, 1);
    expect(back.parts.map((p) => [p.name, partText(p.data)])).toEqual(reference.parts.map((p) => [p.name, partText(p.data)]));
  });

  it('are not handed over unless asked: a checkpoint a savepoint is made of keeps its bytes', async () => {
    const { remote } = remoteMemoryStore();
    const s = snapshotAfter30000();
    const text = s.parts.map((p) => partText(p.data));
    const writer = new CheckpointWriter(remote, 'totals', 3);
    await writer.list();
    const { snapshot } = await writer.write(s, () => {});
    expect(binaryChunks(s).every((c) => c.byteLength > 0)).toBe(true);
    expect(snapshot.parts.map((p) => partText(p.data))).toEqual(text);
  });

  it('a session over the RPC traces the same checkpoints (sizes included) as one in process, and its stop-with-savepoint is whole', async () => {
    const run = async (store: MemoryDurableStore | RemoteDurableStore): Promise<{ trace: TraceEvent[]; savepoint: string }> => {
      const trace: TraceEvent[] = [];
      const r = await runDurable(totals, { store, jobId: 'totals', checkpointInterval: 1000, stopWithSavepointAt: 4_500, onTrace: (e) => trace.push(e) });
      return { trace, savepoint: JSON.stringify(r.savepoint) };
    };
    const inProcess = await run(new MemoryDurableStore());
    const overRpc = await run(remoteMemoryStore().remote);
    const completed = (t: TraceEvent[]) => t.filter((e) => e.type === 'checkpointCompleted');
    expect(completed(inProcess.trace).length).toBeGreaterThanOrEqual(3);
    expect(completed(overRpc.trace)).toEqual(completed(inProcess.trace));
    expect(overRpc.trace).toEqual(inProcess.trace);
    expect(overRpc.savepoint.length).toBeGreaterThan(100_000);
    expect(overRpc.savepoint).toBe(inProcess.savepoint);
  });

  it('a savepoint taken over the RPC while the job runs is whole, as one taken in process', async () => {
    const take = async (store: MemoryDurableStore | RemoteDurableStore): Promise<string> => {
      const session = await DurableSession.open(totals, { store, jobId: 'totals', checkpointInterval: 1000, resume: 'continue' });
      await session.advance({ untilTime: 2_500 });
      return JSON.stringify(await session.savepoint());
    };
    const overRpc = await take(remoteMemoryStore().remote);
    expect(overRpc.length).toBeGreaterThan(100_000);
    expect(overRpc).toBe(await take(new MemoryDurableStore()));
  });
});
